import Dispatch
import RegistryCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A round's transactions prepared ahead by worker threads into slots, pulled in index order by the
/// executing thread (`PreparedTransactionSource`).
///
/// Workers claim chunks of consecutive indices from an atomic counter, then take each index of the chunk
/// individually (a compare-and-exchange on its state: free → taken), prepare it, store its slot and
/// publish it (a release store: taken → done). The executing thread never sleeps and never waits for a
/// whole chunk: for transaction `i` it reads the slot if done; takes and prepares `i` itself if still
/// free; and if a worker holds `i`, prepares the free transactions just ahead of `i` (work a worker would
/// do anyway) while it waits, then, when none is left, waits a few microseconds and finally prepares `i`
/// itself (a duplicate of pure work: the worker that holds it may be descheduled). With zero workers it
/// degenerates to sequential preparation. Whatever the timing, every pull is exactly
/// `TransactionPreparer.prepare` of its transaction, so timing cannot reach the outcome (D1).
/// Use from one consuming thread; `cancel()` stops the workers claiming further chunks.
public final class PipelinedPreparation: PreparedTransactionSource {
    private let shared: PipelineSlots

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

    public func prepared(at index: Int) -> PreparedTransaction { shared.pull(index) }

    /// Stops workers from claiming further chunks (transactions in progress finish); for an aborted round.
    public func cancel() { shared.cancel() }

    /// How many pulls were answered by a duplicate preparation (the worker holding it was too slow).
    public var duplicates: Int { shared.duplicates }
}

/// The slots and states shared by the workers and the consumer of a `PipelinedPreparation`.
final class PipelineSlots: @unchecked Sendable {
    /// A slot's state: nobody took it yet, a thread is preparing it, its value is published.
    static let free: UInt8 = 0, taken: UInt8 = 1, done: UInt8 = 2
    /// How far ahead of a transaction held by a worker the consumer looks for free work while it waits.
    let lookAhead: Int
    /// How long (nanoseconds) the consumer spins on a held transaction before preparing it itself.
    static let patienceNanoseconds: Int64 = 20_000

    let transactions: [[UInt8]]
    let chainID: String
    let maxBytes: UInt64
    let chunkSize: Int
    let chunkCount: Int
    /// The next unclaimed chunk (may run past `chunkCount`).
    private let nextChunk = Atomic<Int>(0)
    /// Set by `cancel()`: no further claims.
    private let cancelled = Atomic<Bool>(false)
    /// One state per transaction (free, taken, done); done is stored (releasing) after the slot is written.
    private let states: UnsafeMutablePointer<Atomic<UInt8>>
    /// Written once per index by the thread that took it, read by the consumer after seeing it done.
    private let slots: UnsafeMutablePointer<PreparedTransaction?>
    /// Consumer-only counter of duplicate preparations.
    private(set) var duplicates = 0

    init(_ transactions: [[UInt8]], chainID: String, maxBytes: UInt64, chunkSize: Int) {
        self.transactions = transactions
        self.chainID = chainID
        self.maxBytes = maxBytes
        self.chunkSize = chunkSize
        lookAhead = max(8, 2 * chunkSize)
        chunkCount = (transactions.count + chunkSize - 1) / chunkSize
        states = .allocate(capacity: max(1, transactions.count))
        for index in 0..<transactions.count { (states + index).initialize(to: Atomic(Self.free)) }
        slots = .allocate(capacity: max(1, transactions.count))
        slots.initialize(repeating: nil, count: transactions.count)
    }

    deinit {
        slots.deinitialize(count: transactions.count)
        slots.deallocate()
        states.deinitialize(count: transactions.count)
        states.deallocate()
    }

    /// Claims the next unclaimed chunk, or nil when every chunk is claimed or the pipeline is cancelled.
    func claim() -> Int? {
        if cancelled.load(ordering: .relaxed) { return nil }
        let chunk = nextChunk.wrappingAdd(1, ordering: .relaxed).oldValue
        return chunk < chunkCount ? chunk : nil
    }

    /// Takes `index` if nobody has (free → taken).
    @inline(__always)
    func take(_ index: Int) -> Bool {
        states[index].compareExchange(expected: Self.free, desired: Self.taken, ordering: .relaxed).exchanged
    }

    /// Prepares a taken `index`, stores its slot and publishes it.
    func prepareAndPublish(_ index: Int) {
        slots[index] = prepareHere(index)
        states[index].store(Self.done, ordering: .releasing)
    }

    /// A worker's loop: claim chunks and prepare every index of them nobody took yet.
    func work() {
        while let chunk = claim() {
            let lower = chunk * chunkSize, upper = min(lower + chunkSize, transactions.count)
            for index in lower..<upper where take(index) { prepareAndPublish(index) }
        }
    }

    /// Transaction `index` for the consumer (see `PipelinedPreparation`); never blocks on a worker for
    /// longer than `patienceNanoseconds` once no free work is left ahead.
    func pull(_ index: Int) -> PreparedTransaction {
        guard index >= 0, index < transactions.count else { return prepareHere(index) }
        if states[index].load(ordering: .acquiring) == Self.done, let value = slots[index] { return value }
        if take(index) { return prepareHere(index) }
        // A worker holds `index`: do the free work just ahead while it finishes.
        var ahead = index + 1
        let end = min(transactions.count, index + 1 + lookAhead)
        var deadline: Int64 = 0
        while true {
            if states[index].load(ordering: .acquiring) == Self.done, let value = slots[index] { return value }
            while ahead < end, !take(ahead) { ahead += 1 }
            if ahead < end {
                prepareAndPublish(ahead)
                ahead += 1
                continue
            }
            let now = Self.monotonicNanoseconds()
            if deadline == 0 { deadline = now + Self.patienceNanoseconds } else if now >= deadline { break }
        }
        duplicates += 1
        return prepareHere(index)
    }

    /// Transaction `index` prepared on the calling thread, without reading its slot (empty bytes when out of range).
    func prepareHere(_ index: Int) -> PreparedTransaction {
        let bytes = index >= 0 && index < transactions.count ? transactions[index] : []
        return TransactionPreparer.prepare(bytes, chainID: chainID, maxBytes: maxBytes)
    }

    /// Makes every later claim fail.
    func cancel() { cancelled.store(true, ordering: .relaxed) }

    /// CLOCK_MONOTONIC in nanoseconds (clock_gettime; timing only steers who prepares, never a value).
    static func monotonicNanoseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }
}
