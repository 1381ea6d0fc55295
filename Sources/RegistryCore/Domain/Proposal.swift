/// What a proposal does when executed (Docs/spec/governance.md). Discriminants are never renumbered.
public enum ProposalKind: Equatable, Sendable, CanonicalCodable {
    /// Pending → Approved, then activation at `activationRound` (or the current round if already past).
    case approveModel(ModelID, activationRound: Round)
    /// Pending → Rejected.
    case rejectModel(ModelID)
    /// Active/Suspended → Deprecated at `round` (or the current round if already past).
    case deprecateModel(ModelID, round: Round)
    /// Any non-Revoked → Revoked; emergency threshold and voting period.
    case emergencyRevoke(ModelID)
    /// Replaces one operation's fee schedule (±20% rule).
    case changeFeeSchedule(FeeOperation, FeeSchedule)
    /// Sets one numeric parameter within its bounds.
    case changeParameter(ParameterID, UInt64)
    /// Signalling only.
    case text(String)

    /// Whether the emergency threshold and voting period apply.
    public var isEmergency: Bool { if case .emergencyRevoke = self { return true } else { return false } }

    /// The model a proposal targets, if any.
    public var modelID: ModelID? {
        switch self {
        case .approveModel(let id, _), .rejectModel(let id), .deprecateModel(let id, _), .emergencyRevoke(let id): return id
        default: return nil
        }
    }

    public func encode(to writer: inout CanonicalWriter) {
        switch self {
        case .approveModel(let id, let round): writer.write(UInt8(1)); writer.write(id); writer.write(round)
        case .rejectModel(let id): writer.write(UInt8(2)); writer.write(id)
        case .deprecateModel(let id, let round): writer.write(UInt8(3)); writer.write(id); writer.write(round)
        case .emergencyRevoke(let id): writer.write(UInt8(4)); writer.write(id)
        case .changeFeeSchedule(let op, let schedule): writer.write(UInt8(5)); writer.write(op.rawValue); writer.write(schedule)
        case .changeParameter(let id, let value): writer.write(UInt8(6)); writer.write(id); writer.write(value)
        case .text(let text): writer.write(UInt8(7)); writer.write(text)
        }
    }

    public init(from reader: inout CanonicalReader) throws(CodecError) {
        let kind = try reader.readUInt8("proposal kind")
        switch kind {
        case 1: self = .approveModel(try ModelID(from: &reader), activationRound: try reader.readUInt64("activation round"))
        case 2: self = .rejectModel(try ModelID(from: &reader))
        case 3: self = .deprecateModel(try ModelID(from: &reader), round: try reader.readUInt64("deprecation round"))
        case 4: self = .emergencyRevoke(try ModelID(from: &reader))
        case 5:
            let raw = try reader.readUInt8("fee operation")
            guard let op = FeeOperation(rawValue: raw) else { throw .unknownDiscriminant(field: "fee operation", value: UInt64(raw)) }
            self = .changeFeeSchedule(op, try FeeSchedule(from: &reader))
        case 6: self = .changeParameter(try ParameterID(from: &reader), try reader.readUInt64("parameter value"))
        case 7: self = .text(try reader.readString("proposal text", limit: Limits.maxProposalTextLength))
        default: throw .unknownDiscriminant(field: "proposal kind", value: UInt64(kind))
        }
    }
}

/// The status of a proposal (GOV-6). Raw values are stored and never renumbered.
public enum ProposalStatus: UInt8, Sendable, CaseIterable, CanonicalCodable {
    case voting = 1
    case passed = 2
    case rejected = 3
    case vetoed = 4
    case executed = 5
    case executionFailed = 6
    case expired = 7
    /// Rejected because quorum was not reached (deposit burned).
    case rejectedQuorum = 8

    public var name: String { String(describing: self) }
    public func encode(to writer: inout CanonicalWriter) { writer.write(rawValue) }
    public init(from reader: inout CanonicalReader) throws(CodecError) {
        let raw = try reader.readUInt8("proposal status")
        guard let s = ProposalStatus(rawValue: raw) else { throw .unknownDiscriminant(field: "proposal status", value: UInt64(raw)) }
        self = s
    }
}

