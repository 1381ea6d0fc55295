import RegistryCore
import Sodium

/// Executes generated rounds with `RoundExecutor` over a `MemoryState`, applying each outcome's writes
/// (the shell's commit, in memory).
public struct WorkloadRunner: Sendable {
    /// How transactions are prepared (decoded and signature-checked) before execution.
    public enum Preparation: String, Sendable, CaseIterable {
        /// The executor prepares each transaction itself.
        case none
        /// Prepared on the calling thread, then passed to the executor.
        case sequential
        /// Prepared on all cores, then passed to the executor.
        case parallel
        /// Prepared by worker threads while the executor runs (ADR 0025); `prepare` treats it as `parallel`.
        case pipelined
    }

    /// The committed state after the last executed round.
    public private(set) var state: MemoryState
    /// The executor of the genesis chain id.
    public let executor: RoundExecutor

    /// A state holding `genesis`.
    public init(genesis: Genesis) throws(Genesis.GenesisError) {
        state = MemoryState()
        state.apply(try genesis.writes())
        executor = RoundExecutor(chainID: genesis.chainID)
    }

    /// Prepares the round's transactions as asked (with the state's current size limit).
    public func prepare(_ transactions: [[UInt8]], _ preparation: Preparation) throws(StateError) -> [PreparedTransaction]? {
        guard preparation != .none else { return nil }
        let maxBytes = try RoundExecutor.parameters(in: state).maxTransactionBytes
        switch preparation {
        case .sequential: return ParallelPreparer.prepareSequentially(transactions, chainID: executor.chainID, maxBytes: maxBytes)
        default: return ParallelPreparer.prepareInParallel(transactions, chainID: executor.chainID, maxBytes: maxBytes)
        }
    }

    /// Executes `input` and applies its writes.
    @discardableResult
    public mutating func execute(_ input: RoundInput, preparation: Preparation = .none) throws(StateError) -> RoundOutcome {
        let outcome: RoundOutcome
        if preparation == .pipelined {
            let maxBytes = try RoundExecutor.parameters(in: state).maxTransactionBytes
            outcome = try ParallelPreparer.executePipelined(input, executor: executor, state: state, maxBytes: maxBytes)
        } else {
            outcome = try executor.execute(input, state: state, prepared: try prepare(input.transactions, preparation))
        }
        state.apply(outcome.writes)
        return outcome
    }

    /// Executes `input` with transactions prepared beforehand, and applies its writes.
    @discardableResult
    public mutating func execute(_ input: RoundInput, prepared: [PreparedTransaction]) throws(StateError) -> RoundOutcome {
        let outcome = try executor.execute(input, state: state, prepared: prepared)
        state.apply(outcome.writes)
        return outcome
    }
}
