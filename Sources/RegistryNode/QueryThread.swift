#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A thread of the query server running a closure (`pthread_create`), joined once (`pthread_join`).
final class QueryThread: @unchecked Sendable {
    // @unchecked Sendable: `thread` is written at init and by `join`, which the owner calls once.
    private var thread: pthread_t?

    /// The nice value of query threads (Linux keeps it per thread: `setpriority(PRIO_PROCESS, 0)` in the thread):
    /// under CPU contention the scheduler prefers the consensus thread (nice 0), so a query flood
    /// slows queries, not rounds (ADR 0015). Lowering priority needs no privilege.
    static let queryNiceness: Int32 = 10

    /// Starts `body` on a new thread; the error carries `pthread_create`'s status. With `niceness`
    /// (0…19) the thread lowers its own scheduling priority first (best effort, Linux only).
    init(niceness: Int32 = 0, _ body: @escaping @Sendable () -> Void) throws(QueryServerError) {
        final class Box: @unchecked Sendable {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let run: @Sendable () -> Void = { QueryThread.lowerPriority(niceness); body() }
        let box = Unmanaged.passRetained(Box(run)).toOpaque()
        #if canImport(Darwin)
        var handle: pthread_t?
        #else
        var handle = pthread_t()
        #endif
        let status = pthread_create(&handle, nil, { argument in
            #if canImport(Darwin)
            let box = Unmanaged<Box>.fromOpaque(argument).takeRetainedValue()
            #else
            guard let argument else { return nil }
            let box = Unmanaged<Box>.fromOpaque(argument).takeRetainedValue()
            #endif
            box.body()
            return nil
        }, box)
        guard status == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            throw .thread(operation: "pthread_create", code: status)
        }
        thread = handle
    }

    /// Sets the calling thread's nice value (`setpriority` on the thread id); ignored where unsupported.
    static func lowerPriority(_ niceness: Int32) {
        #if os(Linux)
        guard niceness > 0 else { return }
        // Linux keeps the nice value per thread: `who` 0 is the calling thread (kernel `current`).
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
        #endif
    }

    /// Waits for the thread to end (`pthread_join`). Later calls return at once.
    func join() {
        guard let thread else { return }
        self.thread = nil
        pthread_join(thread, nil)
    }
}
