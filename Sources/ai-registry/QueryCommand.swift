import ArgumentParser
import Foundation
import RegistryClient
import RegistryCore
import RegistryNode
import Sodium
import StateTree
import Wire
import ZMQ

/// `ai-registry query <request>`: a client of the query endpoint that prints the reply as JSON (bytes
/// as hex). With `--prove` the reply's Merkle proof is verified locally (`StateTree.verify` against
/// the returned root, for the key computed here from the request) and `"verified": true/false` is
/// added. An error reply is printed as `{"error": {...}}` and exits with status 2.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Query a running plugin and print the reply as JSON.",
        subcommands: [
            GetModel.self, GetProposal.self, GetAccount.self, GetVote.self, Params.self, ListModels.self,
            ListProposals.self, Roots.self, Round.self, Stats.self, FeeStats.self, Schedule.self, GetKey.self,
        ]
    )

    /// How to reach the endpoint.
    struct Connection: ParsableArguments {
        @Option(name: .long, help: "The query endpoint.")
        var endpoint = "tcp://127.0.0.1:26671"

        @Option(name: .long, help: "A query token (ai-registry token issue); default $AI_REGISTRY_QUERY_TOKEN.")
        var token: String?

        @Option(name: .long, help: "The server's CURVE public key (Z85 or hex), when the endpoint uses CURVE.")
        var serverKey: String?

        @Option(name: .long, help: "This client's CURVE secret key file (Z85, hex or JSON secret_key).")
        var clientKeyFile: String?

        @Option(name: .long, help: "How long to wait for the reply, in milliseconds.")
        var timeoutMs: Int = 5000

        @Flag(name: .long, help: "Print JSON on one line.")
        var compact = false

        func client() throws -> QueryClient {
            var curve: CurveCredentials?
            if let serverKey {
                guard let server = QueryServerConfiguration.decodeKey(serverKey) else {
                    throw ValidationError("--server-key must be 40 Z85 or 64 hex characters")
                }
                guard let clientKeyFile else { throw ValidationError("--server-key needs --client-key-file") }
                let secret = try QueryServerConfiguration.loadCurveSecretKey(path: clientKeyFile)
                curve = CurveCredentials(serverPublicKey: server, clientKeyPair: try CurveKeyPair(secretKey: secret))
            }
            guard (1...3_600_000).contains(timeoutMs) else { throw ValidationError("--timeout-ms must be 1…3600000") }
            let text = token ?? ProcessInfo.processInfo.environment["AI_REGISTRY_QUERY_TOKEN"] ?? ""
            return try QueryClient(endpoint: endpoint, token: text, curve: curve, timeout: .milliseconds(timeoutMs))
        }

        /// Sends `request`, prints the reply (and the proof check), exits 2 on an error reply.
        func run(_ request: AiRegistry_V1_QueryRequest.OneOf_Request, expectedKey: [UInt8]? = nil) throws {
            let client = try client()
            defer { client.close() }
            let response: AiRegistry_V1_QueryResponse
            do { response = try client.call(request, operation: QueryRequestKind(request).rawValue) } catch {
                try QueryCommand.fail(error, compact: compact)
            }
            var json = QueryJSONValue.response(response)
            if let check = QueryCommand.proofCheck(response, expectedKey: expectedKey) {
                guard case .object(var members) = json else { return }
                members.append(("verified", .bool(check.verified)))
                if let reason = check.reason { members.append(("verification_error", .string(reason))) }
                json = .object(members)
            }
            print(json.rendered(pretty: !compact))
        }
    }

    /// Round selection and proofs for point reads.
    struct Read: ParsableArguments {
        @Option(name: .long, help: "Read at this retained round (default: the latest).")
        var round: UInt64?

        @Flag(name: .long, help: "Ask for a Merkle proof and verify it locally.")
        var prove = false

        var options: AiRegistry_V1_ReadOptions {
            var options = AiRegistry_V1_ReadOptions()
            if let round { options.round = round }
            options.prove = prove
            return options
        }
    }

    /// Prints a client failure as JSON and exits (2 for an error reply, 1 otherwise).
    static func fail(_ error: Error, compact: Bool) throws -> Never {
        if let error = error as? RegistryClientError, let server = error.serverError {
            var wire = AiRegistry_V1_Error()
            wire.code = server.code
            wire.message = server.message
            wire.field = server.field
            wire.expectedRound = server.expectedRound
            wire.retryAfterMillis = server.retryAfterMillis
            wire.supportedVersions = server.supportedVersions
            print(QueryJSONValue.object([("error", .error(wire))]).rendered(pretty: !compact))
            throw ExitCode(2)
        }
        print(QueryJSONValue.object([("error", .object([("message", .string("\(error)"))]))]).rendered(pretty: !compact))
        throw ExitCode(1)
    }

    /// The local verification of a point read's proof, or nil when the reply has none.
    static func proofCheck(_ response: AiRegistry_V1_QueryResponse, expectedKey: [UInt8]?) -> (verified: Bool, reason: String?)? {
        let proof: AiRegistry_V1_Proof, value: Data, round: UInt64, present: Bool
        switch response.response {
        case .getModel(let r): (proof, value, round, present) = (r.proof, r.value, r.round, r.hasProof)
        case .getProposal(let r): (proof, value, round, present) = (r.proof, r.value, r.round, r.hasProof)
        case .getAccount(let r): (proof, value, round, present) = (r.proof, r.value, r.round, r.hasProof)
        case .getParameters(let r): (proof, value, round, present) = (r.proof, r.value, r.round, r.hasProof)
        case .getVote(let r): (proof, value, round, present) = (r.proof, r.value, r.round, r.hasProof)
        case .getKey(let r): (proof, value, round, present) = (r.proof, r.found ? r.value : Data(), r.round, r.hasProof)
        default: return nil
        }
        guard present else { return nil }
        let outcome = verify(proof, value: value.isEmpty ? nil : [UInt8](value), expectedKey: expectedKey)
        if outcome.verified && proof.round != round {
            return (false, "the proof is for round \(proof.round) but the reply is for round \(round)")
        }
        return outcome
    }

    /// `StateTree.verify` of `value` (nil: absence) under the proof's key and root; the key must be
    /// `expectedKey` when given (so a server cannot prove another key's value).
    static func verify(_ proof: AiRegistry_V1_Proof, value: [UInt8]?, expectedKey: [UInt8]?) -> (verified: Bool, reason: String?) {
        guard let root = Digest256(bytes: [UInt8](proof.root)) else { return (false, "the proof root is not 32 bytes") }
        let key = [UInt8](proof.key)
        if let expectedKey, expectedKey != key {
            return (false, "the proof is for key \(Hex.encode(key)), not \(Hex.encode(expectedKey))")
        }
        do {
            let decoded = try StateProof(decoding: [UInt8](proof.proof))
            try StateTree.verify(proof: decoded, root: root, key: key, value: value)
            return (true, nil)
        } catch {
            return (false, "\(error)")
        }
    }

    static func digest(_ text: String, option: String) throws -> Digest256 {
        guard let bytes = Hex.decode(text), let digest = Digest256(bytes: bytes) else {
            throw ValidationError("\(option) must be 64 hex characters (32 bytes)")
        }
        return digest
    }

    // MARK: Subcommands

    struct GetModel: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "get-model", abstract: "A model by id or by name and version.")
        @OptionGroup var connection: Connection
        @OptionGroup var read: Read
        @Option(name: .long, help: "The model id (64 hex).") var id: String?
        @Option(name: .long, help: "The model name (with --model-version).") var name: String?
        @Option(name: .customLong("model-version"), help: "The model version (with --name).") var modelVersion: String?

        func run() throws {
            var request = AiRegistry_V1_GetModelRequest()
            let modelID: ModelID
            if let id {
                modelID = ModelID(try QueryCommand.digest(id, option: "--id"))
                request.id = Data(modelID.bytes)
            } else if let name, let modelVersion {
                modelID = ModelID(name: name, version: modelVersion)
                var pair = AiRegistry_V1_NameVersion()
                pair.name = name
                pair.version = modelVersion
                request.nameVersion = pair
            } else {
                throw ValidationError("give --id, or --name and --model-version")
            }
            request.read = read.options
            try connection.run(.getModel(request), expectedKey: StateKey.model(modelID))
        }
    }

    struct GetProposal: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "get-proposal", abstract: "A proposal by id.")
        @OptionGroup var connection: Connection
        @OptionGroup var read: Read
        @Option(name: .long, help: "The proposal id.") var id: UInt64

        func run() throws {
            var request = AiRegistry_V1_GetProposalRequest()
            request.id = id
            request.read = read.options
            try connection.run(.getProposal(request), expectedKey: StateKey.proposal(id))
        }
    }

    struct GetAccount: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "get-account", abstract: "An account: nonce, balance, stake.")
        @OptionGroup var connection: Connection
        @OptionGroup var read: Read
        @Option(name: .long, help: "The account (64 hex: its Ed25519 public key).") var account: String

        func run() throws {
            let id = AccountID(try QueryCommand.digest(account, option: "--account"))
            var request = AiRegistry_V1_GetAccountRequest()
            request.account = Data(id.bytes)
            request.read = read.options
            try connection.run(.getAccount(request), expectedKey: StateKey.account(id))
        }
    }

    struct GetVote: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "get-vote", abstract: "A voter's effective vote on a proposal.")
        @OptionGroup var connection: Connection
        @OptionGroup var read: Read
        @Option(name: .long, help: "The proposal id.") var proposal: UInt64
        @Option(name: .long, help: "The voter account (64 hex).") var voter: String

        func run() throws {
            let id = AccountID(try QueryCommand.digest(voter, option: "--voter"))
            var request = AiRegistry_V1_GetVoteRequest()
            request.proposalID = proposal
            request.voter = Data(id.bytes)
            request.read = read.options
            try connection.run(.getVote(request), expectedKey: StateKey.vote(proposal, id))
        }
    }

    struct Params: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "params", abstract: "The governance parameters and fee schedules.")
        @OptionGroup var connection: Connection
        @OptionGroup var read: Read

        func run() throws {
            var request = AiRegistry_V1_GetParametersRequest()
            request.read = read.options
            try connection.run(.getParameters(request), expectedKey: StateKey.parameters)
        }
    }

    struct GetKey: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "get-key", abstract: "Any raw state key (hex), with its proof.")
        @OptionGroup var connection: Connection
        @OptionGroup var read: Read
        @Argument(help: "The raw key in hex.") var key: String

        func run() throws {
            guard let bytes = Hex.decode(key), !bytes.isEmpty else { throw ValidationError("the key must be non-empty hex") }
            var request = AiRegistry_V1_GetKeyRequest()
            request.key = Data(bytes)
            request.read = read.options
            try connection.run(.getKey(request), expectedKey: bytes)
        }
    }

    struct ListModels: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list-models", abstract: "Models, optionally filtered (one filter), a page at a time.")
        @OptionGroup var connection: Connection
        @Option(name: .long, help: "Filter by status (pending, approved, active, …).") var status: String?
        @Option(name: .long, help: "Filter by owner account (64 hex).") var owner: String?
        @Option(name: .long, help: "Filter by category.") var category: String?
        @Option(name: .long, help: "Filter by tag.") var tag: String?
        @Option(name: .long, help: "Filter by name prefix.") var namePrefix: String?
        @Option(name: .long, help: "The next_cursor of a previous page (hex).") var cursor: String?
        @Option(name: .long, help: "Page size 1…100 (0: 20).") var limit: UInt32 = 0

        func run() throws {
            var request = AiRegistry_V1_ListModelsRequest()
            let filters = [status, owner, category, tag, namePrefix].compactMap { $0 }
            guard filters.count <= 1 else { throw ValidationError("give at most one filter") }
            if let status { request.filter.status = status }
            if let owner { request.filter.owner = Data(try QueryCommand.digest(owner, option: "--owner").bytes) }
            if let category { request.filter.category = category }
            if let tag { request.filter.tag = tag }
            if let namePrefix { request.filter.namePrefix = namePrefix }
            if let cursor {
                guard let bytes = Hex.decode(cursor) else { throw ValidationError("--cursor must be hex") }
                request.cursor = Data(bytes)
            }
            request.limit = limit
            try connection.run(.listModels(request))
        }
    }

    struct ListProposals: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list-proposals", abstract: "Proposals in id order, optionally by status.")
        @OptionGroup var connection: Connection
        @Option(name: .long, help: "Filter by status (voting, passed, rejected, …).") var status: String = ""
        @Option(name: .long, help: "The next_cursor of a previous page (hex).") var cursor: String?
        @Option(name: .long, help: "Page size 1…100 (0: 20).") var limit: UInt32 = 0

        func run() throws {
            var request = AiRegistry_V1_ListProposalsRequest()
            request.status = status
            if let cursor {
                guard let bytes = Hex.decode(cursor) else { throw ValidationError("--cursor must be hex") }
                request.cursor = Data(bytes)
            }
            request.limit = limit
            try connection.run(.listProposals(request))
        }
    }

    struct Roots: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "roots", abstract: "State roots of retained rounds.")
        @OptionGroup var connection: Connection
        @Option(name: .long, help: "The first round to list (0: the earliest retained).") var from: UInt64 = 0
        @Option(name: .long, help: "How many, 1…1000 (0: 100).") var limit: UInt32 = 0

        func run() throws {
            var request = AiRegistry_V1_GetRootsRequest()
            request.fromRound = from
            request.limit = limit
            try connection.run(.getRoots(request))
        }
    }

    struct Round: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "round", abstract: "The stored result of a committed round.")
        @OptionGroup var connection: Connection
        @Argument(help: "The round.") var round: UInt64

        func run() throws {
            var request = AiRegistry_V1_GetRoundResultRequest()
            request.round = round
            try connection.run(.getRoundResult(request))
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "stats", abstract: "Registry and fee statistics.")
        @OptionGroup var connection: Connection

        func run() throws {
            try connection.run(.getStatistics(AiRegistry_V1_GetStatisticsRequest()))
        }
    }

    struct FeeStats: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "fee-stats", abstract: "Fee statistics of a model or an account.")
        @OptionGroup var connection: Connection
        @Option(name: .long, help: "A model id (64 hex).") var model: String?
        @Option(name: .long, help: "An account (64 hex).") var account: String?

        func run() throws {
            var request = AiRegistry_V1_GetFeeStatisticsRequest()
            switch (model, account) {
            case (let model?, nil): request.model = Data(try QueryCommand.digest(model, option: "--model").bytes)
            case (nil, let account?): request.account = Data(try QueryCommand.digest(account, option: "--account").bytes)
            default: throw ValidationError("give exactly one of --model and --account")
            }
            try connection.run(.getFeeStatistics(request))
        }
    }

    struct Schedule: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "schedule", abstract: "Due items: activations, deactivations, tallies, expiries, rent.")
        @OptionGroup var connection: Connection
        @Option(name: .long, help: "activation, deactivation, proposal_tally, proposal_expiry or rent_collection (default: all).")
        var queue: String = ""
        @Option(name: .long, help: "The first due round to list.") var from: UInt64 = 0
        @Option(name: .long, help: "How many, 1…1000 (0: 100).") var limit: UInt32 = 0

        func run() throws {
            var request = AiRegistry_V1_GetScheduleRequest()
            request.queue = queue
            request.fromRound = from
            request.limit = limit
            try connection.run(.getSchedule(request))
        }
    }
}
