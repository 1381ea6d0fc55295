import Foundation
import RegistryCore
import RegistryWorkload
import Sodium
import StateStore
import StateTree
import Synchronization
import TestSupport

/// The in-process reference the real process is compared with: a seeded workload's rounds executed by
/// `RoundExecutor` over `MemoryState`, and the same writes committed to a `StateStore` in a temporary
/// directory for the roots (genesis at version 0, round r at version r). Cached per parameters, so
/// every test of the process uses one computation.
struct ReferenceRun: Sendable {
    struct Key: Hashable { let seed: UInt64; let rounds: Int; let transactions: Int }

    let genesis: Genesis
    let rounds: [WorkloadRound]
    let outcomes: [RoundOutcome]
    /// `roots[0]` is the genesis root; `roots[r]` the root after round r.
    let roots: [Digest256]

    var chainID: String { genesis.chainID }

    /// The root after `round` (0: genesis).
    func root(after round: UInt64) -> Digest256 { roots[Int(round)] }

    private static let cache = Mutex<[Key: ReferenceRun]>([:])

    /// The reference run of `rounds` generated rounds of `transactions` transactions from `seed`.
    static func make(seed: UInt64, rounds: Int, transactions: Int) throws -> ReferenceRun {
        let key = Key(seed: seed, rounds: rounds, transactions: transactions)
        if let cached = cache.withLock({ $0[key] }) { return cached }
        var configuration = WorkloadConfiguration.standard
        configuration.transactionsPerRound = transactions
        var generator = WorkloadGenerator(seed: seed, configuration: configuration)
        let genesis = generator.genesis
        let genesisWrites = try genesis.writes()
        var state = MemoryState()
        state.apply(genesisWrites)
        let executor = RoundExecutor(chainID: genesis.chainID)

        let directory = TemporaryDirectory(prefix: "ai-registry-reference")
        let store = try StateStore(directory: directory.path, configuration: .init(durability: .noSync))
        var roots = [try store.commit(version: 0, writes: genesisWrites.map { StateStore.Write(key: $0.key, value: $0.value) })]
        var generated: [WorkloadRound] = []
        var outcomes: [RoundOutcome] = []
        for _ in 0..<rounds {
            let round = generator.nextRound()
            let outcome = try executor.execute(round.input, state: state)
            state.apply(outcome.writes)
            roots.append(try store.commit(version: round.input.round,
                                          writes: outcome.writes.map { StateStore.Write(key: $0.key, value: $0.value) }))
            generated.append(round)
            outcomes.append(outcome)
        }
        let run = ReferenceRun(genesis: genesis, rounds: generated, outcomes: outcomes, roots: roots)
        cache.withLock { $0[key] = run }
        return run
    }
}
