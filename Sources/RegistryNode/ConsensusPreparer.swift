import Dispatch
import RegistryCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Executes a large round with signature verification overlapped with execution (ADR 0025): worker
/// threads decode and verify chunks of transactions in index order while the consensus thread executes,
/// and the consensus thread helps verify whenever the next transaction is not ready. Each slot holds
/// exactly `TransactionPreparer.prepare` of its transaction, so the outcome equals the sequential one
/// (D1); only the time differs.
enum ConsensusPreparer {
    /// Executes `input` over `state`, pulling prepared transactions from `workers` threads (default:
    /// one per active processor).
    static func execute(_ input: RoundInput, executor: RoundExecutor, state: any StateReader, maxBytes: UInt64,
                        workers: Int? = nil, chunkSize: Int? = nil) throws(StateError) -> RoundOutcome {
        let source = Pipeline(input.transactions, chainID: executor.chainID, maxBytes: maxBytes,
                              workers: workers ?? activeProcessors, chunkSize: chunkSize)
        defer { source.slots.cancel() }
        return try executor.execute(input, state: state, source: source)
    }

    /// Active processors (`sysconf(_SC_NPROCESSORS_ONLN)`), at least 1.
    static var activeProcessors: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// The consumer side: pulls slot `i` in order, claiming and preparing chunks itself while it waits.
    final class Pipeline: PreparedTransactionSource {
        let slots: Slots
        /// The chunk of the previous pull, seen done (consumer-only).
        private var knownDoneChunk = -1

        init(_ transactions: [[UInt8]], chainID: String, maxBytes: UInt64, workers: Int, chunkSize: Int?) {
            let threads = max(0, workers)
            let size = max(1, chunkSize ?? min(16, transactions.count / ((threads + 1) * 8)))
            slots = Slots(transactions, chainID: chainID, maxBytes: maxBytes, chunkSize: size)
            let shared = slots
            for _ in 0..<min(threads, slots.chunkCount) {
                DispatchQueue.global(qos: .userInitiated).async { shared.work() }
            }
        }

        func prepared(at index: Int) -> PreparedTransaction {
            let chunk = index / slots.chunkSize
            if chunk != knownDoneChunk || index < 0 {
                guard slots.wait(forChunk: chunk) else { return slots.prepareHere(index) }
                knownDoneChunk = chunk
            }
            return slots.value(at: index)
        }
    }

    /// Slots written once each by the claimant of their chunk (atomic claim counter), published by a
    /// releasing store of the chunk's done flag.
    final class Slots: @unchecked Sendable {
        let transactions: [[UInt8]]
        let chainID: String
        let maxBytes: UInt64
        let chunkSize: Int
        let chunkCount: Int
        private let nextChunk = Atomic<Int>(0)
        /// Set by `cancel()`: no further claims.
        private let cancelled = Atomic<Bool>(false)
        private let done: UnsafeMutablePointer<Atomic<Bool>>
        private let values: UnsafeMutablePointer<PreparedTransaction?>

        init(_ transactions: [[UInt8]], chainID: String, maxBytes: UInt64, chunkSize: Int) {
            self.transactions = transactions
            self.chainID = chainID
            self.maxBytes = maxBytes
            self.chunkSize = chunkSize
            chunkCount = (transactions.count + chunkSize - 1) / chunkSize
            done = .allocate(capacity: max(1, chunkCount))
            for chunk in 0..<chunkCount { (done + chunk).initialize(to: Atomic(false)) }
            values = .allocate(capacity: max(1, transactions.count))
            values.initialize(repeating: nil, count: transactions.count)
        }

        deinit {
            values.deinitialize(count: transactions.count)
            values.deallocate()
            done.deinitialize(count: chunkCount)
            done.deallocate()
        }

        /// The next unclaimed chunk, or nil when all are claimed (or the pipeline was cancelled).
        func claim() -> Int? {
            if cancelled.load(ordering: .relaxed) { return nil }
            let chunk = nextChunk.wrappingAdd(1, ordering: .relaxed).oldValue
            return chunk < chunkCount ? chunk : nil
        }

        func run(_ chunk: Int) {
            let lower = chunk * chunkSize, upper = min(lower + chunkSize, transactions.count)
            for index in lower..<upper {
                values[index] = TransactionPreparer.prepare(transactions[index], chainID: chainID, maxBytes: maxBytes)
            }
            done[chunk].store(true, ordering: .releasing)
        }

        func work() {
            while let chunk = claim() { run(chunk) }
        }

        /// True once `chunk` is done (preparing claimable chunks meanwhile, yielding only when all are
        /// claimed); false for a chunk outside the round or not done when cancelled (slots unread).
        func wait(forChunk chunk: Int) -> Bool {
            guard chunk >= 0, chunk < chunkCount else { return false }
            while !done[chunk].load(ordering: .acquiring) {
                if let claimed = claim() { run(claimed) } else if cancelled.load(ordering: .relaxed) { return false } else { sched_yield() }
            }
            return true
        }

        /// Slot `index` of a done chunk (prepared here if empty or out of range: a caller's mistake cannot trap).
        func value(at index: Int) -> PreparedTransaction {
            if index >= 0, index < transactions.count, let value = values[index] { return value }
            return prepareHere(index)
        }

        /// Transaction `index` prepared on the calling thread, without reading its slot (empty bytes when out of range).
        func prepareHere(_ index: Int) -> PreparedTransaction {
            let bytes = index >= 0 && index < transactions.count ? transactions[index] : []
            return TransactionPreparer.prepare(bytes, chainID: chainID, maxBytes: maxBytes)
        }

        func cancel() { cancelled.store(true, ordering: .relaxed) }
    }
}
