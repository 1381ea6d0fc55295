import Foundation
import Logging
import RegistryCore
import RegistryWorkload
import Sodium
import StateStore
import SwiftProtobuf
import TestSupport
import Testing
import Wire
import ZMQ
@testable import RegistryNode

/// The consensus endpoint through real ZeroMQ sockets in-process: framing errors, audit records, the
/// event stream, CURVE and the IP allow-list.
@Suite(.serialized) struct ConsensusEndpointTests {
    /// An endpoint over a fresh store with its audit log in the temporary directory.
    final class Harness: @unchecked Sendable {
        let fixture: ConsensusFixture
        let context: Context
        let audit: AuditLog
        let endpoint: ConsensusEndpoint
        let auditPath: String

        init(configure: (inout ConsensusEndpointConfiguration) -> Void = { _ in }, events: Bool = true) throws {
            fixture = try ConsensusFixture()
            context = try Context()
            auditPath = fixture.directory.file("audit.log")
            audit = try AuditLog(path: auditPath, logger: ConsensusFixture.logger)
            var configuration = ConsensusEndpointConfiguration(endpoint: "ipc://" + fixture.directory.file("c.sock"), maxFrameBytes: 1024)
            configure(&configuration)
            let eventsConfiguration = EventsConfiguration(enabled: events, endpoint: "ipc://" + fixture.directory.file("e.sock"))
            endpoint = ConsensusEndpoint(configuration: configuration, events: eventsConfiguration, service: fixture.service,
                                         context: context, audit: audit, logger: ConsensusFixture.logger)
            try endpoint.start()
        }

        /// A DEALER connected to the endpoint (optionally as a CURVE client).
        func client(curve: (server: [UInt8], keys: CurveKeyPair)? = nil) throws -> Socket {
            let socket = try Socket(context, .dealer)
            try socket.set(.linger, 0)
            if let curve { try socket.makeCurveClient(serverPublicKey: curve.server, keyPair: curve.keys) }
            try socket.connect(endpoint.boundEndpoint ?? "")
            return socket
        }

        /// Sends frames and waits (bounded) for one reply frame.
        func exchange(_ socket: Socket, _ frames: [[UInt8]]) throws -> AiRegistry_V1_ConsensusResponse? {
            try socket.send(frames: frames)
            guard let reply = try socket.receiveMultipart(timeout: .seconds(10)) else { return nil }
            guard reply.count == 1 else { return nil }
            return try AiRegistry_V1_ConsensusResponse(serializedBytes: reply[0])
        }

        func request(_ body: AiRegistry_V1_ConsensusRequest.OneOf_Request, version: UInt32 = 1) throws -> [UInt8] {
            try fixture.request(body, version: version).serializedBytes()
        }

        /// The audit file's records (each a JSON object).
        func auditRecords() -> [[String: Any]] {
            audit.sync()
            guard let data = FileManager.default.contents(atPath: auditPath) else { return [] }
            return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }

        /// Waits (bounded) until an audit record of `kind` exists.
        func awaitAudit(_ kind: AuditKind) -> [String: Any]? {
            for _ in 0..<200 {
                if let record = auditRecords().first(where: { $0["kind"] as? String == kind.rawValue }) { return record }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return nil
        }

        func stop() {
            endpoint.stop()
            context.shutdown()
        }
    }

    @Test func servesRequestsAndAuditsBadFrames() throws {
        let harness = try Harness()
        defer { harness.stop() }
        let client = try harness.client()
        defer { client.close() }

        let info = try #require(try harness.exchange(client, [try harness.request(.info(AiRegistry_V1_InfoRequest()))]))
        #expect(info.info.protocolVersions == [1])
        #expect(!info.info.initialized)

        let garbage = try #require(try harness.exchange(client, [[0xFF, 0xFF, 0xFF]]))
        #expect(garbage.error.code == .malformedRequest)

        let oversize = try #require(try harness.exchange(client, [[UInt8](repeating: 0x0A, count: 1025)]))
        #expect(oversize.error.code == .frameTooLarge)
        #expect(oversize.error.message.contains("1024"))

        let twoFrames = try #require(try harness.exchange(client, [[], try harness.request(.info(AiRegistry_V1_InfoRequest()))]))
        #expect(twoFrames.error.code == .malformedRequest)
        #expect(twoFrames.error.field == "frames")

        let version = try #require(try harness.exchange(client, [try harness.request(.info(AiRegistry_V1_InfoRequest()), version: 9)]))
        #expect(version.error.code == .unsupportedVersion)

        // Still serving after all that.
        let again = try #require(try harness.exchange(client, [try harness.request(.info(AiRegistry_V1_InfoRequest()))]))
        #expect(again.error.code == .unspecified)

        let kinds = harness.auditRecords().compactMap { $0["kind"] as? String }
        #expect(kinds == ["malformedRequest", "frameTooLarge", "malformedRequest", "unsupportedVersion"])
        for record in harness.auditRecords() {
            #expect(record["endpoint"] as? String == "consensus")
            #expect((record["client"] as? String)?.hasPrefix("ipc=") == true)
            #expect((record["time"] as? String)?.hasSuffix("Z") == true)
            #expect(!((record["detail"] as? String) ?? "").isEmpty)
        }
    }

