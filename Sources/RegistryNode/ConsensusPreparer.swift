import Dispatch
import RegistryCore

/// Decodes and verifies a round's transactions on all cores (`DispatchQueue.concurrentPerform`) before
/// the sequential execution; the results are identical to preparing them one by one (pure, D1).
enum ConsensusPreparer {
    static func prepare(_ transactions: [[UInt8]], chainID: String, maxBytes: UInt64) -> [PreparedTransaction] {
        let count = transactions.count
        let output = Output(count: count)
        let chunk = 32
        let chunks = (count + chunk - 1) / chunk
        DispatchQueue.concurrentPerform(iterations: chunks) { index in
            let start = index * chunk
            for position in start..<min(start + chunk, count) {
                output.set(position, TransactionPreparer.prepare(transactions[position], chainID: chainID, maxBytes: maxBytes))
            }
        }
        return output.take()
    }

    /// A buffer written at distinct indices by the workers; read after `concurrentPerform` returns.
    private final class Output: @unchecked Sendable {
        private let buffer: UnsafeMutableBufferPointer<PreparedTransaction?>

        init(count: Int) {
            buffer = .allocate(capacity: count)
            buffer.initialize(repeating: nil)
        }

        func set(_ index: Int, _ value: PreparedTransaction) { buffer[index] = value }

        func take() -> [PreparedTransaction] { buffer.compactMap { $0 } }

        deinit {
            buffer.deinitialize()
            buffer.deallocate()
        }
    }
}
