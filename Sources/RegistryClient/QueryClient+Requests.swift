import Foundation
import RegistryCore
import Wire

/// One method per query request. `round` nil reads the latest committed round; `prove` asks for a
/// Merkle proof of the value (or of its absence) against that round's root (`ProofCheck.verify`).
extension QueryClient {
    /// A model by id.
    public func getModel(id: ModelID, round: UInt64? = nil, prove: Bool = false) throws(RegistryClientError) -> AiRegistry_V1_GetModelResponse {
        var request = AiRegistry_V1_GetModelRequest()
        request.id = Data(id.bytes)
        request.read = Self.readOptions(round: round, prove: prove)
        guard case .getModel(let r)? = try call(.getModel(request), operation: "get_model").response else { throw Self.unexpected("get_model") }
        return r
    }

    /// A model by name and version.
    public func getModel(name: String, version: String, round: UInt64? = nil, prove: Bool = false) throws(RegistryClientError) -> AiRegistry_V1_GetModelResponse {
        var request = AiRegistry_V1_GetModelRequest()
        var selector = AiRegistry_V1_NameVersion()
        selector.name = name
        selector.version = version
        request.nameVersion = selector
        request.read = Self.readOptions(round: round, prove: prove)
        guard case .getModel(let r)? = try call(.getModel(request), operation: "get_model").response else { throw Self.unexpected("get_model") }
        return r
    }

    /// A proposal by id.
    public func getProposal(id: ProposalID, round: UInt64? = nil, prove: Bool = false) throws(RegistryClientError) -> AiRegistry_V1_GetProposalResponse {
        var request = AiRegistry_V1_GetProposalRequest()
        request.id = id
        request.read = Self.readOptions(round: round, prove: prove)
        guard case .getProposal(let r)? = try call(.getProposal(request), operation: "get_proposal").response else { throw Self.unexpected("get_proposal") }
        return r
    }

    /// An account (stake, fee balance, nonce).
    public func getAccount(_ account: AccountID, round: UInt64? = nil, prove: Bool = false) throws(RegistryClientError) -> AiRegistry_V1_GetAccountResponse {
        var request = AiRegistry_V1_GetAccountRequest()
        request.account = Data(account.bytes)
        request.read = Self.readOptions(round: round, prove: prove)
        guard case .getAccount(let r)? = try call(.getAccount(request), operation: "get_account").response else { throw Self.unexpected("get_account") }
        return r
    }

    /// The governance parameters.
    public func getParameters(round: UInt64? = nil, prove: Bool = false) throws(RegistryClientError) -> AiRegistry_V1_GetParametersResponse {
        var request = AiRegistry_V1_GetParametersRequest()
        request.read = Self.readOptions(round: round, prove: prove)
        guard case .getParameters(let r)? = try call(.getParameters(request), operation: "get_parameters").response else { throw Self.unexpected("get_parameters") }
        return r
    }

    /// A voter's effective vote on a proposal.
    public func getVote(proposal: ProposalID, voter: AccountID, round: UInt64? = nil, prove: Bool = false) throws(RegistryClientError) -> AiRegistry_V1_GetVoteResponse {
        var request = AiRegistry_V1_GetVoteRequest()
        request.proposalID = proposal
        request.voter = Data(voter.bytes)
        request.read = Self.readOptions(round: round, prove: prove)
        guard case .getVote(let r)? = try call(.getVote(request), operation: "get_vote").response else { throw Self.unexpected("get_vote") }
        return r
    }

    /// Any raw state key with its value and proof.
    public func getKey(_ key: [UInt8], round: UInt64? = nil, prove: Bool = true) throws(RegistryClientError) -> AiRegistry_V1_GetKeyResponse {
        var request = AiRegistry_V1_GetKeyRequest()
        request.key = Data(key)
        request.read = Self.readOptions(round: round, prove: prove)
        guard case .getKey(let r)? = try call(.getKey(request), operation: "get_key").response else { throw Self.unexpected("get_key") }
        return r
    }

