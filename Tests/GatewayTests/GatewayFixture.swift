import Foundation
import Logging
import RegistryCore
import RegistryGateway
import RegistryNode
import RegistryWorkload
import Sodium
import StateStore
import StateTree
import TestSupport
import Wire

/// A store filled by executing a seeded workload's rounds (genesis as round 0, then `rounds` rounds
/// committed with their round records, as the consensus side does), and helpers to run a gateway over it.
final class GatewayFixture: @unchecked Sendable {
    let directory: TemporaryDirectory
    let store: StateStore
    /// The root of every committed round.
    private(set) var roots: [UInt64: Digest256] = [:]
    let latest: UInt64

    init(rounds: Int, seed: UInt64 = 0x6A7E_3A11) throws {
        directory = TemporaryDirectory(prefix: "gateway")
        store = try StateStore(directory: directory.path, configuration: StateStore.Configuration(durability: .noSync))
        let configuration = WorkloadConfiguration(
            chainID: "gateway-test", stakers: 8, users: 24, unfunded: 2, transactionsPerRound: 60)
        var generator = WorkloadGenerator(seed: seed, configuration: configuration)
        let executor = RoundExecutor(chainID: configuration.chainID)
        let genesis = try generator.genesis.writes().sorted { $0.key.lexicographicallyPrecedes($1.key) }
        roots[0] = try store.commit(version: 0, writes: genesis.map { KeyUpdate(key: $0.key, value: $0.value) })
        for _ in 0..<rounds {
            let round = generator.nextRound()
            let reader = try SnapshotStateReader(store: store)
            let outcome = try executor.execute(round.input, state: reader)
            reader.close()
            let record = RoundRecord(input: round.input, outcome: outcome)
            roots[round.input.round] = try store.commit(
                version: round.input.round, writes: outcome.writes.map { KeyUpdate(key: $0.key, value: $0.value) },
                roundRecord: record.canonicalBytes())
        }
        latest = generator.round
    }

    /// Every entry of the flat state under `table`, in key order.
    func entries(_ table: StateKey.Table) throws -> [StateEntry] {
        let snapshot = try store.snapshot()
        let entries = try snapshot.scan(prefix: [table.rawValue])
        snapshot.close()
        return entries
    }

    static let logger = Logger(label: "gateway-tests")

    /// Starts a gateway on an ephemeral loopback port (off the cooperative pool), runs `body` with a
    /// probe of it, and stops it.
    func withGateway<T: Sendable>(
        _ configuration: GatewayConfiguration = GatewayConfiguration(enabled: true, port: 0),
        tokenKeys: [QueryTokenKey] = [], clock: QueryClock = .system, audit: AuditLog? = nil,
        _ body: (Gateway, HTTPProbe) async throws -> T
    ) async throws -> T {
        let gateway = Gateway(configuration: configuration, store: store, tokenKeys: tokenKeys, clock: clock, audit: audit,
                              auditPerClientPerMinute: 2, logger: Self.logger)
        let port = try await offPool { () throws -> Int in
            try gateway.start()
            return gateway.boundPort ?? 0
        }
        do {
            let result = try await body(gateway, HTTPProbe(port: port))
            try await offPool { gateway.stop() }
            return result
        } catch {
            try await offPool { gateway.stop() }
            throw error
        }
    }
}

/// The JSON of a probe response.
extension HTTPProbe.Response {
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed]) }

    /// `error.parameter` of an error body.
    var errorParameter: String? { ((json as? [String: Any])?["error"] as? [String: Any])?["parameter"] as? String }

    /// `error.code` of an error body.
    var errorCode: String? { ((json as? [String: Any])?["error"] as? [String: Any])?["code"] as? String }
}
