/// Relative weights of the valid transaction categories (any scale; 0 disables a category). Votes,
/// executions and usage need open proposals, passed proposals and Active models: when none exists the
/// slot falls back to a registration, so early rounds register more than the weights say.
public struct TransactionMix: Equatable, Sendable {
    public var registration: UInt32
    public var metadataUpdate: UInt32
    public var transfer: UInt32
    public var proposal: UInt32
    public var vote: UInt32
    public var execution: UInt32
    public var usage: UInt32
    public var withdrawal: UInt32
    public var ownerDeprecation: UInt32

    public init(registration: UInt32 = 12, metadataUpdate: UInt32 = 8, transfer: UInt32 = 3, proposal: UInt32 = 3,
                vote: UInt32 = 25, execution: UInt32 = 3, usage: UInt32 = 36, withdrawal: UInt32 = 8,
                ownerDeprecation: UInt32 = 2) {
        self.registration = registration; self.metadataUpdate = metadataUpdate; self.transfer = transfer
        self.proposal = proposal; self.vote = vote; self.execution = execution; self.usage = usage
        self.withdrawal = withdrawal; self.ownerDeprecation = ownerDeprecation
    }

    /// A registry in steady use: usage and votes dominate.
    public static let realistic = TransactionMix()

    /// Governance-heavy traffic: proposals (mostly approvals of Pending models), votes and executions;
    /// used to bring many models to Active before measuring.
    public static let governanceHeavy = TransactionMix(registration: 2, metadataUpdate: 0, transfer: 0, proposal: 10, vote: 70,
                                                       execution: 18, usage: 0, withdrawal: 0, ownerDeprecation: 0)

    /// Registrations only (used to pre-populate state).
    public static let registrationsOnly = TransactionMix(registration: 1, metadataUpdate: 0, transfer: 0, proposal: 0, vote: 0,
                                                          execution: 0, usage: 0, withdrawal: 0, ownerDeprecation: 0)

    /// The weight of `category` (0 for `.invalid`, which `WorkloadConfiguration.invalidPerMille` controls).
    public func weight(of category: WorkloadKind.Category) -> UInt32 {
        switch category {
        case .registration: return registration
        case .metadataUpdate: return metadataUpdate
        case .transfer: return transfer
        case .proposal: return proposal
        case .vote: return vote
        case .execution: return execution
        case .usage: return usage
        case .withdrawal: return withdrawal
        case .ownerDeprecation: return ownerDeprecation
        case .invalid: return 0
        }
    }

    /// The valid categories in a fixed order (the order weights are drawn in).
    public static let validCategories: [WorkloadKind.Category] = WorkloadKind.Category.allCases.filter { $0 != .invalid }

    /// The sum of the weights.
    public var total: UInt64 { Self.validCategories.reduce(0) { $0 + UInt64(weight(of: $1)) } }
}
