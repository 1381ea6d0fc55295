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
    ///
    /// - Parameters:
    ///   - threadScheduling: the scheduling policy of the context's I/O and reaper threads
    ///     (`ZMQ_THREAD_SCHED_POLICY`); they start with the first socket, so it is set here.
    ///   - threadNamePrefix: a number prefixed to the threads' names (`ZMQ_THREAD_NAME_PREFIX`:
    ///     `<n>/ZMQbg/IO/0`), to tell contexts apart in `top -H` or `/proc/<pid>/task`.
    public init(ioThreads: Int = 1, threadScheduling: ThreadSchedulingPolicy = .inherit,
                threadNamePrefix: Int? = nil) throws(ZMQError) {
        guard let threads = Int32(exactly: ioThreads), threads >= 0 else {
            throw ZMQError(code: .invalidArgument, operation: "zmq_ctx_set")
        }
        var prefix: Int32?
        if let threadNamePrefix {
            guard let value = Int32(exactly: threadNamePrefix), value >= 0 else {
                throw ZMQError(code: .invalidArgument, operation: "zmq_ctx_set")
            }
            prefix = value
        }
        let handle = try ZMQC.contextNew()
        do {
            try ZMQC.contextSet(handle, ZMQC.contextIOThreads, threads)
            if let policy = threadScheduling.rawPolicy {
                try ZMQC.contextSet(handle, ZMQC.contextThreadSchedulingPolicy, policy)
            }
            if let prefix { try ZMQC.contextSet(handle, ZMQC.contextThreadNamePrefix, prefix) }
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
