/// Every governance parameter (DESIGN.md §5), stored under `StateKey.parameters` with tag `0x03`.
/// Loaded once per round: a change executed in round R applies from round R+1 (GOV-14).
public struct Parameters: Equatable, Sendable, CanonicalCodable {
    public var minProposerStake: Amount
    public var quorumBps: UInt64
    public var thresholdBps: UInt64
    public var vetoBps: UInt64
    public var emergencyThresholdBps: UInt64
    public var votingPeriodRounds: UInt64
    public var emergencyVotingPeriodRounds: UInt64
    public var executionDeadlineRounds: UInt64
    public var proposalDeposit: Amount
    public var maxOpenProposalsPerProposer: UInt64
    public var maxScheduledItemsPerRound: UInt64
    public var rentPeriodRounds: UInt64
    public var rentGraceRounds: UInt64
    public var rateLimitWindowRounds: UInt64
    public var rateLimitMaxTransactions: UInt64
    public var usageOwnerShareBps: UInt64
    public var maxTransactionBytes: UInt64
    public var maxScheduleAheadRounds: UInt64
    public var feeTable: FeeTable

    /// DESIGN.md §5 defaults (rounds are ~200 ms: 18,000 rounds ≈ 1 hour).
    public static let defaults = Parameters(
        minProposerStake: 1_000_000, quorumBps: 3340, thresholdBps: 6667, vetoBps: 3340,
        emergencyThresholdBps: 7500, votingPeriodRounds: 18_000, emergencyVotingPeriodRounds: 1_500,
        executionDeadlineRounds: 18_000, proposalDeposit: 1_000_000_000, maxOpenProposalsPerProposer: 3,
        maxScheduledItemsPerRound: 256, rentPeriodRounds: 18_000, rentGraceRounds: 18_000,
        rateLimitWindowRounds: 50, rateLimitMaxTransactions: 100, usageOwnerShareBps: 7000,
        maxTransactionBytes: 16_384, maxScheduleAheadRounds: 5_000_000, feeTable: .defaults)

    public init(minProposerStake: Amount, quorumBps: UInt64, thresholdBps: UInt64, vetoBps: UInt64,
                emergencyThresholdBps: UInt64, votingPeriodRounds: UInt64, emergencyVotingPeriodRounds: UInt64,
                executionDeadlineRounds: UInt64, proposalDeposit: Amount, maxOpenProposalsPerProposer: UInt64,
                maxScheduledItemsPerRound: UInt64, rentPeriodRounds: UInt64, rentGraceRounds: UInt64,
                rateLimitWindowRounds: UInt64, rateLimitMaxTransactions: UInt64, usageOwnerShareBps: UInt64,
                maxTransactionBytes: UInt64, maxScheduleAheadRounds: UInt64, feeTable: FeeTable) {
        self.minProposerStake = minProposerStake; self.quorumBps = quorumBps; self.thresholdBps = thresholdBps
        self.vetoBps = vetoBps; self.emergencyThresholdBps = emergencyThresholdBps
        self.votingPeriodRounds = votingPeriodRounds; self.emergencyVotingPeriodRounds = emergencyVotingPeriodRounds
        self.executionDeadlineRounds = executionDeadlineRounds; self.proposalDeposit = proposalDeposit
        self.maxOpenProposalsPerProposer = maxOpenProposalsPerProposer
        self.maxScheduledItemsPerRound = maxScheduledItemsPerRound; self.rentPeriodRounds = rentPeriodRounds
        self.rentGraceRounds = rentGraceRounds; self.rateLimitWindowRounds = rateLimitWindowRounds
        self.rateLimitMaxTransactions = rateLimitMaxTransactions; self.usageOwnerShareBps = usageOwnerShareBps
        self.maxTransactionBytes = maxTransactionBytes; self.maxScheduleAheadRounds = maxScheduleAheadRounds
        self.feeTable = feeTable
    }

