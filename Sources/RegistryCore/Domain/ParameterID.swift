/// A numeric governance parameter, in encoding order. Raw values are never renumbered (GOV-13).
public enum ParameterID: UInt8, Sendable, CaseIterable, CanonicalCodable {
    case minProposerStake = 0
    case quorumBps = 1
    case thresholdBps = 2
    case vetoBps = 3
    case emergencyThresholdBps = 4
    case votingPeriodRounds = 5
    case emergencyVotingPeriodRounds = 6
    case executionDeadlineRounds = 7
    case proposalDeposit = 8
    case maxOpenProposalsPerProposer = 9
    case maxScheduledItemsPerRound = 10
    case rentPeriodRounds = 11
    case rentGraceRounds = 12
    case rateLimitWindowRounds = 13
    case rateLimitMaxTransactions = 14
    case usageOwnerShareBps = 15
    case maxTransactionBytes = 16
    case maxScheduleAheadRounds = 17

    /// The documented bounds (Docs/spec/governance.md, GOV-13).
    public var bounds: ClosedRange<UInt64> {
        switch self {
        case .minProposerStake: return 1...1_000_000_000_000_000
        case .quorumBps: return 1...10_000
        case .thresholdBps: return 5_000...10_000
        case .vetoBps: return 1...10_000
        case .emergencyThresholdBps: return 5_000...10_000
        case .votingPeriodRounds: return 10...10_000_000
        case .emergencyVotingPeriodRounds: return 10...10_000_000
        case .executionDeadlineRounds: return 10...10_000_000
        case .proposalDeposit: return 0...1_000_000_000_000_000
        case .maxOpenProposalsPerProposer: return 1...100
        case .maxScheduledItemsPerRound: return 1...10_000
        case .rentPeriodRounds: return 10...100_000_000
        case .rentGraceRounds: return 1...100_000_000
        case .rateLimitWindowRounds: return 1...1_000_000
        case .rateLimitMaxTransactions: return 1...1_000_000
        case .usageOwnerShareBps: return 0...10_000
        case .maxTransactionBytes: return 1_024...1_048_576
        case .maxScheduleAheadRounds: return 1...1_000_000_000
        }
    }

    public var name: String { String(describing: self) }

    public func encode(to writer: inout CanonicalWriter) { writer.write(rawValue) }
    public init(from reader: inout CanonicalReader) throws(CodecError) {
        let raw = try reader.readUInt8("parameter id")
        guard let id = ParameterID(rawValue: raw) else { throw .unknownDiscriminant(field: "parameter id", value: UInt64(raw)) }
        self = id
    }
}