    /// A page of models matching `filter` (nil for all); pass the previous page's `nextCursor` to continue.
    public func listModels(filter: AiRegistry_V1_ModelFilter.OneOf_Filter? = nil, cursor: [UInt8] = [], limit: UInt32 = 0) throws(RegistryClientError) -> AiRegistry_V1_ListModelsResponse {
        var request = AiRegistry_V1_ListModelsRequest()
        if let filter {
            var wrapped = AiRegistry_V1_ModelFilter()
            wrapped.filter = filter
            request.filter = wrapped
        }
        request.cursor = Data(cursor)
        request.limit = limit
        guard case .listModels(let r)? = try call(.listModels(request), operation: "list_models").response else { throw Self.unexpected("list_models") }
        return r
    }

    /// A page of proposals with `status` (a ProposalStatus name; empty for all).
    public func listProposals(status: String = "", cursor: [UInt8] = [], limit: UInt32 = 0) throws(RegistryClientError) -> AiRegistry_V1_ListProposalsResponse {
        var request = AiRegistry_V1_ListProposalsRequest()
        request.status = status
        request.cursor = Data(cursor)
        request.limit = limit
        guard case .listProposals(let r)? = try call(.listProposals(request), operation: "list_proposals").response else { throw Self.unexpected("list_proposals") }
        return r
    }

    /// The roots of retained rounds from `fromRound` (0: the earliest retained).
    public func getRoots(fromRound: UInt64 = 0, limit: UInt32 = 0) throws(RegistryClientError) -> AiRegistry_V1_GetRootsResponse {
        var request = AiRegistry_V1_GetRootsRequest()
        request.fromRound = fromRound
        request.limit = limit
        guard case .getRoots(let r)? = try call(.getRoots(request), operation: "get_roots").response else { throw Self.unexpected("get_roots") }
        return r
    }

    /// The stored result of a committed round, decoded (as ApplyRound answered it).
    public func getRoundResult(round: UInt64) throws(RegistryClientError) -> AiRegistry_V1_RoundResult {
        var request = AiRegistry_V1_GetRoundResultRequest()
        request.round = round
        guard case .getRoundResult(let r)? = try call(.getRoundResult(request), operation: "get_round_result").response else {
            throw Self.unexpected("get_round_result")
        }
        do { return try AiRegistry_V1_RoundResult(serializedBytes: r.roundResult) } catch {
            throw .malformedReply(operation: "get_round_result", reason: "undecodable round_result: \(error)")
        }
    }

    /// Registry and fee statistics.
    public func getStatistics() throws(RegistryClientError) -> AiRegistry_V1_GetStatisticsResponse {
        guard case .getStatistics(let r)? = try call(.getStatistics(AiRegistry_V1_GetStatisticsRequest()), operation: "get_statistics").response else {
            throw Self.unexpected("get_statistics")
        }
        return r
    }

    /// Fee statistics of a model or an account.
    public func getFeeStatistics(_ subject: AiRegistry_V1_GetFeeStatisticsRequest.OneOf_Subject) throws(RegistryClientError) -> AiRegistry_V1_GetFeeStatisticsResponse {
        var request = AiRegistry_V1_GetFeeStatisticsRequest()
        request.subject = subject
        guard case .getFeeStatistics(let r)? = try call(.getFeeStatistics(request), operation: "get_fee_statistics").response else {
            throw Self.unexpected("get_fee_statistics")
        }
        return r
    }

    /// Scheduled items of `queue` (empty for all queues) due from `fromRound`.
    public func getSchedule(queue: String = "", fromRound: UInt64 = 0, limit: UInt32 = 0) throws(RegistryClientError) -> AiRegistry_V1_GetScheduleResponse {
        var request = AiRegistry_V1_GetScheduleRequest()
        request.queue = queue
        request.fromRound = fromRound
        request.limit = limit
        guard case .getSchedule(let r)? = try call(.getSchedule(request), operation: "get_schedule").response else { throw Self.unexpected("get_schedule") }
        return r
    }
}