    /// The value of a numeric parameter.
    public func value(of id: ParameterID) -> UInt64 {
        switch id {
        case .minProposerStake: return minProposerStake
        case .quorumBps: return quorumBps
        case .thresholdBps: return thresholdBps
        case .vetoBps: return vetoBps
        case .emergencyThresholdBps: return emergencyThresholdBps
        case .votingPeriodRounds: return votingPeriodRounds
        case .emergencyVotingPeriodRounds: return emergencyVotingPeriodRounds
        case .executionDeadlineRounds: return executionDeadlineRounds
        case .proposalDeposit: return proposalDeposit
        case .maxOpenProposalsPerProposer: return maxOpenProposalsPerProposer
        case .maxScheduledItemsPerRound: return maxScheduledItemsPerRound
        case .rentPeriodRounds: return rentPeriodRounds
        case .rentGraceRounds: return rentGraceRounds
        case .rateLimitWindowRounds: return rateLimitWindowRounds
        case .rateLimitMaxTransactions: return rateLimitMaxTransactions
        case .usageOwnerShareBps: return usageOwnerShareBps
        case .maxTransactionBytes: return maxTransactionBytes
        case .maxScheduleAheadRounds: return maxScheduleAheadRounds
        }
    }

    /// A copy with one numeric parameter changed, or nil when `value` is outside the parameter's bounds.
    public func setting(_ id: ParameterID, to value: UInt64) -> Parameters? {
        guard id.bounds.contains(value) else { return nil }
        var copy = self
        switch id {
        case .minProposerStake: copy.minProposerStake = value
        case .quorumBps: copy.quorumBps = value
        case .thresholdBps: copy.thresholdBps = value
        case .vetoBps: copy.vetoBps = value
        case .emergencyThresholdBps: copy.emergencyThresholdBps = value
        case .votingPeriodRounds: copy.votingPeriodRounds = value
        case .emergencyVotingPeriodRounds: copy.emergencyVotingPeriodRounds = value
        case .executionDeadlineRounds: copy.executionDeadlineRounds = value
        case .proposalDeposit: copy.proposalDeposit = value
        case .maxOpenProposalsPerProposer: copy.maxOpenProposalsPerProposer = value
        case .maxScheduledItemsPerRound: copy.maxScheduledItemsPerRound = value
        case .rentPeriodRounds: copy.rentPeriodRounds = value
        case .rentGraceRounds: copy.rentGraceRounds = value
        case .rateLimitWindowRounds: copy.rateLimitWindowRounds = value
        case .rateLimitMaxTransactions: copy.rateLimitMaxTransactions = value
        case .usageOwnerShareBps: copy.usageOwnerShareBps = value
        case .maxTransactionBytes: copy.maxTransactionBytes = value
        case .maxScheduleAheadRounds: copy.maxScheduleAheadRounds = value
        }
        return copy.isValid ? copy : nil
    }

    /// Every numeric parameter within bounds, cross-field rules hold, and the fee table is valid.
    public var isValid: Bool {
        for id in ParameterID.allCases where !id.bounds.contains(value(of: id)) { return false }
        if emergencyThresholdBps < thresholdBps { return false }
        if emergencyVotingPeriodRounds > votingPeriodRounds { return false }
        return feeTable.validate() == nil
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(TypeTag.parameters.rawValue)
        for id in ParameterID.allCases { writer.write(value(of: id)) }
        writer.write(feeTable)
    }

    public init(from reader: inout CanonicalReader) throws(CodecError) {
        try reader.expectTag(.parameters)
        var values: [UInt64] = []
        for id in ParameterID.allCases { values.append(try reader.readUInt64(id.name)) }
        let table = try FeeTable(from: &reader)
        self.init(minProposerStake: values[0], quorumBps: values[1], thresholdBps: values[2], vetoBps: values[3],
                  emergencyThresholdBps: values[4], votingPeriodRounds: values[5],
                  emergencyVotingPeriodRounds: values[6], executionDeadlineRounds: values[7],
                  proposalDeposit: values[8], maxOpenProposalsPerProposer: values[9],
                  maxScheduledItemsPerRound: values[10], rentPeriodRounds: values[11], rentGraceRounds: values[12],
                  rateLimitWindowRounds: values[13], rateLimitMaxTransactions: values[14],
                  usageOwnerShareBps: values[15], maxTransactionBytes: values[16],
                  maxScheduleAheadRounds: values[17], feeTable: table)
    }
}