    @Test func publishesRoundsOnTheEventStream() throws {
        let harness = try Harness(configure: { $0.maxFrameBytes = 1 << 20 })
        defer { harness.stop() }
        let client = try harness.client()
        defer { client.close() }
        let subscriber = try Socket(harness.context, .sub)
        defer { subscriber.close() }
        try subscriber.subscribe([])
        try subscriber.connect(try #require(harness.endpoint.boundEventsEndpoint))

        let genesis = AiRegistry_V1_InitChainRequest(harness.fixture.generator.genesis)
        _ = try harness.exchange(client, [try harness.request(.initChain(genesis))])
        // The subscription reaches the publisher asynchronously: apply rounds until one is seen.
        var received: [[UInt8]]?
        var sent: [UInt64: AiRegistry_V1_RoundResult] = [:]
        for _ in 0..<50 where received == nil {
            let input = harness.fixture.generator.nextRound().input
            let reply = try #require(try harness.exchange(client, [try harness.request(.applyRound(AiRegistry_V1_ApplyRoundRequest(input)))]))
            sent[input.round] = reply.applyRound
            received = try subscriber.receiveMultipart(timeout: .milliseconds(200))
        }
        var frames = try #require(received)
        // Skip to the start of a round (its result comes first, then its events).
        while String(decoding: frames[0], as: UTF8.self) != "round" {
            frames = try #require(try subscriber.receiveMultipart(timeout: .seconds(5)))
        }
        #expect(frames.count == 2)
        let envelope = try AiRegistry_V1_EventEnvelope(serializedBytes: frames[1])
        #expect(envelope.protocolVersion == 1)
        let result = envelope.roundResult
        #expect(sent[envelope.round] == result)
        var sequence = envelope.sequence
        for event in result.events {
            let next = try #require(try subscriber.receiveMultipart(timeout: .seconds(5)))
            #expect(String(decoding: next[0], as: UTF8.self) == event.topic)
            let eventEnvelope = try AiRegistry_V1_EventEnvelope(serializedBytes: next[1])
            #expect(eventEnvelope.event == event)
            #expect(eventEnvelope.round == envelope.round)
            #expect(eventEnvelope.sequence == sequence + 1)
            sequence = eventEnvelope.sequence
        }
    }

    @Test func curveAllowsListedHostsAndRefusesOthers() throws {
        let server = try CurveKeyPair.generate()
        let host = try CurveKeyPair.generate()
        let stranger = try CurveKeyPair.generate()
        let harness = try Harness(configure: {
            $0.curve = .init(secretKey: server.secretKey, allowedClientKeys: [host.publicKey])
        })
        defer { harness.stop() }

        let allowed = try harness.client(curve: (server.publicKey, host))
        defer { allowed.close() }
        let info = try #require(try harness.exchange(allowed, [try harness.request(.info(AiRegistry_V1_InfoRequest()))]))
        #expect(info.info.protocolVersions == [1])

        let refused = try harness.client(curve: (server.publicKey, stranger))
        defer { refused.close() }
        try refused.send(try harness.request(.info(AiRegistry_V1_InfoRequest())))
        #expect(try refused.receiveMultipart(timeout: .milliseconds(500)) == nil)
        let record = try #require(harness.awaitAudit(.handshakeRefused))
        #expect(record["endpoint"] as? String == "consensus")
        #expect((record["client"] as? String)?.contains("key=" + (try Z85.encode(stranger.publicKey))) == true)
        #expect((record["detail"] as? String)?.contains("allow-list") == true)

        // A plain (NULL) client cannot talk to a CURVE server at all.
        let plain = try harness.client()
        defer { plain.close() }
        try plain.send(try harness.request(.info(AiRegistry_V1_InfoRequest())))
        #expect(try plain.receiveMultipart(timeout: .milliseconds(300)) == nil)
        // The allowed host is unaffected.
        #expect(try harness.exchange(allowed, [try harness.request(.info(AiRegistry_V1_InfoRequest()))]) != nil)
    }

    @Test func ipAllowListRefusesOtherSources() throws {
        let harness = try Harness(configure: {
            $0.endpoint = "tcp://127.0.0.1:*"
            $0.ipAllowList = ["10.0.0.0/8"]
        }, events: false)
        defer { harness.stop() }
        let client = try harness.client()
        defer { client.close() }
        try client.send(try harness.request(.info(AiRegistry_V1_InfoRequest())))
        #expect(try client.receiveMultipart(timeout: .milliseconds(500)) == nil)
        let record = try #require(harness.awaitAudit(.handshakeRefused))
        #expect((record["client"] as? String)?.contains("ip=127.0.0.1") == true)
    }

    @Test func loopbackOnTheAllowListIsServed() throws {
        let harness = try Harness(configure: {
            $0.endpoint = "tcp://127.0.0.1:*"
            $0.ipAllowList = ["127.0.0.1"]
        }, events: false)
        defer { harness.stop() }
        let client = try harness.client()
        defer { client.close() }
        let info = try #require(try harness.exchange(client, [try harness.request(.info(AiRegistry_V1_InfoRequest()))]))
        #expect(info.info.protocolVersions == [1])
        #expect(harness.auditRecords().isEmpty)
    }
}

/// The ZAP decision and the IP allow-list as plain values.
@Suite struct ConsensusSecurityTests {
    static func request(mechanism: ZAPMechanism, key: [UInt8]? = nil, address: String) -> ZAPRequest {
        ZAPRequest(requestID: [1], domain: ConsensusSecurity.zapDomain, address: address, identity: [],
                   mechanism: mechanism, credentials: key.map { [$0] } ?? [])
    }