/// A governance proposal (table 0x10, tag `0x04`).
public struct Proposal: Equatable, Sendable, CanonicalCodable {
    public var id: ProposalID
    public var proposer: AccountID
    public var kind: ProposalKind
    public var status: ProposalStatus
    /// The round of submission = the stake snapshot round (GOV-4).
    public var submittedAt: Round
    /// The last round votes are accepted; the tally runs at the end of this round.
    public var votingEnd: Round
    /// The last round the proposal may be executed.
    public var executionDeadline: Round
    public var deposit: Amount
    /// The running tally of effective votes.
    public var tally: TallyCounts
    /// Total stake at the snapshot (set at submission).
    public var totalEligible: Amount
    /// The round of tally / execution / expiry.
    public var decidedAt: Round?
    public var executedAt: Round?
    /// Why execution failed (GOV-11), 0 otherwise.
    public var failureCode: UInt32

    public init(id: ProposalID, proposer: AccountID, kind: ProposalKind, status: ProposalStatus, submittedAt: Round,
                votingEnd: Round, executionDeadline: Round, deposit: Amount, tally: TallyCounts, totalEligible: Amount,
                decidedAt: Round? = nil, executedAt: Round? = nil, failureCode: UInt32 = 0) {
        self.id = id; self.proposer = proposer; self.kind = kind; self.status = status; self.submittedAt = submittedAt
        self.votingEnd = votingEnd; self.executionDeadline = executionDeadline; self.deposit = deposit
        self.tally = tally; self.totalEligible = totalEligible; self.decidedAt = decidedAt
        self.executedAt = executedAt; self.failureCode = failureCode
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(TypeTag.proposal.rawValue)
        writer.write(id); writer.write(proposer); writer.write(kind); writer.write(status)
        writer.write(submittedAt); writer.write(votingEnd); writer.write(executionDeadline); writer.write(deposit)
        writer.write(tally.yes); writer.write(tally.no); writer.write(tally.abstain); writer.write(tally.veto)
        writer.write(totalEligible); writer.writeOptional(decidedAt); writer.writeOptional(executedAt)
        writer.write(failureCode)
    }

    public init(from reader: inout CanonicalReader) throws(CodecError) {
        try reader.expectTag(.proposal)
        id = try reader.readUInt64("proposal id"); proposer = try AccountID(from: &reader)
        kind = try ProposalKind(from: &reader); status = try ProposalStatus(from: &reader)
        submittedAt = try reader.readUInt64("submitted at"); votingEnd = try reader.readUInt64("voting end")
        executionDeadline = try reader.readUInt64("execution deadline"); deposit = try reader.readUInt64("deposit")
        let yes = try reader.readUInt64("yes"), no = try reader.readUInt64("no")
        let abstain = try reader.readUInt64("abstain"), veto = try reader.readUInt64("veto")
        tally = TallyCounts(yes: yes, no: no, abstain: abstain, veto: veto)
        totalEligible = try reader.readUInt64("total eligible")
        decidedAt = try reader.readOptionalUInt64("decided at"); executedAt = try reader.readOptionalUInt64("executed at")
        failureCode = try reader.readUInt32("failure code")
    }
}

/// A vote choice. Raw values are never renumbered.
public enum VoteChoice: UInt8, Sendable, CaseIterable, CanonicalCodable {
    case yes = 1, no = 2, abstain = 3, veto = 4
    public func encode(to writer: inout CanonicalWriter) { writer.write(rawValue) }
    public init(from reader: inout CanonicalReader) throws(CodecError) {
        let raw = try reader.readUInt8("vote choice")
        guard let c = VoteChoice(rawValue: raw) else { throw .unknownDiscriminant(field: "vote choice", value: UInt64(raw)) }
        self = c
    }
}

/// A voter's effective vote (table 0x11, tag `0x05`); a later vote replaces it (GOV-5).
public struct Vote: Equatable, Sendable, CanonicalCodable {
    public var choice: VoteChoice
    /// The stake weight at the proposal's snapshot round.
    public var weight: Amount
    public var round: Round

    public init(choice: VoteChoice, weight: Amount, round: Round) { self.choice = choice; self.weight = weight; self.round = round }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(TypeTag.vote.rawValue); writer.write(choice); writer.write(weight); writer.write(round)
    }
    public init(from reader: inout CanonicalReader) throws(CodecError) {
        try reader.expectTag(.vote)
        choice = try VoteChoice(from: &reader); weight = try reader.readUInt64("weight"); round = try reader.readUInt64("round")
    }
}
