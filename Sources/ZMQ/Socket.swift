/// A ZeroMQ socket (`zmq_socket`), closed (`zmq_close`) by `close()` or when released.
///
/// Not `Sendable`, by design: a libzmq socket must be used by one thread at a time. Own it from
/// one thread, task or actor; it may be handed over as a `sending` value (libzmq allows moving a
/// socket between threads with a full memory barrier, which Swift's task and thread hand-offs
/// provide). Blocking calls block the calling thread: run them on a dedicated thread, or use
/// timeouts / `dontWait` from a task.
///
/// New sockets get linger 0 (libzmq's default is to wait forever for unsent messages when the
/// context terminates). The socket keeps its `Context` alive.
public final class Socket {
    /// The context the socket belongs to.
    public let context: Context
    /// The socket's kind.
    public let type: SocketType
    private var handle: SocketPointer?

    /// A new socket of `type` in `context` (`zmq_socket`, then `ZMQ_LINGER` = 0).
    public init(_ context: Context, _ type: SocketType) throws(ZMQError) {
        let handle = try ZMQC.socketNew(context.handle, type: type.rawValue)
        self.context = context
        self.type = type
        self.handle = handle
        try set(.linger, 0)
    }

    deinit {
        if let handle { ZMQC.close(handle) }
    }

    /// Closes the socket (`zmq_close`). Later calls fail with `.notSocket`; closing twice is harmless.
    public func close() {
        if let handle { ZMQC.close(handle) }
        handle = nil
    }

    /// Whether `close()` was called.
    public var isClosed: Bool { handle == nil }

    func pointer(_ operation: StaticString) throws(ZMQError) -> SocketPointer {
        guard let handle else { throw ZMQError(code: .notSocket, operation: "\(operation)") }
        return handle
    }

    /// Accepts connections at `endpoint` (`zmq_bind`), e.g. `tcp://127.0.0.1:*` (an ephemeral
    /// port; read it back with `lastEndpoint()`), `ipc:///path/to/socket`, `inproc://name`.
    public func bind(_ endpoint: String) throws(ZMQError) {
        try ZMQC.bind(try pointer("zmq_bind"), endpoint)
    }

    /// Connects to `endpoint` (`zmq_connect`); the connection is made (and remade) in the background.
    public func connect(_ endpoint: String) throws(ZMQError) {
        try ZMQC.connect(try pointer("zmq_connect"), endpoint)
    }

    /// Stops accepting at `endpoint` (`zmq_unbind`); use the resolved endpoint for `*` ports.
    public func unbind(_ endpoint: String) throws(ZMQError) {
        try ZMQC.unbind(try pointer("zmq_unbind"), endpoint)
    }

    /// Drops the connection to `endpoint` (`zmq_disconnect`).
    public func disconnect(_ endpoint: String) throws(ZMQError) {
        try ZMQC.disconnect(try pointer("zmq_disconnect"), endpoint)
    }

    /// The endpoint last bound or connected, with the actual port for `tcp://…:*`
    /// (`ZMQ_LAST_ENDPOINT`).
    public func lastEndpoint() throws(ZMQError) -> String {
        try get(.lastEndpoint)
    }
}
