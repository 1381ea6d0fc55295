import Foundation
import Testing
import ZMQ

@Suite("ZMQ multipart messaging")
struct MessagingTests {
    enum Transport: String, CaseIterable, Sendable { case ipc, tcp }

    /// Frames including empty ones and a 1 MiB frame.
    static let frames: [[UInt8]] = [
        [], bytes("header"), [], (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) }, [0], [],
    ]

    @Test("ROUTER/DEALER multipart round trip", arguments: Transport.allCases)
    func roundTrip(transport: Transport) throws {
        try withTemporaryDirectory { dir in
            let context = try Context()
            let endpoint = transport == .ipc ? "ipc://\(dir)/router.sock" : "tcp://127.0.0.1:*"
            let (router, dealer, resolved) = try routerDealerPair(context, bindTo: endpoint)
            if transport == .tcp {
                #expect(resolved.hasPrefix("tcp://127.0.0.1:"))
                #expect(!resolved.hasSuffix(":*"))
            } else {
                #expect(resolved == endpoint)
            }

            try dealer.send(frames: Self.frames)
            let received = try #require(try router.receiveMultipart(timeout: arrival))
            #expect(received.count == Self.frames.count + 1)
            #expect(received.first == bytes("dealer-1"))
            #expect(Array(received.dropFirst()) == Self.frames)

            try router.send(frames: [bytes("dealer-1")] + Self.frames.reversed())
            let reply = try #require(try dealer.receiveMultipart(timeout: arrival))
            #expect(reply == Self.frames.reversed())

            dealer.close()
            router.close()
            #expect(dealer.isClosed)
        }
    }

    @Test("single frames: send, receive, hasMoreFrames")
    func singleFrames() throws {
        let context = try Context()
        let (router, dealer, _) = try routerDealerPair(context, bindTo: "tcp://127.0.0.1:*")
        try dealer.send(bytes("one"), flags: .sendMore)
        try dealer.send(bytes("two"))
        try router.set(.receiveTimeout, 5000)
        #expect(try router.receive() == bytes("dealer-1"))
        #expect(try router.hasMoreFrames())
        #expect(try router.receive() == bytes("one"))
        #expect(try router.hasMoreFrames())
        #expect(try router.receive() == bytes("two"))
        #expect(try !router.hasMoreFrames())
    }

    @Test("a receive timeout returns nil")
    func receiveTimeout() throws {
        let context = try Context()
        let (router, dealer, _) = try routerDealerPair(context, bindTo: "tcp://127.0.0.1:*")
        #expect(try router.receiveMultipart(timeout: .milliseconds(50)) == nil)
        #expect(try router.receiveMultipart(timeout: .zero) == nil)
        #expect(try router.receive(flags: .dontWait) == nil)
        try dealer.set(.receiveTimeout, 50)
        #expect(try dealer.get(.receiveTimeout) == 50)
        #expect(try dealer.receive() == nil)
        #expect(try dealer.receiveMultipart() == nil)
    }

    @Test("maxMessageSize drops an oversize frame and disconnects its sender")
    func maxMessageSize() throws {
        let context = try Context()
        let router = try Socket(context, .router)
        try router.set(.maxMessageSize, 1024)
        #expect(try router.get(.maxMessageSize) == 1024)
        try router.bind("tcp://127.0.0.1:*")
        let endpoint = try router.lastEndpoint()

        let big = try Socket(context, .dealer)
        try big.set(.routingID, bytes("big"))
        try big.set(.reconnectInterval, -1)
        try big.connect(endpoint)
        try big.send(frames: [[UInt8](repeating: 1, count: 2048)])
        #expect(try router.receiveMultipart(timeout: silence) == nil)

        // A frame at the limit from another peer still arrives.
        let small = try Socket(context, .dealer)
        try small.set(.routingID, bytes("small"))
        try small.connect(endpoint)
        try small.send(frames: [[UInt8](repeating: 2, count: 1024)])
        let received = try #require(try router.receiveMultipart(timeout: arrival))
        #expect(received == [bytes("small"), [UInt8](repeating: 2, count: 1024)])
        #expect(try router.receiveMultipart(timeout: silence) == nil)
    }

    @Test("PUB/SUB delivers only subscribed topic prefixes")
    func pubSub() throws {
        let context = try Context()
        let publisher = try Socket(context, .pub)
        try publisher.bind("tcp://127.0.0.1:*")
        let subscriber = try Socket(context, .sub)
        try subscriber.subscribe(bytes("round."))
        try subscriber.subscribe(bytes("sync"))
        try subscriber.connect(try publisher.lastEndpoint())
        #expect(try waitForSubscription(publisher: publisher, subscriber: subscriber, probe: [bytes("sync")]))
        try drain(subscriber)

        for topic in ["round.1", "event.model", "round", "rounds.x", "round.2", "", "other"] {
            try publisher.send(frames: [bytes(topic), bytes("payload of \(topic)")])
        }
        try publisher.send(frames: [bytes("sync"), bytes("end")])
        var topics: [String] = []
        while let message = try subscriber.receiveMultipart(timeout: arrival) {
            let topic = String(decoding: message[0], as: UTF8.self)
            if topic == "sync" { break }
            #expect(message[1] == bytes("payload of \(topic)"))
            topics.append(topic)
        }
        #expect(topics == ["round.1", "round.2"])

        try subscriber.unsubscribe(bytes("round."))
        try subscriber.subscribe(bytes("event."))
        // Wait until the new subscription is active, then check the old one is gone.
        #expect(try waitForSubscription(publisher: publisher, subscriber: subscriber, probe: [bytes("event.probe")]))
        try drain(subscriber)
        try publisher.send(frames: [bytes("round.3")])
        try publisher.send(frames: [bytes("event.model"), bytes("m")])
        let next = try #require(try subscriber.receiveMultipart(timeout: arrival))
        #expect(next == [bytes("event.model"), bytes("m")])
    }

    @Test("poll reports which sockets are readable")
    func poll() throws {
        let context = try Context()
        let first = try routerDealerPair(context, bindTo: "tcp://127.0.0.1:*", dealerID: bytes("a"))
        let second = try routerDealerPair(context, bindTo: "tcp://127.0.0.1:*", dealerID: bytes("b"))

        #expect(try Socket.readable([first.router, second.router], timeout: .milliseconds(20)) == [false, false])

        try second.dealer.send(frames: [bytes("hello")])
        #expect(try Socket.readable([first.router, second.router], timeout: arrival) == [false, true])
        let events = try Socket.poll(
            [PollItem(first.router), PollItem(second.router), PollItem(first.dealer, .writable)], timeout: .zero)
        #expect(events[0].isEmpty)
        #expect(events[1] == .readable)
        #expect(events[2].contains(.writable))
        #expect(try second.router.receiveMultipart(timeout: .zero) == [bytes("b"), bytes("hello")])
        #expect(try Socket.readable([second.router], timeout: .zero) == [false])
    }

    @Test("a blocking receive ends with ETERM when the context shuts down")
    func contextShutdown() throws {
        let context = try Context()
        let pull = try Socket(context, .pull)
        try pull.bind("inproc://shutdown-test")
        context.shutdown()
        #expect(throws: ZMQError(code: .terminated, operation: "zmq_msg_recv")) { _ = try pull.receive() }
        pull.close()
    }
}
