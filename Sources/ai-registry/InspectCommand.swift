import ArgumentParser
import Foundation
import RegistryCore
import RegistryNode
import Sodium
import StateStore
import Wire

/// `ai-registry inspect --data-dir D <roots|get|round|model|stats>`: reads straight from a data
/// directory (the LMDB environment opened read-only; a running plugin may keep writing) and prints
/// JSON, answering exactly as the query endpoint would (`QueryService`), with proofs verified locally.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Read roots, values with proofs, round results and statistics straight from a data directory.",
        subcommands: [Roots.self, Get.self, Round.self, Model.self, Stats.self, InspectDiffCommand.self]
    )

    /// The data directory and output style.
    struct Store: ParsableArguments {
        @Option(name: .long, help: "The plugin's data directory (holding data.mdb).")
        var dataDir: String

        @Flag(name: .long, help: "Print JSON on one line.")
        var compact = false

        /// Answers `request` from a read-only snapshot and prints it; exits 2 on an error reply.
        func run(_ request: AiRegistry_V1_QueryRequest.OneOf_Request, expectedKey: [UInt8]? = nil) throws {
            guard FileManager.default.fileExists(atPath: dataDir + "/data.mdb") else {
                throw ValidationError("--data-dir: \(dataDir) holds no data.mdb")
            }
            let store: StateStore
            do {
                store = try StateStore(
                    directory: dataDir, configuration: StateStore.Configuration(createDirectory: false, readOnly: true))
            } catch {
                throw ValidationError("cannot open the store in \(dataDir): \(error)")
            }
            var message = AiRegistry_V1_QueryRequest()
            message.protocolVersion = WireProtocol.version
            message.request = request
            let response = QueryService().respond(to: message, store: store)
            var json = QueryJSONValue.response(response)
            if case .error? = response.response {
                print(json.rendered(pretty: !compact))
                throw ExitCode(2)
            }
            if let check = QueryCommand.proofCheck(response, expectedKey: expectedKey), case .object(var members) = json {
                members.append(("verified", .bool(check.verified)))
                if let reason = check.reason { members.append(("verification_error", .string(reason))) }
                json = .object(members)
            }
            print(json.rendered(pretty: !compact))
        }
    }

    struct Roots: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "State roots of the retained rounds.")
        @OptionGroup var store: Store
        @Option(name: .long, help: "The first round to list (0: the earliest retained).") var from: UInt64 = 0
        @Option(name: .long, help: "How many, 1…1000 (0: 100).") var limit: UInt32 = 0

        func run() throws {
            var request = AiRegistry_V1_GetRootsRequest()
            request.fromRound = from
            request.limit = limit
            try store.run(.getRoots(request))
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A raw key's value at a round, with its proof, verified.")
        @OptionGroup var store: Store
        @Argument(help: "The raw key in hex.") var key: String
        @Option(name: .long, help: "The round (default: the latest).") var round: UInt64?

        func run() throws {
            guard let bytes = Hex.decode(key), !bytes.isEmpty else { throw ValidationError("the key must be non-empty hex") }
            var request = AiRegistry_V1_GetKeyRequest()
            request.key = Data(bytes)
            if let round { request.read.round = round }
            request.read.prove = true
            try store.run(.getKey(request), expectedKey: bytes)
        }
    }

    struct Round: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The stored result of a round.")
        @OptionGroup var store: Store
        @Argument(help: "The round.") var round: UInt64

        func run() throws {
            var request = AiRegistry_V1_GetRoundResultRequest()
            request.round = round
            try store.run(.getRoundResult(request))
        }
    }

    struct Model: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A model by id, with its proof, verified.")
        @OptionGroup var store: Store
        @Argument(help: "The model id (64 hex).") var id: String
        @Option(name: .long, help: "The round (default: the latest).") var round: UInt64?

        func run() throws {
            let modelID = ModelID(try QueryCommand.digest(id, option: "the model id"))
            var request = AiRegistry_V1_GetModelRequest()
            request.id = Data(modelID.bytes)
            if let round { request.read.round = round }
            request.read.prove = true
            try store.run(.getModel(request), expectedKey: StateKey.model(modelID))
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Registry and fee statistics of the latest round.")
        @OptionGroup var store: Store

        func run() throws {
            try store.run(.getStatistics(AiRegistry_V1_GetStatisticsRequest()))
        }
    }
}
