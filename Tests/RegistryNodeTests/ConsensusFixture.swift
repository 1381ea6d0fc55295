import Foundation
import Logging
import RegistryCore
import RegistryWorkload
import Sodium
import StateStore
import StateTree
import SwiftProtobuf
import TestSupport
import Wire
@testable import RegistryNode

/// A `ConsensusService` over a StateStore in a temporary directory, a seeded workload to feed it, and
/// helpers that send requests as frames (the bytes the endpoint would receive).
final class ConsensusFixture: @unchecked Sendable {
    let directory: TemporaryDirectory
    private(set) var store: StateStore!
    private(set) var service: ConsensusService!
    var generator: WorkloadGenerator
    let storeConfiguration: StateStore.Configuration
    let options: ConsensusService.Options
    private var nextRequestID: UInt64 = 1

    static let logger = Logger(label: "consensus-test")

    init(seed: UInt64 = 0xC0_5E_05, transactionsPerRound: Int = 40, mapSize: Int = 1 << 30,
         options: ConsensusService.Options = ConsensusService.Options(retentionRounds: 0)) throws {
        directory = TemporaryDirectory(prefix: "consensus")
        storeConfiguration = StateStore.Configuration(mapSize: mapSize, durability: .noSync)
        self.options = options
        store = try StateStore(directory: directory.path + "/data", configuration: storeConfiguration)
        service = try ConsensusService(store: store, options: options, logger: Self.logger)
        let configuration = WorkloadConfiguration(chainID: "consensus-test", stakers: 6, users: 20, unfunded: 2,
                                                  transactionsPerRound: transactionsPerRound)
        generator = WorkloadGenerator(seed: seed, configuration: configuration)
    }

    /// Closes the service and the store and opens both again from disk (a restart).
    func reopen() throws {
        // One LMDB environment per directory per process: release the old one first.
        service = nil
        store = nil
        store = try StateStore(directory: directory.path + "/data", configuration: storeConfiguration)
        service = try ConsensusService(store: store, options: options, logger: Self.logger)
    }

    // MARK: Requests

    func request(_ body: AiRegistry_V1_ConsensusRequest.OneOf_Request, version: UInt32 = WireProtocol.version) -> AiRegistry_V1_ConsensusRequest {
        var request = AiRegistry_V1_ConsensusRequest()
        request.protocolVersion = version
        request.requestID = nextRequestID
        nextRequestID += 1
        request.request = body
        return request
    }

    /// Sends `request` as a frame and returns the reply (the response re-decoded from its bytes).
    func send(_ request: AiRegistry_V1_ConsensusRequest) throws -> ConsensusReply {
        let frame: [UInt8] = try request.serializedBytes()
        var reply = service.handle(frame: frame)
        let bytes: [UInt8] = try reply.response.serializedBytes()
        reply.response = try AiRegistry_V1_ConsensusResponse(serializedBytes: bytes)
        return reply
    }

    func info() throws -> AiRegistry_V1_InfoResponse {
        let reply = try send(request(.info(AiRegistry_V1_InfoRequest())))
        guard case .info(let info)? = reply.response.response else { throw FixtureError.unexpected(reply.response) }
        return info
    }

    func initChain(genesisRound: UInt64 = 0) throws -> ConsensusReply {
        try send(request(.initChain(AiRegistry_V1_InitChainRequest(generator.genesis, genesisRound: genesisRound))))
    }

    func apply(_ input: RoundInput) throws -> ConsensusReply {
        try send(request(.applyRound(AiRegistry_V1_ApplyRoundRequest(input))))
    }

    func preview(_ input: RoundInput) throws -> ConsensusReply {
        var body = AiRegistry_V1_PreviewRoundRequest()
        body.round = AiRegistry_V1_ApplyRoundRequest(input)
        return try send(request(.previewRound(body)))
    }

    func checkTx(_ tx: [UInt8]) throws -> ConsensusReply {
        var body = AiRegistry_V1_CheckTxRequest()
        body.tx = Data(tx)
        return try send(request(.checkTx(body)))
    }

    /// Applies the next generated round and returns its input and result (throws on an error reply).
    @discardableResult
    func applyNext() throws -> (input: RoundInput, result: AiRegistry_V1_RoundResult) {
        let input = generator.nextRound().input
        let reply = try apply(input)
        guard case .applyRound(let result)? = reply.response.response else { throw FixtureError.unexpected(reply.response) }
        return (input, result)
    }

    /// The store's latest version and root, read directly.
    func storeState() throws -> (version: UInt64?, root: Digest256?) {
        let snapshot = try store.snapshot()
        let state = (snapshot.version, try snapshot.latestRootHash())
        snapshot.close()
        return state
    }

    enum FixtureError: Error { case unexpected(AiRegistry_V1_ConsensusResponse) }
}

/// The same rounds executed straight through RoundExecutor and StateStore (no service, no wire): the
/// reference the service's roots must equal.
struct ReferenceChain {
    let directory = TemporaryDirectory(prefix: "reference")
    let store: StateStore
    let executor: RoundExecutor

    init(genesis: Genesis, genesisRound: UInt64 = 0) throws {
        store = try StateStore(directory: directory.path, configuration: StateStore.Configuration(durability: .noSync))
        executor = RoundExecutor(chainID: genesis.chainID)
        try store.commit(version: genesisRound, writes: try genesis.writes().map { KeyUpdate(key: $0.key, value: $0.value) })
    }

    func apply(_ input: RoundInput) throws -> (Digest256, RoundOutcome) {
        let reader = try SnapshotStateReader(store: store)
        let outcome = try executor.execute(input, state: reader)
        reader.close()
        let root = try store.commit(version: input.round, writes: outcome.writes.map { KeyUpdate(key: $0.key, value: $0.value) })
        return (root, outcome)
    }
}

extension ConsensusReply {
    /// The round result of an ApplyRound / PreviewRound reply.
    var roundResult: AiRegistry_V1_RoundResult? {
        switch response.response {
        case .applyRound(let result)?, .previewRound(let result)?: return result
        default: return nil
        }
    }

    /// The audit kinds among the actions.
    var auditKinds: [AuditKind] {
        actions.compactMap { if case .audit(let kind, _) = $0 { return kind } else { return nil } }
    }
}
