import Dispatch

/// The task executor of the in-process HTTP servers: runs their tasks on a concurrent dispatch queue
/// instead of the Swift concurrency pool, whose threads (one per core) may all be busy or blocked —
/// by long synchronous work in a test process, for example — when a server has to bind or answer.
/// Dispatch adds threads to this queue as needed, so a server never waits for the pool.
final class ServerTaskExecutor: TaskExecutor, @unchecked Sendable {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label, attributes: .concurrent)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
