import Dispatch
import RegistryCore

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

/// The number of active processors (sysconf), at least 1.
public enum Processor {
    public static var count: Int {
        #if canImport(Glibc) || canImport(Darwin)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
