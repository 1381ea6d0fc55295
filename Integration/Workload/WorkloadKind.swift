/// What a generated transaction is meant to exercise. Valid kinds are expected to succeed (or "any
/// code" where the generator cannot predict); invalid kinds are built to fail with one exact code.
public enum WorkloadKind: String, CaseIterable, Sendable, Comparable {
    // MARK: Valid traffic
    case register
    case registerVersion
    case updateMetadata
    case transferOwnership
    case proposeApprove
    case proposeReject
    case proposeDeprecate
    case proposeRevoke
    case proposeFeeChange
    case proposeParameter
    case proposeText
    case vote
    case voteChange
    case execute
    case usage
    case withdraw
    case deprecateOwn

    // MARK: Invalid by construction (exact expected code)
    case badSignature
    case wrongChainID
    case staleNonce
    case futureNonce
    case oversizeField
    case tooLarge
    case garbage
    case duplicateInRound
    case replay
    case feeLimit
    case insufficientFeeBalance
    case rateLimited
    case notOwnerUpdate
    case notOwnerTransfer
    case notOwnerDeprecate
    case unknownModel
    case usageNotActive
    case duplicateRegistration
    case invalidName
    case invalidSourceURI
    case invalidTags
    case frozenField
    case emptyUpdate
    case transferToSelf
    case withdrawZero
    case invalidUsageUnits
    case resumeNotSuspended
    case deprecateNotActive
    case voteUnknownProposal
    case voteClosed
    case voteNoPower
    case proposeNoStake
    case feeChangeTooLarge
    case parameterOutOfBounds
    case proposeTargetInvalid
    case executeEarly
    case executeRejected
    case executeTwice
    case executeExpired
    case executeUnknown

    /// The mix category a kind counts towards (`TransactionMix`).
    public enum Category: String, CaseIterable, Sendable {
        case registration, metadataUpdate, transfer, proposal, vote, execution, usage, withdrawal, ownerDeprecation, invalid
    }

    /// The category of the kind.
    public var category: Category {
        switch self {
        case .register, .registerVersion: return .registration
        case .updateMetadata: return .metadataUpdate
        case .transferOwnership: return .transfer
        case .proposeApprove, .proposeReject, .proposeDeprecate, .proposeRevoke, .proposeFeeChange, .proposeParameter,
             .proposeText: return .proposal
        case .vote, .voteChange: return .vote
        case .execute: return .execution
        case .usage: return .usage
        case .withdraw: return .withdrawal
        case .deprecateOwn: return .ownerDeprecation
        default: return .invalid
        }
    }

    /// Whether the kind is built to fail.
    public var isInvalid: Bool { category == .invalid }

    /// The kinds built to fail, in declaration order.
    public static let invalidKinds: [WorkloadKind] = allCases.filter(\.isInvalid)

    public static func < (a: WorkloadKind, b: WorkloadKind) -> Bool { a.rawValue < b.rawValue }
}
