import Wire

/// The kind of a query request: its name (the oneof field name, used in metrics labels, audit records
/// and error fields) and the scopes it needs.
public enum QueryRequestKind: String, Sendable, CaseIterable {
    case getModel = "get_model"
    case getProposal = "get_proposal"
    case getAccount = "get_account"
    case getParameters = "get_parameters"
    case getVote = "get_vote"
    case listModels = "list_models"
    case listProposals = "list_proposals"
    case getRoots = "get_roots"
    case getRoundResult = "get_round_result"
    case getStatistics = "get_statistics"
    case getSchedule = "get_schedule"
    case getKey = "get_key"
    case getFeeStatistics = "get_fee_statistics"
    case listSnapshots = "list_snapshots"
    case getSnapshotChunk = "get_snapshot_chunk"

    /// The kind of `request`'s oneof.
    public init(_ request: AiRegistry_V1_QueryRequest.OneOf_Request) {
        switch request {
        case .getModel: self = .getModel
        case .getProposal: self = .getProposal
        case .getAccount: self = .getAccount
        case .getParameters: self = .getParameters
        case .getVote: self = .getVote
        case .listModels: self = .listModels
        case .listProposals: self = .listProposals
        case .getRoots: self = .getRoots
        case .getRoundResult: self = .getRoundResult
        case .getStatistics: self = .getStatistics
        case .getSchedule: self = .getSchedule
        case .getKey: self = .getKey
        case .getFeeStatistics: self = .getFeeStatistics
        case .listSnapshots: self = .listSnapshots
        case .getSnapshotChunk: self = .getSnapshotChunk
        }
    }

    /// The scopes a request needs: `read` for everything except statistics (`stats`) and state-sync
    /// snapshots (`snapshots`); `proofs` in addition for raw key reads and for any read with `prove` set.
    public static func requiredScopes(_ request: AiRegistry_V1_QueryRequest.OneOf_Request) -> [QueryScope] {
        func withProof(_ prove: Bool) -> [QueryScope] { prove ? [.read, .proofs] : [.read] }
        switch request {
        case .getModel(let r): return withProof(r.read.prove)
        case .getProposal(let r): return withProof(r.read.prove)
        case .getAccount(let r): return withProof(r.read.prove)
        case .getParameters(let r): return withProof(r.read.prove)
        case .getVote(let r): return withProof(r.read.prove)
        case .getKey: return [.read, .proofs]
        case .getStatistics, .getFeeStatistics: return [.stats]
        case .listSnapshots, .getSnapshotChunk: return [.snapshots]
        case .listModels, .listProposals, .getRoots, .getRoundResult, .getSchedule: return [.read]
        }
    }
}
