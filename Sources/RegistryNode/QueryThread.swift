#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ZMQ

/// A thread of the query server running a closure (`pthread_create`), joined once (`pthread_join`).
final class QueryThread: @unchecked Sendable {
    // @unchecked Sendable: `thread` is written at init and by `join`, which the owner calls once.
    private var thread: pthread_t?

    /// The nice value of query threads under `.low` (and the fallback of `.idle`): Linux keeps it per
    /// thread (`setpriority(PRIO_PROCESS, 0)` in the thread). Lowering priority needs no privilege.
    static let queryNiceness: Int32 = 10

    /// Starts `body` on a new thread; the error carries `pthread_create`'s status. The thread first
    /// applies `scheduling` to itself (best effort: a refusal leaves it at normal priority).
    init(scheduling: QueryThreadScheduling = .normal, _ body: @escaping @Sendable () -> Void) throws(QueryServerError) {
        final class Box: @unchecked Sendable {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let run: @Sendable () -> Void = { QueryThread.apply(scheduling); body() }
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

    /// Applies `scheduling` to the calling thread: `.idle` moves it to `SCHED_IDLE`
    /// (`pthread_setschedparam(pthread_self(), SCHED_IDLE, 0)`), falling back to nice 10 if refused;
    /// `.low` sets nice 10. Returns whether the thread ended up as asked.
    @discardableResult
    static func apply(_ scheduling: QueryThreadScheduling) -> Bool {
        switch scheduling {
        case .normal: return true
        case .low: return lowerPriority(queryNiceness)
        case .idle:
            #if os(Linux)
            var parameters = sched_param()
            parameters.sched_priority = 0
            if pthread_setschedparam(pthread_self(), ThreadSchedulingPolicy.linuxIdlePolicy, &parameters) == 0 { return true }
            #endif
            _ = lowerPriority(queryNiceness)
            return false
        }
    }

    /// Sets the calling thread's nice value (`setpriority` on the thread id); false where unsupported.
    @discardableResult
    static func lowerPriority(_ niceness: Int32) -> Bool {
        #if os(Linux)
        guard niceness > 0 else { return true }
        // Linux keeps the nice value per thread: `who` 0 is the calling thread (kernel `current`).
        return setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness) == 0
        #else
        return false
        #endif
    }

    /// Waits for the thread to end (`pthread_join`). Later calls return at once.
    func join() {
        guard let thread else { return }
        self.thread = nil
        pthread_join(thread, nil)
    }
}
