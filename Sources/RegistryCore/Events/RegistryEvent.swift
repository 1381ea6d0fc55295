/// A typed domain event, for every state change a client would follow. Encoded with tag `0x0E` and a
/// discriminant that is never renumbered; `topic` is the event-stream topic prefix.
public enum RegistryEvent: Equatable, Sendable, CanonicalCodable {
    case stakeSet(AccountID, stake: Amount)
    case deposited(AccountID, amount: Amount, balance: Amount)
    case hostUpdateRejected(AccountID, code: ResultCode)
    case modelRegistered(ModelID, owner: AccountID, name: String, version: String)
    case modelUpdated(ModelID)
    case modelStatus(ModelID, from: ModelStatus, to: ModelStatus)
    case modelTransferred(ModelID, from: AccountID, to: AccountID)
    case modelUsage(ModelID, user: AccountID, units: UInt64, fee: Amount, ownerShare: Amount)
    case proposalSubmitted(ProposalID, proposer: AccountID, votingEnd: Round)
    case proposalVote(ProposalID, voter: AccountID, choice: VoteChoice, weight: Amount)
    case proposalTallied(ProposalID, status: ProposalStatus, yes: Amount, no: Amount, abstain: Amount, veto: Amount)
    case proposalExecuted(ProposalID, status: ProposalStatus, code: ResultCode)
    case proposalExpired(ProposalID)
    case proposalDeposit(ProposalID, amount: Amount, burned: Bool)
    case scheduleFired(queue: UInt8, dueRound: Round, item: [UInt8], code: ResultCode)
    case feeCharged(AccountID, operation: FeeOperation, amount: Amount)
    case rentCharged(ModelID, owner: AccountID, amount: Amount, rounds: UInt64)
    case rentOverdue(ModelID, graceEnds: Round)
    case withdrawal(AccountID, amount: Amount)
    case parameterChanged(ParameterID, value: UInt64)
    case feeScheduleChanged(FeeOperation)

    /// The event-stream topic.
    public var topic: String {
        switch self {
        case .stakeSet: return "account.stake"
        case .deposited: return "account.deposit"
        case .hostUpdateRejected: return "host.update_rejected"
        case .modelRegistered: return "model.registered"
        case .modelUpdated: return "model.updated"
        case .modelStatus: return "model.status"
        case .modelTransferred: return "model.transferred"
        case .modelUsage: return "model.usage"
        case .proposalSubmitted: return "proposal.submitted"
        case .proposalVote: return "proposal.vote"
        case .proposalTallied: return "proposal.tallied"
        case .proposalExecuted: return "proposal.executed"
        case .proposalExpired: return "proposal.expired"
        case .proposalDeposit: return "proposal.deposit"
        case .scheduleFired: return "schedule.fired"
        case .feeCharged: return "fee.charged"
        case .rentCharged: return "rent.charged"
        case .rentOverdue: return "rent.overdue"
        case .withdrawal: return "account.withdrawal"
        case .parameterChanged: return "parameters.changed"
        case .feeScheduleChanged: return "fees.schedule_changed"
        }
    }

    public func encode(to w: inout CanonicalWriter) {
        w.write(TypeTag.event.rawValue)
        switch self {
        case .stakeSet(let a, let s): w.write(UInt8(1)); w.write(a); w.write(s)
        case .deposited(let a, let amount, let balance): w.write(UInt8(2)); w.write(a); w.write(amount); w.write(balance)
        case .hostUpdateRejected(let a, let code): w.write(UInt8(3)); w.write(a); w.write(code)
        case .modelRegistered(let id, let owner, let name, let version):
            w.write(UInt8(4)); w.write(id); w.write(owner); w.write(name); w.write(version)
        case .modelUpdated(let id): w.write(UInt8(5)); w.write(id)
        case .modelStatus(let id, let from, let to): w.write(UInt8(6)); w.write(id); w.write(from); w.write(to)
        case .modelTransferred(let id, let from, let to): w.write(UInt8(7)); w.write(id); w.write(from); w.write(to)
        case .modelUsage(let id, let user, let units, let fee, let share):
            w.write(UInt8(8)); w.write(id); w.write(user); w.write(units); w.write(fee); w.write(share)
        case .proposalSubmitted(let id, let proposer, let end): w.write(UInt8(9)); w.write(id); w.write(proposer); w.write(end)
        case .proposalVote(let id, let voter, let choice, let weight):
            w.write(UInt8(10)); w.write(id); w.write(voter); w.write(choice); w.write(weight)
        case .proposalTallied(let id, let status, let yes, let no, let abstain, let veto):
            w.write(UInt8(11)); w.write(id); w.write(status); w.write(yes); w.write(no); w.write(abstain); w.write(veto)
        case .proposalExecuted(let id, let status, let code): w.write(UInt8(12)); w.write(id); w.write(status); w.write(code)
        case .proposalExpired(let id): w.write(UInt8(13)); w.write(id)
        case .proposalDeposit(let id, let amount, let burned): w.write(UInt8(14)); w.write(id); w.write(amount); w.write(burned)
        case .scheduleFired(let queue, let round, let item, let code):
            w.write(UInt8(15)); w.write(queue); w.write(round); w.writeBytes(item); w.write(code)
        case .feeCharged(let a, let op, let amount): w.write(UInt8(16)); w.write(a); w.write(op.rawValue); w.write(amount)
        case .rentCharged(let id, let owner, let amount, let rounds):
            w.write(UInt8(17)); w.write(id); w.write(owner); w.write(amount); w.write(rounds)
        case .rentOverdue(let id, let ends): w.write(UInt8(18)); w.write(id); w.write(ends)
        case .withdrawal(let a, let amount): w.write(UInt8(19)); w.write(a); w.write(amount)
        case .parameterChanged(let id, let value): w.write(UInt8(20)); w.write(id); w.write(value)
        case .feeScheduleChanged(let op): w.write(UInt8(21)); w.write(op.rawValue)
        }
    }

