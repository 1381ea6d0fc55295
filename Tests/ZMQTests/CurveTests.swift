import Foundation
import Testing
import ZMQ

@Suite("CURVE keys and Z85")
struct CurveKeyTests {
    @Test("Z85 matches the RFC 32 test vector")
    func z85Vector() throws {
        let data: [UInt8] = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B]
        #expect(try Z85.encode(data) == "HelloWorld")
        #expect(Z85.decode("HelloWorld") == data)
        #expect(try Z85.encode([]) == "")
        #expect(Z85.decode("") == [])
    }

    @Test("Z85 round trips 32-byte keys")
    func z85RoundTrip() throws {
        for seed in 0..<20 {
            let key = (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ seed &* 101) }
            let text = try Z85.encode(key)
            #expect(text.count == 40)
            #expect(Z85.decode(text) == key)
        }
    }

    @Test("bad Z85 is refused", arguments: ["Hell", "HelloWorl", "Hello World", "Hello\u{7F}orld", "HelloWorld\0abcd", "#####"])
    func z85Invalid(text: String) {
        #expect(Z85.decode(text) == nil)
    }

    @Test("Z85 encoding needs a multiple of 4 bytes")
    func z85EncodeLength() {
        #expect(throws: ZMQError(code: .invalidArgument, operation: "zmq_z85_encode")) { try Z85.encode([1, 2, 3]) }
    }

    @Test("key pairs: generated, derived from the secret key, Z85 text")
    func keyPairs() throws {
        #expect(CurveKeyPair.isAvailable)
        let pair = try CurveKeyPair.generate()
        #expect(pair.publicKey.count == 32)
        #expect(pair.secretKey.count == 32)
        #expect(pair.publicKey != pair.secretKey)
        #expect(try CurveKeyPair(secretKey: pair.secretKey) == pair)
        #expect(pair.publicKeyZ85.count == 40)
        #expect(Z85.decode(pair.publicKeyZ85) == pair.publicKey)
        #expect(Z85.decode(pair.secretKeyZ85) == pair.secretKey)
        #expect(try CurveKeyPair.generate() != pair)
        #expect(throws: ZMQError(code: .invalidArgument, operation: "zmq_curve_public")) {
            _ = try CurveKeyPair(secretKey: [1, 2, 3])
        }
        #expect(throws: ZMQError(code: .invalidArgument, operation: "CurveKeyPair.init")) {
            _ = try CurveKeyPair(publicKey: [1], secretKey: pair.secretKey)
        }
    }
}

@Suite("CURVE transport and ZAP authentication")
struct CurveTransportTests {
    /// A CURVE ROUTER server on an ephemeral TCP port.
    func curveServer(_ context: Context, _ keys: CurveKeyPair, domain: String = "consensus") throws -> (Socket, String) {
        let server = try Socket(context, .router)
        try server.makeCurveServer(keys)
        try server.set(.zapDomain, domain)
        try server.bind("tcp://127.0.0.1:*")
        return (server, try server.lastEndpoint())
    }

    func curveClient(_ context: Context, server: CurveKeyPair, keys: CurveKeyPair, id: String, endpoint: String) throws -> Socket {
        let client = try Socket(context, .dealer)
        try client.makeCurveClient(serverPublicKey: server.publicKey, keyPair: keys)
        try client.set(.routingID, bytes(id))
        try client.connect(endpoint)
        return client
    }

    @Test("an encrypted round trip with CURVE")
    func encryptedRoundTrip() throws {
        let context = try Context()
        let serverKeys = try CurveKeyPair.generate()
        let (server, endpoint) = try curveServer(context, serverKeys)
        #expect(try server.get(.curveServer))
        let client = try curveClient(context, server: serverKeys, keys: try CurveKeyPair.generate(), id: "host", endpoint: endpoint)

        let payload = (0..<70_000).map { UInt8(truncatingIfNeeded: $0) }
        try client.send(frames: [bytes("apply-round"), [], payload])
        let received = try #require(try server.receiveMultipart(timeout: arrival))
        #expect(received == [bytes("host"), bytes("apply-round"), [], payload])
        try server.send(frames: [bytes("host"), bytes("result")])
        #expect(try client.receiveMultipart(timeout: arrival) == [bytes("result")])
    }