    @Test func allowList() throws {
        let list = try #require(IPAllowList(["127.0.0.1", "10.0.0.0/8", "fd00::/8"]))
        #expect(list.allows("127.0.0.1"))
        #expect(!list.allows("127.0.0.2"))
        #expect(list.allows("10.200.3.4"))
        #expect(!list.allows("11.0.0.1"))
        #expect(list.allows("fd12::1"))
        #expect(!list.allows("fe80::1"))
        #expect(list.allows("::ffff:10.1.2.3"))
        #expect(!list.allows("not an address"))
        #expect(IPAllowList([])?.allows("1.2.3.4") == true)
        #expect(IPAllowList(["10.0.0.0/33"]) == nil)
        #expect(IPAllowList(["10.0.0.0/x"]) == nil)
        #expect(IPAllowList(["example.org"]) == nil)
        #expect(IPAllowList(["0.0.0.0/0"])?.allows("8.8.8.8") == true)
    }

    @Test func decisions() throws {
        let host = try CurveKeyPair.generate().publicKey
        let other = try CurveKeyPair.generate().publicKey
        var configuration = ConsensusEndpointConfiguration()
        configuration.curve = .init(secretKey: try CurveKeyPair.generate().secretKey, allowedClientKeys: [host])
        configuration.ipAllowList = ["192.168.1.0/24"]
        let security = ConsensusSecurity(configuration: configuration)
        #expect(security.decide(Self.request(mechanism: .curve, key: host, address: "192.168.1.7")) == .allow(userID: "curve:" + (try Z85.encode(host))))
        let key = "curve:" + (try Z85.encode(host))
        #expect(security.decide(Self.request(mechanism: .curve, key: host, address: "")) == .allow(userID: key))
        guard case .deny = security.decide(Self.request(mechanism: .curve, key: other, address: "192.168.1.7")) else {
            Issue.record("unknown key allowed"); return
        }
        guard case .deny(let reason) = security.decide(Self.request(mechanism: .curve, key: host, address: "192.168.2.7")) else {
            Issue.record("address outside the list allowed"); return
        }
        #expect(reason.contains("192.168.2.7"))
        guard case .deny = security.decide(Self.request(mechanism: .null, address: "192.168.1.7")) else {
            Issue.record("NULL mechanism allowed with CURVE configured"); return
        }
        let open = ConsensusSecurity(configuration: ConsensusEndpointConfiguration(ipAllowList: ["127.0.0.1"]))
        #expect(open.decide(Self.request(mechanism: .null, address: "127.0.0.1")) == .allow(userID: "ip:127.0.0.1"))
        #expect(ConsensusSecurity.clientName(key: nil, address: "", ipc: false) == "ipc=")
        #expect(ConsensusSecurity.clientName(key: nil, address: "10.0.0.1", ipc: false) == "ip=10.0.0.1")
        // On an ipc endpoint the IP allow-list does not apply (file permissions do).
        var ipc = ConsensusEndpointConfiguration(endpoint: "ipc:///tmp/x.sock", ipAllowList: ["10.0.0.0/8"])
        ipc.curve = nil
        let ipcSecurity = ConsensusSecurity(configuration: ipc)
        #expect(ipcSecurity.decide(Self.request(mechanism: .null, address: "localhost:0:0:42")) == .allow(userID: "ipc"))
    }
}
