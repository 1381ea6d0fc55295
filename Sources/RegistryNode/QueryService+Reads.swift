import Foundation
import RegistryCore
import Sodium
import Wire

/// Point reads: model, proposal, account, parameters, vote and any raw key, at a named round, with
/// an optional proof.
extension QueryService {
    func getModel(_ request: AiRegistry_V1_GetModelRequest, _ context: QueryContext) throws(WireError) -> AiRegistry_V1_GetModelResponse {
        let id: ModelID
        switch request.selector {
        case .id(let data):
            id = ModelID(try WireValidation.digest(data, field: "get_model.id"))
        case .nameVersion(let pair):
            try Self.checkText(pair.name, field: "get_model.name_version.name", maxBytes: RegistryCore.Limits.maxNameLength)
            try Self.checkText(
                pair.version, field: "get_model.name_version.version", maxBytes: RegistryCore.Limits.maxVersionLength)
            id = ModelID(name: pair.name, version: pair.version)
        case nil:
            throw .malformed("get_model.selector: set id or name_version", field: "get_model.selector")
        }
        let read = try context.readObject(
            Model.self, key: StateKey.model(id), read: request.read, roundField: "get_model.read.round",
            notFoundField: "get_model") { "model \(id) does not exist at round \($0)" }
        var response = AiRegistry_V1_GetModelResponse()
        response.round = read.round
        if let proof = read.proof { response.proof = proof }
        if let model = read.object, let value = read.value {
            response.model = AiRegistry_V1_Model(model)
            response.value = Data(value)
        }
        return response
    }

    func getProposal(_ request: AiRegistry_V1_GetProposalRequest, _ context: QueryContext) throws(WireError) -> AiRegistry_V1_GetProposalResponse {
        guard request.id >= 1 else { throw .invalid("get_proposal.id", "proposal ids start at 1 (got 0)") }
        let read = try context.readObject(
            Proposal.self, key: StateKey.proposal(request.id), read: request.read,
            roundField: "get_proposal.read.round", notFoundField: "get_proposal.id"
        ) { "proposal \(request.id) does not exist at round \($0)" }
        var response = AiRegistry_V1_GetProposalResponse()
        response.round = read.round
        if let proof = read.proof { response.proof = proof }
        if let proposal = read.object, let value = read.value {
            response.proposal = AiRegistry_V1_Proposal(proposal)
            response.value = Data(value)
        }
        return response
    }

    func getAccount(_ request: AiRegistry_V1_GetAccountRequest, _ context: QueryContext) throws(WireError) -> AiRegistry_V1_GetAccountResponse {
        let account = try WireValidation.account(request.account, field: "get_account.account")
        let read = try context.readObject(
            Account.self, key: StateKey.account(account), read: request.read,
            roundField: "get_account.read.round", notFoundField: "get_account.account"
        ) { "account \(account) has no state at round \($0)" }
        var response = AiRegistry_V1_GetAccountResponse()
        response.round = read.round
        if let proof = read.proof { response.proof = proof }
        if let state = read.object, let value = read.value {
            response.account = AiRegistry_V1_Account(id: account, account: state)
            response.value = Data(value)
        }
        return response
    }

    func getParameters(_ request: AiRegistry_V1_GetParametersRequest, _ context: QueryContext) throws(WireError) -> AiRegistry_V1_GetParametersResponse {
        let read = try context.readObject(
            Parameters.self, key: StateKey.parameters, read: request.read,
            roundField: "get_parameters.read.round", notFoundField: "get_parameters"
        ) { "no parameters are stored at round \($0)" }
        var response = AiRegistry_V1_GetParametersResponse()
        response.round = read.round
        if let proof = read.proof { response.proof = proof }
        if let parameters = read.object, let value = read.value {
            response.parameters = AiRegistry_V1_Parameters(parameters)
            response.value = Data(value)
        }
        return response
    }

    func getVote(_ request: AiRegistry_V1_GetVoteRequest, _ context: QueryContext) throws(WireError) -> AiRegistry_V1_GetVoteResponse {
        guard request.proposalID >= 1 else { throw .invalid("get_vote.proposal_id", "proposal ids start at 1 (got 0)") }
        let voter = try WireValidation.account(request.voter, field: "get_vote.voter")
        let read = try context.readObject(
            Vote.self, key: StateKey.vote(request.proposalID, voter), read: request.read,
            roundField: "get_vote.read.round", notFoundField: "get_vote"
        ) { "\(voter) has no vote on proposal \(request.proposalID) at round \($0)" }
        var response = AiRegistry_V1_GetVoteResponse()
        response.round = read.round
        if let proof = read.proof { response.proof = proof }
        if let vote = read.object, let value = read.value {
            response.vote = AiRegistry_V1_Vote(proposalID: request.proposalID, voter: voter, vote: vote)
            response.value = Data(value)
        }
        return response
    }

    /// A raw key: `found` false (not an error) when absent, so a client can ask for an absence proof.
    func getKey(_ request: AiRegistry_V1_GetKeyRequest, _ context: QueryContext) throws(WireError) -> AiRegistry_V1_GetKeyResponse {
        let key = [UInt8](request.key)
        guard (1...StateKey.maxKeyLength).contains(key.count) else {
            throw .invalid("get_key.key", "must have 1…\(StateKey.maxKeyLength) bytes (got \(key.count))")
        }
        let round = try context.resolve(request.read, field: "get_key.read.round")
        let (value, proof) = try context.read(key, round: round, prove: request.read.prove)
        var response = AiRegistry_V1_GetKeyResponse()
        response.round = round
        response.found = value != nil
        if let value { response.value = Data(value) }
        if let proof { response.proof = proof }
        return response
    }

    /// A required text field of 1…`maxBytes` bytes.
    static func checkText(_ text: String, field: String, maxBytes: Int, allowEmpty: Bool = false) throws(WireError) {
        let count = text.utf8.count
        guard count <= maxBytes, allowEmpty || count > 0 else {
            throw .invalid(field, "must have \(allowEmpty ? 0 : 1)…\(maxBytes) bytes (got \(count))")
        }
    }
}
