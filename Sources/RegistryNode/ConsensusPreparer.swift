import RegistryCore
import RoundPipeline

/// Executes a large round with signature verification overlapped with execution (ADR 0025): worker
/// threads decode and verify chunks of transactions in index order while the consensus thread executes,
/// and the consensus thread helps verify whenever the next transaction is not ready
/// (`RoundPipeline.PipelinedPreparation`, the same pipeline `registry-bench core` measures). Each slot
/// holds exactly `TransactionPreparer.prepare` of its transaction, so the outcome equals the sequential
/// one (D1); only the time differs.
enum ConsensusPreparer {
    /// Executes `input` over `state`, pulling prepared transactions from `workers` threads (default:
    /// one per active processor).
    static func execute(_ input: RoundInput, executor: RoundExecutor, state: any StateReader, maxBytes: UInt64,
                        workers: Int? = nil, chunkSize: Int? = nil) throws(StateError) -> RoundOutcome {
        let source = PipelinedPreparation(input.transactions, chainID: executor.chainID, maxBytes: maxBytes,
                                          workers: workers ?? Processor.count, chunkSize: chunkSize)
        defer { source.cancel() }
        return try executor.execute(input, state: state, source: source)
    }
}
