/// What a fee is charged for (Docs/spec/fees.md, F-2). Raw values are stored in state keys and fee
/// statistics and are never renumbered or reused; a new operation takes the next free value.
///
/// Each operation defines the `units` passed to `FeeSchedule.fee(units:)`:
public enum FeeOperation: UInt8, CaseIterable, Sendable, Comparable, CustomStringConvertible {
    /// Registering a model. Units: the model size in whole MiB, rounded up, at least 1
    /// (`registrationUnits(modelSizeBytes:)`).
    case registration = 1
    /// Updating a model's metadata. Units: 1.
    case metadataUpdate = 2
    /// Transferring a model to another owner. Units: 1.
    case ownershipTransfer = 3
    /// Submitting a governance proposal (on top of the refundable deposit). Units: 1.
    case proposal = 4
    /// Casting or replacing a vote. Units: 1.
    case vote = 5
    /// Recording usage of a model. Units: the usage units declared in the transaction.
    case usage = 6
    /// Rent of an active model, charged by the scheduler. Units: rounds elapsed since the last charge
    /// × the model size in whole MiB rounded up, at least 1 (`rentUnits(roundsElapsed:modelSizeBytes:)`).
    case rent = 7
    /// Withdrawing from a fee account. Units: 1.
    case withdrawal = 8
    /// Executing a passed proposal (charged to the sender of the `executeProposal` transaction, who may be anyone). Units: 1.
    case proposalExecution = 9
    /// A well-signed transaction that failed after admission (D5). Units: 1.
    case failedTransaction = 10

    /// The units of every operation that is charged per occurrence.
    public static let singleUnit: UInt64 = 1
    /// One MiB in bytes.
    public static let bytesPerMiB: UInt64 = 1 << 20

    /// The model size in whole MiB rounded up, at least 1 (units of `.registration`).
    public static func registrationUnits(modelSizeBytes: UInt64) -> UInt64 {
        // ⌈size / 2^20⌉ without overflow, then at least 1.
        let whole = modelSizeBytes >> 20
        let mib = (modelSizeBytes & (bytesPerMiB - 1)) == 0 ? whole : whole + 1
        return max(mib, 1)
    }

    /// Rounds elapsed × model size in MiB (units of `.rent`); nil on overflow.
    public static func rentUnits(roundsElapsed: UInt64, modelSizeBytes: UInt64) -> UInt64? {
        CheckedMath.multiply(roundsElapsed, registrationUnits(modelSizeBytes: modelSizeBytes))
    }

    public static func < (a: FeeOperation, b: FeeOperation) -> Bool { a.rawValue < b.rawValue }

    /// The case name, for logs, metrics labels and JSON.
    public var description: String {
        switch self {
        case .registration: return "registration"
        case .metadataUpdate: return "metadataUpdate"
        case .ownershipTransfer: return "ownershipTransfer"
        case .proposal: return "proposal"
        case .vote: return "vote"
        case .usage: return "usage"
        case .rent: return "rent"
        case .withdrawal: return "withdrawal"
        case .proposalExecution: return "proposalExecution"
        case .failedTransaction: return "failedTransaction"
        }
    }
}
