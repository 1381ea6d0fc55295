import Foundation
import RegistryClient
import SwiftProtobuf
import TestSupport
import Testing
import Wire
import ZMQ

/// The client library against scripted in-process servers (ROUTER / PUB on ipc in a temporary
/// directory): request-id matching, typed errors, timeouts, sequence gaps.
@Suite(.serialized)
struct RegistryClientTests {
    /// A ROUTER on its own thread that answers each request with the messages `script` returns
    /// (each element one reply message of the given frames), for `requests` requests.
    final class ScriptedRouter: @unchecked Sendable {
        let endpoint: String
        private let done = DispatchSemaphore(value: 0)

        init(endpoint: String, requests: Int,
             script: @escaping @Sendable (AiRegistry_V1_ConsensusRequest?) -> [[[UInt8]]]) throws {
            self.endpoint = endpoint
            let ready = DispatchSemaphore(value: 0)
            let done = self.done
            let thread = Thread {
                defer { done.signal() }
                guard let context = try? Context(), let socket = try? Socket(context, .router),
                      (try? socket.bind(endpoint)) != nil else { ready.signal(); return }
                ready.signal()
                for _ in 0..<requests {
                    guard let frames = try? socket.receiveMultipart(timeout: .seconds(10)), frames.count == 2 else { return }
                    let request = try? AiRegistry_V1_ConsensusRequest(serializedBytes: frames[1])
                    for reply in script(request) { try? socket.send(frames: [frames[0]] + reply) }
                }
                // Let the last reply leave before the socket closes.
                usleep(100_000)
                socket.close()
            }
            thread.start()
            ready.wait()
        }

        func wait() { _ = done.wait(timeout: .now() + 15) }
    }

    static func reply(_ id: UInt64, _ response: AiRegistry_V1_ConsensusResponse.OneOf_Response) -> [[UInt8]] {
        var message = AiRegistry_V1_ConsensusResponse()
        message.protocolVersion = 1
        message.requestID = id
        message.response = response
        return [(try? message.serializedBytes()) ?? []]
    }

    static func info(round: UInt64) -> AiRegistry_V1_ConsensusResponse.OneOf_Response {
        var info = AiRegistry_V1_InfoResponse()
        info.lastRound = round
        return .info(info)
    }

    let directory = TemporaryDirectory(prefix: "ai-registry-client")
    var endpoint: String { "ipc://\(directory.path)/router.sock" }

    @Test func lateRepliesAreDroppedAndIDsMatched() throws {
        let server = try ScriptedRouter(endpoint: endpoint, requests: 2) { request in
            let id = request?.requestID ?? 0
            // A late reply to an earlier request first, then the answer.
            return [Self.reply(id &- 1, Self.info(round: 999)), Self.reply(id, Self.info(round: id * 10))]
        }
        defer { server.wait() }
        let client = try ConsensusClient(endpoint: endpoint, timeout: .seconds(10))
        defer { client.close() }
        #expect(try client.info().lastRound == 10)
        #expect(try client.info().lastRound == 20)
    }

    @Test func errorRepliesAreTyped() throws {
        let server = try ScriptedRouter(endpoint: endpoint, requests: 2) { request in
            var error = AiRegistry_V1_Error()
            error.code = .roundGap
            error.message = "expected round 5"
            error.field = "apply_round.round"
            error.expectedRound = 5
            // The second request is answered with request id 0, as for an undecodable request.
            return [Self.reply(request?.requestID == 1 ? 1 : 0, .error(error))]
        }
        defer { server.wait() }
        let client = try ConsensusClient(endpoint: endpoint, timeout: .seconds(10))
        defer { client.close() }
        for _ in 0..<2 {
            do {
                _ = try client.applyRound(AiRegistry_V1_ApplyRoundRequest())
                Issue.record("an error reply was taken for a result")
            } catch {
                let server = try #require(error.serverError)
                #expect(server.code == .roundGap)
                #expect(server.expectedRound == 5)
                #expect(server.field == "apply_round.round")
            }
        }
    }

    @Test func malformedRepliesAreReported() throws {
        let server = try ScriptedRouter(endpoint: endpoint, requests: 3) { request in
            let id = request?.requestID ?? 0
            switch id {
            case 1: return [[[0xFF, 0xFF, 0xFF]]]                       // not a protobuf
            case 2: return [Self.reply(id, Self.info(round: 1)) + [[1, 2]]]   // two frames
            default: return [Self.reply(id, .checkTx(AiRegistry_V1_CheckTxResponse()))]  // wrong kind
            }
        }
        defer { server.wait() }
        let client = try ConsensusClient(endpoint: endpoint, timeout: .seconds(10))
        defer { client.close() }
        for expected in ["undecodable", "2 frames", "unexpected response kind check_tx"] {
            do {
                _ = try client.info()
                Issue.record("a malformed reply was accepted")
            } catch {
                guard case .malformedReply(let operation, let reason) = error else {
                    Issue.record("unexpected \(error)")
                    continue
                }
                #expect(operation == "info")
                #expect(reason.contains(expected), "\(reason)")
            }
        }
    }

