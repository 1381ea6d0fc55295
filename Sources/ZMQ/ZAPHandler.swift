/// A ZAP handler: binds `inproc://zeromq.zap.01` in a context and answers every authentication
/// request of that context's server sockets with `decide`, on a thread of its own, until `stop()`.
///
/// Create it before the server sockets bind. `decide` sees the domain, the client's address, the
/// mechanism and (for CURVE) the client's public key, e.g. to check an allow-list of host keys and
/// of IP addresses. It runs on the handler's thread, one request at a time; it must not block long
/// (clients wait for the answer during their handshake), and must not call `stop()`.
///
/// Only one handler can be bound per context (`.addressInUse` otherwise). Stopping is prompt: a
/// control socket wakes the thread, and `stop()` returns after the thread has closed its sockets.
public final class ZAPHandler: @unchecked Sendable {
    // @unchecked Sendable: `control` and `thread` are only touched under `lock`; the ZAP socket is
    // owned by the handler thread after init.

    private let lock = NativeMutex()
    private var control: Socket?
    private var thread: NativeThread?

    /// Binds the ZAP endpoint in `context` and starts answering with `decide`.
    public init(context: Context, decide: @escaping @Sendable (ZAPRequest) -> ZAPDecision) throws(ZMQError) {
        let zap = try Socket(context, .rep)
        try zap.bind(ZAP.endpoint)
        let controlEndpoint = "inproc://zap-handler-control-\(UInt64.random(in: 0...UInt64.max))"
        let wake = try Socket(context, .pair)
        try wake.bind(controlEndpoint)
        let control = try Socket(context, .pair)
        try control.connect(controlEndpoint)

        let sockets = HandlerSockets(zap: zap, wake: wake)
        self.control = control
        self.thread = try NativeThread {
            ZAPHandler.run(sockets, decide: decide)
        }
    }

    deinit {
        stop()
    }

    /// Stops answering, closes the ZAP socket and waits for the handler thread to end. Later
    /// calls do nothing. Clients handshaking afterwards get no answer (their handshake fails).
    public func stop() {
        lock.withLock {
            guard let control, let thread else { return }
            // The handler thread may already be gone (context shut down): never block here.
            try? control.send([], flags: .dontWait)
            thread.join()
            control.close()
            self.control = nil
            self.thread = nil
        }
    }

    /// Sockets handed to the handler thread, which owns them from then on.
    private final class HandlerSockets: @unchecked Sendable {
        let zap: Socket
        let wake: Socket
        init(zap: Socket, wake: Socket) {
            self.zap = zap
            self.wake = wake
        }
    }

    private static func run(_ sockets: HandlerSockets, decide: @Sendable (ZAPRequest) -> ZAPDecision) {
        let zap = sockets.zap
        let wake = sockets.wake
        defer {
            zap.close()
            wake.close()
        }
        while true {
            guard let ready = try? Socket.poll([PollItem(zap), PollItem(wake)], timeout: nil) else { return }
            if ready[1].contains(.readable) { return }
            guard ready[0].contains(.readable) else { continue }
            guard let frames = try? zap.receiveMultipart(timeout: .zero) else { continue }
            let reply = answer(frames, decide: decide)
            // A REP socket must answer before it can receive again; a failed send (context
            // terminated) ends the loop at the next poll.
            try? zap.send(frames: reply.encoded())
        }
    }

    /// The reply to one request's frames (pure apart from `decide`).
    static func answer(_ frames: [[UInt8]], decide: (ZAPRequest) -> ZAPDecision) -> ZAPReply {
        do throws(ZAPProtocolError) {
            let request = try ZAPRequest.parse(frames)
            return ZAPReply(answering: request, with: decide(request))
        } catch {
            return ZAPReply(answering: error)
        }
    }
}
