import Dispatch
import RegistryCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A round's transactions prepared ahead by worker threads into slots, pulled in index order by the
/// executing thread (`PreparedTransactionSource`). Workers claim chunks of consecutive indices from an
/// atomic counter; a chunk's slots are published by a release store of its done flag. The consumer
/// never sleeps while work is left: when its next chunk is not done it claims and prepares chunks
/// itself, so with zero workers it degenerates to sequential preparation. Each slot holds exactly
/// `TransactionPreparer.prepare` of its transaction, so timing cannot reach the outcome.
/// Use from one consuming thread; `cancel()` stops the workers claiming further chunks.
public final class PipelinedPreparation: PreparedTransactionSource {
    private let shared: PipelineSlots
    /// The chunk of the previous pull, seen done (consumer-only state).
    private var knownDoneChunk = -1

    /// Starts `workers` worker threads (0 allowed) over `transactions`. `chunkSize` defaults to at most
    /// 16 and at least 1, about eight chunks per thread.
    public init(_ transactions: [[UInt8]], chainID: String, maxBytes: UInt64, workers: Int, chunkSize: Int? = nil) {
        let threads = max(0, workers)
        let size = max(1, chunkSize ?? min(16, transactions.count / ((threads + 1) * 8)))
        shared = PipelineSlots(transactions, chainID: chainID, maxBytes: maxBytes, chunkSize: size)
        let slots = shared
        for _ in 0..<min(threads, shared.chunkCount) {
            DispatchQueue.global(qos: .userInitiated).async { slots.work() }
        }
    }

    public func prepared(at index: Int) -> PreparedTransaction {
        let chunk = index / shared.chunkSize
        if chunk != knownDoneChunk || index < 0 {
            guard shared.wait(forChunk: chunk) else { return shared.prepareHere(index) }
            knownDoneChunk = chunk
        }
        return shared.value(at: index)
    }

    /// Stops workers from claiming further chunks (chunks in progress finish); for an aborted round.
    public func cancel() { shared.cancel() }
}

/// The slots and counters shared by the workers and the consumer of a `PipelinedPreparation`.
final class PipelineSlots: @unchecked Sendable {
    let transactions: [[UInt8]]
    let chainID: String
    let maxBytes: UInt64
    let chunkSize: Int
    let chunkCount: Int
    /// The next unclaimed chunk (may run past `chunkCount`).
    private let nextChunk = Atomic<Int>(0)
    /// Set by `cancel()`: no further claims.
    private let cancelled = Atomic<Bool>(false)
    /// One flag per chunk, stored (releasing) after its slots are written.
    private let done: UnsafeMutablePointer<Atomic<Bool>>
    /// Written once per index by the chunk's claimant, read by the consumer after the done flag.
    private let slots: UnsafeMutablePointer<PreparedTransaction?>

    init(_ transactions: [[UInt8]], chainID: String, maxBytes: UInt64, chunkSize: Int) {
        self.transactions = transactions
        self.chainID = chainID
        self.maxBytes = maxBytes
        self.chunkSize = chunkSize
        chunkCount = (transactions.count + chunkSize - 1) / chunkSize
        done = .allocate(capacity: max(1, chunkCount))
        for chunk in 0..<chunkCount { (done + chunk).initialize(to: Atomic(false)) }
        slots = .allocate(capacity: max(1, transactions.count))
        slots.initialize(repeating: nil, count: transactions.count)
    }

    deinit {
        slots.deinitialize(count: transactions.count)
        slots.deallocate()
        done.deinitialize(count: chunkCount)
        done.deallocate()
    }

    /// Claims the next unprepared chunk, or nil when every chunk is claimed.
    func claim() -> Int? {
        if cancelled.load(ordering: .relaxed) { return nil }
        let chunk = nextChunk.wrappingAdd(1, ordering: .relaxed).oldValue
        return chunk < chunkCount ? chunk : nil
    }

    /// Prepares every transaction of `chunk`, then publishes the chunk.
    func run(_ chunk: Int) {
        let lower = chunk * chunkSize, upper = min(lower + chunkSize, transactions.count)
        for index in lower..<upper {
            slots[index] = TransactionPreparer.prepare(transactions[index], chainID: chainID, maxBytes: maxBytes)
        }
        done[chunk].store(true, ordering: .releasing)
    }

    /// A worker's loop: claim and prepare until nothing is left.
    func work() {
        while let chunk = claim() { run(chunk) }
    }

    /// Returns true once `chunk` is done, preparing claimable chunks meanwhile and yielding the processor
    /// only when every chunk is claimed and `chunk` is still in progress; false for a chunk outside the
    /// round or not done when cancelled (its slots must then not be read).
    func wait(forChunk chunk: Int) -> Bool {
        guard chunk >= 0, chunk < chunkCount else { return false }
        while !done[chunk].load(ordering: .acquiring) {
            if let claimed = claim() { run(claimed) } else if cancelled.load(ordering: .relaxed) { return false } else { sched_yield() }
        }
        return true
    }

    /// Slot `index` of a done chunk (prepared here if empty or out of range: a caller's mistake cannot trap).
    func value(at index: Int) -> PreparedTransaction {
        if index >= 0, index < transactions.count, let value = slots[index] { return value }
        return prepareHere(index)
    }

    /// Transaction `index` prepared on the calling thread, without reading its slot (empty bytes when out of range).
    func prepareHere(_ index: Int) -> PreparedTransaction {
        let bytes = index >= 0 && index < transactions.count ? transactions[index] : []
        return TransactionPreparer.prepare(bytes, chainID: chainID, maxBytes: maxBytes)
    }

    /// Makes every later claim fail.
    func cancel() { cancelled.store(true, ordering: .relaxed) }
}