    @Test func noServerTimesOut() throws {
        let client = try ConsensusClient(endpoint: endpoint, timeout: .milliseconds(200))
        defer { client.close() }
        do {
            _ = try client.info()
            Issue.record("a call without a server succeeded")
        } catch {
            guard case .timeout(let operation, let endpoint, let milliseconds) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(operation == "info")
            #expect(endpoint == self.endpoint)
            #expect(milliseconds == 200)
        }
    }

    @Test func silentServerTimesOut() throws {
        let server = try ScriptedRouter(endpoint: endpoint, requests: 1) { _ in [] }
        defer { server.wait() }
        let client = try ConsensusClient(endpoint: endpoint, timeout: .milliseconds(300))
        defer { client.close() }
        #expect(throws: RegistryClientError.timeout(operation: "info", endpoint: endpoint, milliseconds: 300)) {
            _ = try client.info()
        }
    }

    @Test func invalidEndpointIsATransportError() throws {
        do {
            _ = try ConsensusClient(endpoint: "nonsense://x")
            Issue.record("connected to an invalid endpoint")
        } catch {
            guard case .transport(let operation, let endpoint, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(operation == "connect")
            #expect(endpoint == "nonsense://x")
        }
    }

    @Test func subscriberReportsGapsAndRestarts() throws {
        let context = try Context()
        let publisher = try Socket(context, .pub)
        defer { publisher.close() }
        try publisher.bind(endpoint)
        let everything = try EventSubscriber(endpoint: endpoint, context: context)
        defer { everything.close() }
        let rounds = try EventSubscriber(endpoint: endpoint, topics: ["round"], context: context)
        defer { rounds.close() }

        func publish(_ topic: String, _ sequence: UInt64) throws {
            var envelope = AiRegistry_V1_EventEnvelope()
            envelope.protocolVersion = 1
            envelope.sequence = sequence
            envelope.round = sequence
            try publisher.send(frames: [Array(topic.utf8), try envelope.serializedBytes()])
        }
        // Wait until both subscriptions reached the publisher (bounded).
        var joined = false
        for probe in 0..<200 where !joined {
            try publish("round", 1_000 + UInt64(probe))
            let a = try everything.next(timeout: .milliseconds(20))
            let b = try rounds.next(timeout: .milliseconds(20))
            joined = a != nil && b != nil
        }
        try #require(joined, "subscriptions never reached the publisher")
        while try everything.next(timeout: .milliseconds(50)) != nil {}
        while try rounds.next(timeout: .milliseconds(50)) != nil {}

        let base: UInt64 = 2_000
        try publish("round", base)
        try publish("model.registered", base + 1)
        try publish("round", base + 4)           // 2 messages missed
        try publish("round", base + 2)           // the numbering went back: a restart
        try publisher.send(frames: [Array("round".utf8)])  // one frame: malformed

        let first = try #require(try everything.next(timeout: .seconds(5)))
        #expect(!first.publisherRestarted)
        let second = try #require(try everything.next(timeout: .seconds(5)))
        #expect(second.topic == "model.registered")
        #expect(second.missed == 0)
        let third = try #require(try everything.next(timeout: .seconds(5)))
        #expect(third.missed == 2)
        let fourth = try #require(try everything.next(timeout: .seconds(5)))
        #expect(fourth.publisherRestarted)
        #expect(throws: RegistryClientError.self) { _ = try everything.next(timeout: .seconds(5)) }

        // A filtered subscriber cannot tell a missed message from a filtered one: no gap reported.
        let r1 = try #require(try rounds.next(timeout: .seconds(5)))
        #expect(r1.envelope.sequence == base)
        let r2 = try #require(try rounds.next(timeout: .seconds(5)))
        #expect(r2.envelope.sequence == base + 4)
        #expect(r2.missed == 0)
        #expect(everything.totalMissed >= 2)
    }

    @Test func proofCheckRefusesAMissingOrForeignProof() throws {
        var proof = AiRegistry_V1_Proof()
        #expect(throws: ProofCheck.Failure.missing) { try ProofCheck.verify(proof, value: nil) }
        proof.proof = Data([1, 0, 0])
        proof.root = Data([1, 2, 3])
        #expect(throws: ProofCheck.Failure.badRoot(bytes: 3)) { try ProofCheck.verify(proof, value: nil) }
        proof.root = Data(repeating: 7, count: 32)
        proof.key = Data([1])
        #expect(throws: ProofCheck.Failure.keyMismatch) { try ProofCheck.verify(proof, value: nil, key: [2]) }
        // An empty tree's proof (format 1, empty terminal, no levels) proves nothing against a non-empty root.
        #expect(throws: ProofCheck.Failure.self) { try ProofCheck.verify(proof, value: nil, key: [1]) }
    }
}
