import Dispatch
import RegistryCore
import RoundPipeline

/// Runs `TransactionPreparer.prepare` (decode + Ed25519 verification) over a round's transactions,
/// on one core or on all cores (`DispatchQueue.concurrentPerform` over contiguous chunks). The result
/// is the same array either way; only the time differs.
public enum ParallelPreparer {
    /// One prepared transaction per input, in order, on the calling thread.
    public static func prepareSequentially(_ transactions: [[UInt8]], chainID: String, maxBytes: UInt64) -> [PreparedTransaction] {
        transactions.map { TransactionPreparer.prepare($0, chainID: chainID, maxBytes: maxBytes) }
    }

    /// One prepared transaction per input, in order, using `chunks` concurrent chunks (default: four
    /// per active processor).
    public static func prepareInParallel(_ transactions: [[UInt8]], chainID: String, maxBytes: UInt64,
                                         chunks: Int? = nil) -> [PreparedTransaction] {
        let count = transactions.count
        guard count > 0 else { return [] }
        let chunkCount = max(1, min(count, chunks ?? Processor.count * 4))
        let slots = SlotBuffer<PreparedTransaction>(count: count)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let lower = count * chunk / chunkCount, upper = count * (chunk + 1) / chunkCount
            for index in lower..<upper {
                slots.set(index, TransactionPreparer.prepare(transactions[index], chainID: chainID, maxBytes: maxBytes))
            }
        }
        return slots.values()
    }
}

extension ParallelPreparer {
    /// Executes `input` over `state` with signature verification overlapped with execution (ADR 0025):
    /// `workers` threads (default: one per active processor) prepare chunks of transactions in index
    /// order while the calling thread executes, helping to prepare whenever the next transaction is not
    /// ready. The outcome is identical to `executor.execute(input, state:)` whatever the timing.
    public static func executePipelined(_ input: RoundInput, executor: RoundExecutor, state: any StateReader,
                                        maxBytes: UInt64, workers: Int? = nil,
                                        chunkSize: Int? = nil) throws(StateError) -> RoundOutcome {
        let pipeline = PipelinedPreparation(input.transactions, chainID: executor.chainID, maxBytes: maxBytes,
                                            workers: workers ?? Processor.count, chunkSize: chunkSize)
        defer { pipeline.cancel() }
        return try executor.execute(input, state: state, source: pipeline)
    }
}

/// A fixed array of slots written once each from concurrent chunks (disjoint indices, so no lock).
final class SlotBuffer<T>: @unchecked Sendable {
    private let pointer: UnsafeMutablePointer<T?>
    private let count: Int

    init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: count)
        pointer.initialize(repeating: nil, count: count)
    }

    func set(_ index: Int, _ value: T) { pointer[index] = value }

    /// The values; every slot must have been set.
    func values() -> [T] { (0..<count).map { pointer[$0]! } }

    deinit {
        pointer.deinitialize(count: count)
        pointer.deallocate()
    }
}
