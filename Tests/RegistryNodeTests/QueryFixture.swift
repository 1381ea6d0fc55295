import Foundation
import Logging
import RegistryCore
import RegistryWorkload
import Sodium
import StateStore
import StateTree
import Synchronization
import TestSupport
import Wire
@testable import RegistryNode

/// A store built by executing real rounds: a seeded workload's genesis committed as round 0, then
/// generated rounds executed by `RoundExecutor` over a snapshot and committed through `StateStore` with
/// their round records, as the consensus side does. Remembers every root and, per round, the values
/// of a sample of keys (accounts, parameters, statistics) to check historical reads.
final class QueryFixture: @unchecked Sendable {
    let directory: TemporaryDirectory
    let store: StateStore
    var generator: WorkloadGenerator
    let executor: RoundExecutor
    /// The root of every committed round.
    private(set) var roots: [UInt64: Digest256] = [:]
    /// Transactions per committed round.
    private(set) var transactionCounts: [UInt64: Int] = [:]
    /// Per round, the value (nil: absent) of each key of `sampleKeys`.
    private(set) var history: [UInt64: [[UInt8]: [UInt8]?]] = [:]
    let sampleKeys: [[UInt8]]
    let transactionsPerRound: Int

    var latest: UInt64 { generator.round }

    init(rounds: Int, seed: UInt64 = 0x51_7E57, transactionsPerRound: Int = 60) throws {
        directory = TemporaryDirectory(prefix: "query")
        store = try StateStore(directory: directory.path, configuration: StateStore.Configuration(durability: .noSync))
        let configuration = WorkloadConfiguration(
            chainID: "query-test", stakers: 8, users: 24, unfunded: 2, transactionsPerRound: transactionsPerRound)
        generator = WorkloadGenerator(seed: seed, configuration: configuration)
        executor = RoundExecutor(chainID: configuration.chainID)
        self.transactionsPerRound = transactionsPerRound
        sampleKeys = generator.keys.accounts.prefix(12).map { StateKey.account($0) }
            + [StateKey.parameters, StateKey.registryStatistics, StateKey.feeTotals]
        let genesis = try generator.genesis.writes().sorted { $0.key.lexicographicallyPrecedes($1.key) }
        roots[0] = try store.commit(version: 0, writes: genesis.map { KeyUpdate(key: $0.key, value: $0.value) })
        transactionCounts[0] = 0
        try recordHistory(0)
        for _ in 0..<rounds { try applyNextRound() }
    }

    /// Generates, executes and commits the next round.
    func applyNextRound() throws {
        let round = generator.nextRound()
        let reader = try SnapshotStateReader(store: store)
        let outcome = try executor.execute(round.input, state: reader)
        reader.close()
        let record = RoundRecord(input: round.input, outcome: outcome)
        roots[round.input.round] = try store.commit(
            version: round.input.round, writes: outcome.writes.map { KeyUpdate(key: $0.key, value: $0.value) },
            roundRecord: record.canonicalBytes())
        transactionCounts[round.input.round] = round.input.transactions.count
        try recordHistory(round.input.round)
    }

    private func recordHistory(_ round: UInt64) throws {
        let snapshot = try store.snapshot()
        var values: [[UInt8]: [UInt8]?] = [:]
        for key in sampleKeys { values[key] = .some(try snapshot.value(key)) }
        snapshot.close()
        history[round] = values
    }

    /// Every entry of the flat state whose key starts with `prefix`, in key order.
    func scan(prefix: [UInt8]) throws -> [StateEntry] {
        let snapshot = try store.snapshot()
        let entries = try snapshot.scan(prefix: prefix)
        snapshot.close()
        return entries
    }

    /// All models in id order, decoded from the model table.
    func allModels() throws -> [Model] {
        try scan(prefix: [StateKey.Table.model.rawValue]).map { try Model(canonicalBytes: $0.value) }
    }

    /// All proposals in id order.
    func allProposals() throws -> [Proposal] {
        try scan(prefix: [StateKey.Table.proposal.rawValue]).map { try Proposal(canonicalBytes: $0.value) }
    }

    /// Answers `request` with a fresh QueryService over a fresh snapshot.
    func respond(_ body: AiRegistry_V1_QueryRequest.OneOf_Request, version: UInt32 = 1, id: UInt64 = 7) -> AiRegistry_V1_QueryResponse {
        var request = AiRegistry_V1_QueryRequest()
        request.protocolVersion = version
        request.requestID = id
        request.request = body
        return QueryService().respond(to: request, store: store)
    }

    static let logger = Logger(label: "query-tests")

    private static let sharedFixture = Mutex<QueryFixture?>(nil)

    /// One fixture of 24 rounds shared by the tests that only read (built once per process).
    static func shared() throws -> QueryFixture {
        try sharedFixture.withLock { (cached: inout QueryFixture?) throws -> QueryFixture in
            if let cached { return cached }
            let fixture = try QueryFixture(rounds: 24)
            cached = fixture
            return fixture
        }
    }
}

/// Request builders.
enum Q {
    static func read(round: UInt64? = nil, prove: Bool = false) -> AiRegistry_V1_ReadOptions {
        var options = AiRegistry_V1_ReadOptions()
        if let round { options.round = round }
        options.prove = prove
        return options
    }

    static func model(_ id: [UInt8], round: UInt64? = nil, prove: Bool = false) -> AiRegistry_V1_QueryRequest.OneOf_Request {
        var r = AiRegistry_V1_GetModelRequest()
        r.id = Data(id)
        r.read = read(round: round, prove: prove)
        return .getModel(r)
    }

    static func key(_ key: [UInt8], round: UInt64? = nil, prove: Bool = true) -> AiRegistry_V1_QueryRequest.OneOf_Request {
        var r = AiRegistry_V1_GetKeyRequest()
        r.key = Data(key)
        r.read = read(round: round, prove: prove)
        return .getKey(r)
    }

    static func listModels(filter: AiRegistry_V1_ModelFilter.OneOf_Filter? = nil, cursor: Data = Data(), limit: UInt32) -> AiRegistry_V1_QueryRequest.OneOf_Request {
        var r = AiRegistry_V1_ListModelsRequest()
        r.filter.filter = filter
        r.cursor = cursor
        r.limit = limit
        return .listModels(r)
    }

    static func listProposals(status: String = "", cursor: Data = Data(), limit: UInt32) -> AiRegistry_V1_QueryRequest.OneOf_Request {
        var r = AiRegistry_V1_ListProposalsRequest()
        r.status = status
        r.cursor = cursor
        r.limit = limit
        return .listProposals(r)
    }
}

/// Reply accessors that fail the test with the reply printed.
extension AiRegistry_V1_QueryResponse {
    var errorReply: AiRegistry_V1_Error? {
        if case .error(let e)? = response { return e }
        return nil
    }
}

/// `StateTree.verify` of a wire proof for `value` against `root`; the error when it does not verify.
func verifyProof(_ proof: AiRegistry_V1_Proof, value: [UInt8]?, root: Digest256) -> Error? {
    do {
        let decoded = try StateProof(decoding: [UInt8](proof.proof))
        try StateTree.verify(proof: decoded, root: root, key: [UInt8](proof.key), value: value)
        return nil
    } catch {
        return error
    }
}
