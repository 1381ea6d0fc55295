/// What a transaction does (Docs/spec/transactions.md). Discriminants are never renumbered.
public enum Action: Equatable, Sendable, CanonicalCodable {
    case registerModel(ModelRegistration)
    case updateModelMetadata(ModelID, MetadataUpdate)
    case transferModelOwnership(ModelID, newOwner: AccountID)
    case submitProposal(ProposalKind)
    case vote(ProposalID, VoteChoice)
    case executeProposal(ProposalID)
    /// Pays the usage fee for `units` of a model (owner share + treasury).
    case recordUsage(ModelID, units: UInt64)
    /// Moves `amount` out of the sender's fee account; the host pays it out (event).
    case withdraw(amount: Amount)
    /// The owner deprecates its own Active or Suspended model.
    case deprecateModel(ModelID)
    /// The owner pays outstanding rent and returns a Suspended model to Active (ADR 0006).
    case resumeModel(ModelID)

    /// The fee operation charged for the action.
    public var feeOperation: FeeOperation {
        switch self {
        case .registerModel: return .registration
        case .updateModelMetadata, .deprecateModel, .resumeModel: return .metadataUpdate
        case .transferModelOwnership: return .ownershipTransfer
        case .submitProposal: return .proposal
        case .vote: return .vote
        case .executeProposal: return .proposalExecution
        case .recordUsage: return .usage
        case .withdraw: return .withdrawal
        }
    }

    /// The fee units: MiB rounded up (min 1) for registration, usage units for usage, else 1.
    public var feeUnits: UInt64 {
        switch self {
        case .registerModel(let r): return FeeOperation.registrationUnits(modelSizeBytes: r.sizeBytes)
        case .recordUsage(_, let units): return units
        default: return 1
        }
    }

    /// The case name for logs.
    public var name: String {
        switch self {
        case .registerModel: return "registerModel"
        case .updateModelMetadata: return "updateModelMetadata"
        case .transferModelOwnership: return "transferModelOwnership"
        case .submitProposal: return "submitProposal"
        case .vote: return "vote"
        case .executeProposal: return "executeProposal"
        case .recordUsage: return "recordUsage"
        case .withdraw: return "withdraw"
        case .deprecateModel: return "deprecateModel"
        case .resumeModel: return "resumeModel"
        }
    }

    public func encode(to writer: inout CanonicalWriter) {
        switch self {
        case .registerModel(let r): writer.write(UInt8(1)); writer.write(r)
        case .updateModelMetadata(let id, let u): writer.write(UInt8(2)); writer.write(id); writer.write(u)
        case .transferModelOwnership(let id, let owner): writer.write(UInt8(3)); writer.write(id); writer.write(owner)
        case .submitProposal(let kind): writer.write(UInt8(4)); writer.write(kind)
        case .vote(let id, let choice): writer.write(UInt8(5)); writer.write(id); writer.write(choice)
        case .executeProposal(let id): writer.write(UInt8(6)); writer.write(id)
        case .recordUsage(let id, let units): writer.write(UInt8(7)); writer.write(id); writer.write(units)
        case .withdraw(let amount): writer.write(UInt8(8)); writer.write(amount)
        case .deprecateModel(let id): writer.write(UInt8(9)); writer.write(id)
        case .resumeModel(let id): writer.write(UInt8(10)); writer.write(id)
        }
    }

    public init(from reader: inout CanonicalReader) throws(CodecError) {
        let tag = try reader.readUInt8("action")
        switch tag {
        case 1: self = .registerModel(try ModelRegistration(from: &reader))
        case 2: self = .updateModelMetadata(try ModelID(from: &reader), try MetadataUpdate(from: &reader))
        case 3: self = .transferModelOwnership(try ModelID(from: &reader), newOwner: try AccountID(from: &reader))
        case 4: self = .submitProposal(try ProposalKind(from: &reader))
        case 5: self = .vote(try reader.readUInt64("proposal id"), try VoteChoice(from: &reader))
        case 6: self = .executeProposal(try reader.readUInt64("proposal id"))
        case 7: self = .recordUsage(try ModelID(from: &reader), units: try reader.readUInt64("units"))
        case 8: self = .withdraw(amount: try reader.readUInt64("amount"))
        case 9: self = .deprecateModel(try ModelID(from: &reader))
        case 10: self = .resumeModel(try ModelID(from: &reader))
        default: throw .unknownDiscriminant(field: "action", value: UInt64(tag))
        }
    }
}
