/// Flags of a send (`zmq_msg_send`).
public struct SendFlags: OptionSet, Sendable, Hashable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `ZMQ_DONTWAIT`: fail with `.again` instead of blocking.
    public static let dontWait = SendFlags(rawValue: ZMQC.flagDontWait)
    /// `ZMQ_SNDMORE`: more frames of the same message follow.
    public static let sendMore = SendFlags(rawValue: ZMQC.flagSendMore)
}

/// Flags of a receive (`zmq_msg_recv`).
public struct ReceiveFlags: OptionSet, Sendable, Hashable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `ZMQ_DONTWAIT`: return nil at once when nothing is queued.
    public static let dontWait = ReceiveFlags(rawValue: ZMQC.flagDontWait)
}

/// A multipart message with the connection properties libzmq attaches to it.
public struct ReceivedMessage: Sendable, Hashable {
    /// The frames, in order.
    public var frames: [[UInt8]]
    /// The user id the ZAP handler gave the sender (`zmq_msg_gets("User-Id")`), if any.
    public var userID: String?
    /// The sender's IP address (`zmq_msg_gets("Peer-Address")`), for TCP connections.
    public var peerAddress: String?
}

extension Socket {
    /// Sends one frame (`zmq_msg_send` of a `zmq_msg_t` holding a copy of `frame`).
    /// With `.dontWait`, a full queue fails with `.again`.
    public func send(_ frame: [UInt8], flags: SendFlags = []) throws(ZMQError) {
        let socket = try pointer("zmq_msg_send")
        try withFrameBytes(frame) { (raw) throws(ZMQError) in
            try ZMQC.sendFrame(socket, raw, flags: flags.rawValue)
        }
    }

    /// Sends a multipart message: every frame but the last with `ZMQ_SNDMORE`. Frames may be empty;
    /// at least one frame is required (`.invalidArgument`). libzmq delivers all frames or none.
    public func send(frames: [[UInt8]], flags: SendFlags = []) throws(ZMQError) {
        guard !frames.isEmpty else { throw ZMQError(code: .invalidArgument, operation: "zmq_msg_send") }
        let socket = try pointer("zmq_msg_send")
        for (index, frame) in frames.enumerated() {
            var frameFlags = flags
            if index < frames.count - 1 { frameFlags.insert(.sendMore) }
            try withFrameBytes(frame) { (raw) throws(ZMQError) in
                try ZMQC.sendFrame(socket, raw, flags: frameFlags.rawValue)
            }
        }
    }

    /// Receives one frame (`zmq_msg_recv`); nil when nothing arrived within the receive timeout
    /// (`ZMQ_RCVTIMEO`) or, with `.dontWait`, when nothing is queued. Check `hasMoreFrames()` for
    /// the rest of a multipart message.
    public func receive(flags: ReceiveFlags = []) throws(ZMQError) -> [UInt8]? {
        try ZMQC.receiveFrame(try pointer("zmq_msg_recv"), flags: flags.rawValue)?.bytes
    }

    /// Whether the last frame received is followed by more frames of the same message (`ZMQ_RCVMORE`).
    public func hasMoreFrames() throws(ZMQError) -> Bool {
        try get(.receiveMore)
    }

    /// Receives a whole multipart message; nil when none arrived in time.
    ///
    /// - Parameter timeout: how long to wait for the first frame (`zmq_poll`); nil uses the
    ///   socket's `receiveTimeout` (blocking forever by default); `.zero` does not wait.
    public func receiveMultipart(timeout: Duration? = nil) throws(ZMQError) -> [[UInt8]]? {
        try receiveMessage(timeout: timeout)?.frames
    }

    /// Like `receiveMultipart`, with the `User-Id` and `Peer-Address` of the connection.
    public func receiveMessage(timeout: Duration? = nil) throws(ZMQError) -> ReceivedMessage? {
        let socket = try pointer("zmq_msg_recv")
        var firstFlags: Int32 = 0
        if let timeout {
            let events = try ZMQC.poll([(socket, ZMQC.pollIn)], timeoutMilliseconds: milliseconds(timeout))
            guard events[0] & ZMQC.pollIn != 0 else { return nil }
            firstFlags = ZMQC.flagDontWait
        }
        guard let first = try ZMQC.receiveFrame(socket, flags: firstFlags, metadata: true) else { return nil }
        var frames = [first.bytes]
        var more = first.more
        // A ROUTER's first frame (the routing id) is made locally and has no connection
        // properties; the frames from the peer do.
        var userID = first.userID
        var peerAddress = first.peerAddress
        while more {
            // The remaining frames of a message arrive together with the first.
            guard let next = try ZMQC.receiveFrame(socket, flags: 0, metadata: userID == nil && peerAddress == nil)
            else {
                throw ZMQError(code: .again, operation: "zmq_msg_recv")
            }
            frames.append(next.bytes)
            more = next.more
            userID = userID ?? next.userID
            peerAddress = peerAddress ?? next.peerAddress
        }
        return ReceivedMessage(frames: frames, userID: userID, peerAddress: peerAddress)
    }
}

/// `Array.withUnsafeBytes` with a body that throws `ZMQError` (the standard one is untyped `rethrows`).
func withFrameBytes<R>(
    _ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(ZMQError) -> R
) throws(ZMQError) -> R {
    let result: Result<R, ZMQError> = bytes.withUnsafeBytes { raw in
        do throws(ZMQError) { return .success(try body(raw)) } catch { return .failure(error) }
    }
    return try result.get()
}

/// Milliseconds for libzmq, rounded up, clamped to 0...Int32.max; nil means -1 (forever).
func milliseconds(_ duration: Duration?) -> Int {
    guard let duration else { return -1 }
    let (seconds, attoseconds) = duration.components
    if seconds < 0 || (seconds == 0 && attoseconds <= 0) { return 0 }
    let limit = Int64(Int32.max)
    if seconds >= limit / 1000 { return Int(limit) }
    let fraction = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    return Int(min(limit, seconds * 1000 + fraction))
}
