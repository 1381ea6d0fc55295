/// A ZeroMQ context (`zmq_ctx_new`): the I/O threads and the `inproc://` namespace shared by its
/// sockets. Thread-safe and `Sendable`.
///
/// Sockets keep their context alive; the context is terminated (`zmq_ctx_term`) when the last
/// reference goes away, which waits until every socket is closed. Sockets of this wrapper default
/// to linger 0, so termination does not wait for undelivered messages.
public final class Context: @unchecked Sendable {
    // @unchecked Sendable: a zmq context is thread-safe by libzmq's contract; `handle` is immutable.
    let handle: ContextPointer

    /// A new context (`zmq_ctx_new`, `zmq_ctx_set`) with `ioThreads` I/O threads.
    public init(ioThreads: Int = 1) throws(ZMQError) {
        guard let threads = Int32(exactly: ioThreads), threads >= 0 else {
            throw ZMQError(code: .invalidArgument, operation: "zmq_ctx_set")
        }
        let handle = try ZMQC.contextNew()
        do {
            try ZMQC.contextSet(handle, ZMQC.contextIOThreads, threads)
        } catch {
            ZMQC.contextTerminate(handle)
            throw error
        }
        self.handle = handle
    }

    deinit {
        ZMQC.contextTerminate(handle)
    }

    /// Makes every blocking call on the context's sockets fail with `.terminated`
    /// (`zmq_ctx_shutdown`), to stop threads that wait on sockets. Sockets must still be closed.
    public func shutdown() {
        ZMQC.contextShutdown(handle)
    }

    /// The libzmq version (`zmq_version`), e.g. (4, 3, 4).
    public static var libraryVersion: (major: Int, minor: Int, patch: Int) { ZMQC.version() }

    /// Whether libzmq supports `capability`, e.g. "curve", "ipc" (`zmq_has`).
    public static func has(_ capability: String) -> Bool { ZMQC.has(capability) }
}
