/// The events `Socket.poll` waits for and reports (`ZMQ_POLLIN`, `ZMQ_POLLOUT`, `ZMQ_POLLERR`).
public struct PollEvents: OptionSet, Sendable, Hashable {
    public let rawValue: Int16
    public init(rawValue: Int16) { self.rawValue = rawValue }

    /// `ZMQ_POLLIN`: at least one message can be received without blocking.
    public static let readable = PollEvents(rawValue: ZMQC.pollIn)
    /// `ZMQ_POLLOUT`: at least one message can be sent without blocking.
    public static let writable = PollEvents(rawValue: ZMQC.pollOut)
    /// `ZMQ_POLLERR`
    public static let error = PollEvents(rawValue: ZMQC.pollError)
}

/// One socket and the events to wait for.
public struct PollItem {
    public let socket: Socket
    public let events: PollEvents

    public init(_ socket: Socket, _ events: PollEvents = .readable) {
        self.socket = socket
        self.events = events
    }
}

extension Socket {
    /// Waits until one of the items has one of its events, or `timeout` passes (`zmq_poll`);
    /// returns the events of each item in order (empty sets on timeout). nil waits forever.
    public static func poll(_ items: [PollItem], timeout: Duration?) throws(ZMQError) -> [PollEvents] {
        var raw: [(socket: SocketPointer, events: Int16)] = []
        raw.reserveCapacity(items.count)
        for item in items {
            raw.append((try item.socket.pointer("zmq_poll"), item.events.rawValue))
        }
        return try ZMQC.poll(raw, timeoutMilliseconds: milliseconds(timeout)).map { PollEvents(rawValue: $0) }
    }

    /// For each socket, whether a message can be received now, after waiting at most `timeout`
    /// for the first one to become readable (`zmq_poll` with `ZMQ_POLLIN`).
    public static func readable(_ sockets: [Socket], timeout: Duration?) throws(ZMQError) -> [Bool] {
        try poll(sockets.map { PollItem($0, .readable) }, timeout: timeout).map { $0.contains(.readable) }
    }
}
