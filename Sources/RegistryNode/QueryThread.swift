#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A thread of the query server running a closure (`pthread_create`), joined once (`pthread_join`).
final class QueryThread: @unchecked Sendable {
    // @unchecked Sendable: `thread` is written at init and by `join`, which the owner calls once.
    private var thread: pthread_t?

    /// Starts `body` on a new thread; the error carries `pthread_create`'s status.
    init(_ body: @escaping @Sendable () -> Void) throws(QueryServerError) {
        final class Box: @unchecked Sendable {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
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

    /// Waits for the thread to end (`pthread_join`). Later calls return at once.
    func join() {
        guard let thread else { return }
        self.thread = nil
        pthread_join(thread, nil)
    }
}