    @Test("a client with the wrong server key never gets through")
    func wrongServerKey() throws {
        let context = try Context()
        let serverKeys = try CurveKeyPair.generate()
        let (server, endpoint) = try curveServer(context, serverKeys)
        let impostorKeys = try CurveKeyPair.generate()
        let client = try curveClient(context, server: impostorKeys, keys: try CurveKeyPair.generate(), id: "c", endpoint: endpoint)
        try client.send(frames: [bytes("hello")])
        #expect(try server.receiveMultipart(timeout: silence) == nil)
    }

    @Test("ZAP: a public-key allow-list admits the host and refuses another client")
    func keyAllowList() throws {
        let context = try Context()
        let serverKeys = try CurveKeyPair.generate()
        let hostKeys = try CurveKeyPair.generate()
        let strangerKeys = try CurveKeyPair.generate()
        let allowed = [hostKeys.publicKey]
        let log = RequestLog()
        let handler = try ZAPHandler(context: context) { request in
            log.append(request)
            guard let key = request.clientPublicKey, allowed.contains(key) else {
                return .deny(reason: "key not on the allow-list")
            }
            return .allow(userID: "host-node")
        }
        defer { handler.stop() }

        let (server, endpoint) = try curveServer(context, serverKeys)
        let host = try curveClient(context, server: serverKeys, keys: hostKeys, id: "host", endpoint: endpoint)
        try host.send(frames: [bytes("from host")])
        let message = try #require(try server.receiveMessage(timeout: arrival))
        #expect(message.frames == [bytes("host"), bytes("from host")])
        #expect(message.userID == "host-node")
        #expect(message.peerAddress == "127.0.0.1")

        let stranger = try curveClient(context, server: serverKeys, keys: strangerKeys, id: "stranger", endpoint: endpoint)
        try stranger.send(frames: [bytes("from stranger")])
        #expect(try server.receiveMultipart(timeout: silence) == nil)

        let requests = log.all
        #expect(requests.contains { $0.clientPublicKey == hostKeys.publicKey })
        #expect(requests.contains { $0.clientPublicKey == strangerKeys.publicKey })
        for request in requests {
            #expect(request.mechanism == .curve)
            #expect(request.domain == "consensus")
            #expect(request.address == "127.0.0.1")
        }

        // The admitted host still works after the refusal.
        try host.send(frames: [bytes("again")])
        #expect(try server.receiveMultipart(timeout: arrival) == [bytes("host"), bytes("again")])
    }

    @Test("ZAP: an IP allow-list without 127.0.0.1 blocks the client")
    func ipAllowList() throws {
        let context = try Context()
        let serverKeys = try CurveKeyPair.generate()
        let log = RequestLog()
        let allowedAddresses = ["10.0.0.7"]
        let handler = try ZAPHandler(context: context) { request in
            log.append(request)
            return allowedAddresses.contains(request.address)
                ? .allow(userID: "") : .deny(reason: "address \(request.address) not allowed")
        }
        let (server, endpoint) = try curveServer(context, serverKeys)
        let client = try curveClient(context, server: serverKeys, keys: try CurveKeyPair.generate(), id: "c", endpoint: endpoint)
        try client.send(frames: [bytes("hello")])
        #expect(try server.receiveMultipart(timeout: silence) == nil)
        #expect(log.all.contains { $0.address == "127.0.0.1" })
        handler.stop()
        handler.stop()
    }

    @Test("only one ZAP handler per context")
    func oneHandlerPerContext() throws {
        let context = try Context()
        let first = try ZAPHandler(context: context) { _ in .allow(userID: "") }
        #expect(throws: ZMQError(code: .addressInUse, operation: "zmq_bind")) {
            _ = try ZAPHandler(context: context) { _ in .allow(userID: "") }
        }
        first.stop()
    }
}
