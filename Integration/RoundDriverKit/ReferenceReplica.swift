import RegistryCore
import Sodium
import StateTree

/// The driver's own replica, in process: `RoundExecutor` over a `MemoryState` with the state tree in
/// a `MemoryNodeStore`, so it computes the same outcome and the same root a plugin must (the tree
/// holds exactly the state writes, as the plugin's `StateStore` does: genesis at version
/// `genesisRound`, round R at version R).
///
/// It is the yardstick every plugin replica is compared with, and the source of the write sets a
/// divergence report diffs against. Old tree versions are pruned (`retainedVersions`).
public struct ReferenceReplica: Sendable {
    /// Why the reference could not execute (it never diverges; these are bugs or bad input).
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case genesis(Genesis.GenesisError)
        case state(StateError)
        case tree(operation: String, StateTreeError)
        case store(operation: String, NodeStoreError)
        case roundOutOfOrder(round: Round, expected: Round)

        public var description: String {
            switch self {
            case .genesis(let e): return "genesis refused: \(e)"
            case .state(let e): return "execute: \(e)"
            case .tree(let op, let e): return "state tree \(op): \(e)"
            case .store(let op, let e): return "node store \(op): \(e)"
            case .roundOutOfOrder(let round, let expected): return "reference asked for round \(round), expected \(expected)"
            }
        }
    }

    public let genesis: Genesis
    public let genesisRound: Round
    public let executor: RoundExecutor
    /// The state after `round`.
    public private(set) var state = MemoryState()
    /// The last executed round (`genesisRound` right after genesis).
    public private(set) var round: Round
    /// The root after `round`.
    public private(set) var root: Digest256
    /// Tree versions kept for proofs (older ones are pruned every `pruneInterval` rounds).
    public var retainedVersions: UInt64 = 64
    private var nodes = MemoryNodeStore()
    private let tree = StateTree(applyVerification: .structural)
    private let pruneInterval: UInt64 = 32

    /// The state of `genesis` committed at `genesisRound`.
    public init(genesis: Genesis, genesisRound: Round = 0) throws(Failure) {
        self.genesis = genesis
        self.genesisRound = genesisRound
        executor = RoundExecutor(chainID: genesis.chainID)
        let writes: [StateWrite]
        do { writes = try genesis.writes() } catch { throw .genesis(error) }
        round = genesisRound
        root = .zero
        root = try commitTree(version: genesisRound, writes: writes)
        state.apply(writes)
    }

    /// Executes the next round (`input.round` must be `round + 1`), applies its writes and returns the
    /// outcome and the new root.
    public mutating func execute(_ input: RoundInput) throws(Failure) -> (outcome: RoundOutcome, root: Digest256) {
        guard input.round == round + 1 else { throw .roundOutOfOrder(round: input.round, expected: round + 1) }
        let outcome: RoundOutcome
        do { outcome = try executor.execute(input, state: state) } catch { throw .state(error) }
        let newRoot = try commitTree(version: input.round, writes: outcome.writes)
        state.apply(outcome.writes)
        round = input.round
        root = newRoot
        if input.round % pruneInterval == 0 && input.round > genesisRound + retainedVersions {
            try prune(firstRetained: input.round - retainedVersions)
        }
        return (outcome, newRoot)
    }

    /// The value of `key` after `round` (nil if absent).
    public func value(_ key: [UInt8]) -> [UInt8]? { try? state.value(for: key) }

    /// The value of `key` at a retained tree version, with its proof (for tests of proof checking).
    public func proven(_ key: [UInt8], at version: Round) throws(Failure) -> (value: [UInt8]?, proof: StateProof) {
        do { return try tree.get(key, at: version, in: nodes) } catch { throw .tree(operation: "get", error) }
    }

    /// Decodes the value of `key` as `T`, nil when absent or undecodable.
    public func decode<T: CanonicalCodable>(_ type: T.Type, _ key: [UInt8]) -> T? {
        guard let bytes = value(key) else { return nil }
        return try? T(canonicalBytes: bytes)
    }

    private mutating func commitTree(version: Round, writes: [StateWrite]) throws(Failure) -> Digest256 {
        let updates = writes.map { KeyUpdate(key: $0.key, value: $0.value) }
        let result: (rootHash: Digest256, batch: TreeUpdateBatch)
        do { result = try tree.apply(version: version, updates: updates, in: nodes) } catch { throw .tree(operation: "apply", error) }
        do { try nodes.commit(result.batch) } catch { throw .store(operation: "commit", error) }
        return result.rootHash
    }

    private mutating func prune(firstRetained: Round) throws(Failure) {
        while true {
            let batch: PruneBatch
            do { batch = try tree.pruneBatch(firstRetained: firstRetained, limit: 100_000, in: nodes) } catch {
                throw .tree(operation: "prune", error)
            }
            do { try nodes.apply(batch) } catch { throw .store(operation: "prune", error) }
            if batch.isComplete { return }
        }
    }
}