    public init(from r: inout CanonicalReader) throws(CodecError) {
        try r.expectTag(.event)
        let tag = try r.readUInt8("event")
        func op() throws(CodecError) -> FeeOperation {
            let raw = try r.readUInt8("fee operation")
            guard let op = FeeOperation(rawValue: raw) else { throw .unknownDiscriminant(field: "fee operation", value: UInt64(raw)) }
            return op
        }
        switch tag {
        case 1: self = .stakeSet(try AccountID(from: &r), stake: try r.readUInt64("stake"))
        case 2: self = .deposited(try AccountID(from: &r), amount: try r.readUInt64("amount"), balance: try r.readUInt64("balance"))
        case 3: self = .hostUpdateRejected(try AccountID(from: &r), code: try ResultCode(from: &r))
        case 4: self = .modelRegistered(try ModelID(from: &r), owner: try AccountID(from: &r),
                                        name: try r.readString("name", limit: Limits.maxNameLength),
                                        version: try r.readString("version", limit: Limits.maxVersionLength))
        case 5: self = .modelUpdated(try ModelID(from: &r))
        case 6: self = .modelStatus(try ModelID(from: &r), from: try ModelStatus(from: &r), to: try ModelStatus(from: &r))
        case 7: self = .modelTransferred(try ModelID(from: &r), from: try AccountID(from: &r), to: try AccountID(from: &r))
        case 8: self = .modelUsage(try ModelID(from: &r), user: try AccountID(from: &r), units: try r.readUInt64("units"),
                                   fee: try r.readUInt64("fee"), ownerShare: try r.readUInt64("owner share"))
        case 9: self = .proposalSubmitted(try r.readUInt64("proposal"), proposer: try AccountID(from: &r), votingEnd: try r.readUInt64("end"))
        case 10: self = .proposalVote(try r.readUInt64("proposal"), voter: try AccountID(from: &r),
                                      choice: try VoteChoice(from: &r), weight: try r.readUInt64("weight"))
        case 11: self = .proposalTallied(try r.readUInt64("proposal"), status: try ProposalStatus(from: &r),
                                         yes: try r.readUInt64("yes"), no: try r.readUInt64("no"),
                                         abstain: try r.readUInt64("abstain"), veto: try r.readUInt64("veto"))
        case 12: self = .proposalExecuted(try r.readUInt64("proposal"), status: try ProposalStatus(from: &r), code: try ResultCode(from: &r))
        case 13: self = .proposalExpired(try r.readUInt64("proposal"))
        case 14: self = .proposalDeposit(try r.readUInt64("proposal"), amount: try r.readUInt64("amount"), burned: try r.readBool("burned"))
        case 15: self = .scheduleFired(queue: try r.readUInt8("queue"), dueRound: try r.readUInt64("round"),
                                       item: try r.readBytes("item", limit: 256), code: try ResultCode(from: &r))
        case 16: self = .feeCharged(try AccountID(from: &r), operation: try op(), amount: try r.readUInt64("amount"))
        case 17: self = .rentCharged(try ModelID(from: &r), owner: try AccountID(from: &r), amount: try r.readUInt64("amount"),
                                     rounds: try r.readUInt64("rounds"))
        case 18: self = .rentOverdue(try ModelID(from: &r), graceEnds: try r.readUInt64("grace ends"))
        case 19: self = .withdrawal(try AccountID(from: &r), amount: try r.readUInt64("amount"))
        case 20: self = .parameterChanged(try ParameterID(from: &r), value: try r.readUInt64("value"))
        case 21: self = .feeScheduleChanged(try op())
        default: throw .unknownDiscriminant(field: "event", value: UInt64(tag))
        }
    }
}
