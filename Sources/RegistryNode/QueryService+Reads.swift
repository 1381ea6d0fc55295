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
        let round = try context.resolve(request.read, field: "get_model.read.round")
        let key = StateKey.model(id)
        let (value, proof) = try context.read(key, round: round, prove: request.read.prove)
        var response = AiRegistry_V1_GetModelResponse()
        response.round = round
        if let proof { response.proof = proof }
        if let value {
            response.model = AiRegistry_V1_Model(try context.decode(Model.self, value, key: key))
            response.value = Data(value)
        } else if !request.read.prove {
            throw WireError(.notFound, "model \(id) does not exist at round \(round)", field: "get_model")
        }
        return response
    }

    func getProposal(_ request: AiRegistry_V1_GetProposalRequest, _ context: QueryContext) throws(WireError) -> AiRegistry_V1_GetProposalResponse {
        guard request.id >= 1 else { throw .invalid("get_proposal.id", "proposal ids start at 1 (got 0)") }
        let round = try context.resolve(request.read, field: "get_proposal.read.round")
        let key = StateKey.proposal(request.id)
        let (value, proof) = try context.read(key, round: round, prove: request.read.prove)
        var response = AiRegistry_V1_GetProposalResponse()
        response.round = round
        if let proof { response.proof = proof }
        if let value {
            response.proposal = AiRegistry_V1_Proposal(try context.decode(Proposal.self, value, key: key))
            response.value = Data(value)
        } else if !request.read.prove {
            throw WireError(.notFound, "proposal \(request.id) does not exist at round \(round)", field: "get_proposal.id")
        }
        return response
    }

    func getAccount(_ request: AiRegistry_V1_GetAccountRequest, _ context: QueryContext) throws(WireError) -> AiRegistry_V1_GetAccountResponse {
        let account = try WireValidation.account(request.account, field: "get_account.account")
        let round = try context.resolve(request.read, field: "get_account.read.round")
        let key = StateKey.account(account)
        let (value, proof) = try context.read(key, round: round, prove: request.read.prove)
        var response = AiRegistry_V1_GetAccountResponse()
        response.round = round
        if let proof { response.proof = proof }
        if let value {
            response.account = AiRegistry_V1_Account(id: account, account: try context.decode(Account.self, value, key: key))
            response.value = Data(value)
        } else if !request.read.prove {
            throw WireError(.notFound, "account \(account) has no state at round \(round)", field: "get_account.account")
        }
        return response
    }

    func getParameters(_ request: AiRegistry_V1_GetParametersRequest, _ context: QueryContext) throws(WireError) -> AiRegistry_V1_GetParametersResponse {
        let round = try context.resolve(request.read, field: "get_parameters.read.round")
        let key = StateKey.parameters
        let (value, proof) = try context.read(key, round: round, prove: request.read.prove)
        var response = AiRegistry_V1_GetParametersResponse()
        response.round = round
        if let proof { response.proof = proof }
        if let value {
            response.parameters = AiRegistry_V1_Parameters(try context.decode(Parameters.self, value, key: key))
            response.value = Data(value)
        } else if !request.read.prove {
            throw WireError(.notFound, "no parameters are stored at round \(round)", field: "get_parameters")
        }
        return response
    }

    func getVote(_ request: AiRegistry_V1_GetVoteRequest, _ context: QueryContext) throws(WireError) -> AiRegistry_V1_GetVoteResponse {
        guard request.proposalID >= 1 else { throw .invalid("get_vote.proposal_id", "proposal ids start at 1 (got 0)") }
        let voter = try WireValidation.account(request.voter, field: "get_vote.voter")
        let round = try context.resolve(request.read, field: "get_vote.read.round")
        let key = StateKey.vote(request.proposalID, voter)
        let (value, proof) = try context.read(key, round: round, prove: request.read.prove)
        var response = AiRegistry_V1_GetVoteResponse()
        response.round = round
        if let proof { response.proof = proof }
        if let value {
            response.vote = AiRegistry_V1_Vote(
                proposalID: request.proposalID, voter: voter, vote: try context.decode(Vote.self, value, key: key))
            response.value = Data(value)
        } else if !request.read.prove {
            throw WireError(
                .notFound, "\(voter) has no vote on proposal \(request.proposalID) at round \(round)", field: "get_vote")
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
