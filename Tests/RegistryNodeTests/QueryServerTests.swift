import Foundation
import Logging
import RegistryCore
import Sodium
import StateStore
import Synchronization
import TestSupport
import Testing
import Wire
import ZMQ
@testable import RegistryNode

/// A DEALER talking to the query endpoint: one frame out, one frame back.
final class QueryTestClient {
    let socket: Socket
    static let arrival: Duration = .seconds(10)

    init(_ context: Context, endpoint: String, curve: (server: [UInt8], client: CurveKeyPair)? = nil) throws {
        socket = try Socket(context, .dealer)
        if let curve { try socket.makeCurveClient(serverPublicKey: curve.server, keyPair: curve.client) }
        try socket.connect(endpoint)
    }

    deinit { socket.close() }

    /// Sends raw frames and returns the reply frames (nil if none arrived in a generous time).
    func exchange(_ frames: [[UInt8]], timeout: Duration = QueryTestClient.arrival) throws -> [[UInt8]]? {
        try socket.send(frames: frames)
        return try socket.receiveMultipart(timeout: timeout)
    }

    /// Sends a request and decodes the reply.
    func call(_ body: AiRegistry_V1_QueryRequest.OneOf_Request?, token: String = "", id: UInt64 = 1, version: UInt32 = 1) throws -> AiRegistry_V1_QueryResponse {
        var request = AiRegistry_V1_QueryRequest()
        request.protocolVersion = version
        request.requestID = id
        request.token = token
        request.request = body
        let frames = try #require(try exchange([try request.serializedBytes()]))
        #expect(frames.count == 1)
        return try AiRegistry_V1_QueryResponse(serializedBytes: frames[0])
    }
}

/// A started QueryServer over a fixture store, on an ipc endpoint, with an audit file; stopped at deinit.
final class RunningQueryServer: @unchecked Sendable {
    // @unchecked Sendable: shared read-only with client threads; sockets are created per thread.
    let server: QueryServer
    let context: Context
    let directory: TemporaryDirectory
    let auditPath: String

    init(_ fixture: QueryFixture, configure: (inout QueryServerConfiguration) -> Void = { _ in }, clock: QueryClock = .system) throws {
        directory = TemporaryDirectory(prefix: "qs")
        var configuration = QueryServerConfiguration.defaults
        configuration.endpoint = "ipc://" + directory.file("q.sock")
        configure(&configuration)
        context = try Context()
        auditPath = directory.file("audit.log")
        let audit = try AuditLog(path: auditPath, logger: QueryFixture.logger)
        server = try QueryServer(
            configuration: configuration, store: fixture.store, context: context, audit: audit, logger: QueryFixture.logger,
            clock: clock)
        try server.start()
    }

    func client(curve: (server: [UInt8], client: CurveKeyPair)? = nil) throws -> QueryTestClient {
        try QueryTestClient(context, endpoint: server.boundEndpoint, curve: curve)
    }

    /// The audit records written so far.
    var auditLines: [String] {
        guard let data = FileManager.default.contents(atPath: auditPath) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    deinit { server.stop() }
}

/// A clock the test sets.
final class ManualClock: Sendable {
    let wall = Atomic<UInt64>(1_000_000)
    let monotonic = Atomic<UInt64>(0)
    var clock: QueryClock {
        QueryClock(wallSeconds: { self.wall.load(ordering: .relaxed) }, monotonicNanoseconds: { self.monotonic.load(ordering: .relaxed) })
    }
}

@Suite(.serialized)
struct QueryServerTests {
    let fixture: QueryFixture

    init() throws {
        fixture = try QueryFixture(rounds: 6, transactionsPerRound: 30)
    }

    @Test func concurrentClientsEachGetTheirOwnAnswers() throws {
        let running = try RunningQueryServer(fixture) { $0.workers = 3; $0.rateLimit.burst = 10_000; $0.rateLimit.requestsPerSecond = 100_000 }
        let models = try fixture.allModels()
        try #require(!models.isEmpty)
        let failures = Mutex<[String]>([])
        // Four clients at once, each on its own thread and socket.
        DispatchQueue.concurrentPerform(iterations: 4) { index in
            do {
                let client = try running.client()
                for step in 0..<40 {
                    let model = models[(index * 7 + step) % models.count]
                    let id = UInt64(index * 1000 + step)
                    let response = try client.call(Q.model(model.id.bytes, prove: step % 2 == 0), id: id)
                    guard response.requestID == id, case .getModel(let reply)? = response.response,
                          reply.model.id == Data(model.id.bytes) else {
                        failures.withLock { $0.append("client \(index) step \(step): \(response)") }
                        return
                    }
                }
            } catch {
                failures.withLock { $0.append("client \(index): \(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
    }

    @Test func badFramesGetTypedErrorsAndTheServerKeepsAnswering() throws {
        let running = try RunningQueryServer(fixture) { $0.maxFrameBytes = 1024 }
        let client = try running.client()
        func error(_ frames: [[UInt8]]) throws -> AiRegistry_V1_Error? {
            let reply = try #require(try client.exchange(frames))
            return try AiRegistry_V1_QueryResponse(serializedBytes: reply[0]).errorReply
        }
        #expect(try error([[0xFF, 0xFF, 0xFF]])?.code == .malformedRequest)
        #expect(try error([[1], [2]])?.code == .malformedRequest)
        let oversize = try error([[UInt8](repeating: 0x0A, count: 1025)])
        #expect(oversize?.code == .frameTooLarge && oversize?.message.contains("1024") == true)
        #expect(try client.call(Q.key(StateKey.parameters), version: 9).errorReply?.code == .unsupportedVersion)
        #expect(try client.call(Q.key(StateKey.parameters), version: 0).errorReply?.field == "protocol_version")
        #expect(try client.call(nil).errorReply?.field == "request")
        // A consensus request sent here.
        var consensus = AiRegistry_V1_ConsensusRequest()
        consensus.protocolVersion = 1
        consensus.requestID = 42
        var apply = AiRegistry_V1_ApplyRoundRequest()
        apply.round = 3
        consensus.applyRound = apply
        let wrong = try #require(try client.exchange([try consensus.serializedBytes()]))
        let wrongReply = try AiRegistry_V1_QueryResponse(serializedBytes: wrong[0])
        #expect(wrongReply.errorReply?.code == .wrongEndpoint && wrongReply.requestID == 42)
        // Still serving.
        guard case .getKey(let reply)? = try client.call(Q.key(StateKey.parameters)).response else {
            Issue.record("no answer after bad frames")
            return
        }
        #expect(reply.found)
        let audit = running.auditLines
        #expect(audit.contains { $0.contains("\"kind\":\"frameTooLarge\"") && $0.contains("\"endpoint\":\"query\"") })
        #expect(audit.contains { $0.contains("\"kind\":\"malformedRequest\"") })
        #expect(audit.contains { $0.contains("\"kind\":\"unsupportedVersion\"") })
        #expect(audit.contains { $0.contains("\"kind\":\"wrongEndpoint\"") })
    }

    @Test func tokensAreCheckedForMACExpiryAndScope() throws {
        let key = try QueryTokenKey.generate(keyID: "test")
        let manual = ManualClock()
        let now = manual.wall.load(ordering: .relaxed)
        let running = try RunningQueryServer(fixture, configure: {
            $0.authentication = .required
            $0.tokenKeys = [key]
        }, clock: manual.clock)
        let client = try running.client()
        func token(_ scopes: [QueryScope], expires: UInt64 = 3600, signer: QueryTokenKey? = nil) throws -> String {
            try QueryToken(keyID: "test", subject: "tester", scopes: QueryScope.Set(scopes), issuedAt: now - 10, expiresAt: now + expires)
                .signed(with: signer ?? key)
        }
        let read = Q.key(StateKey.parameters, prove: false)
        // No token.
        let anonymous = try client.call(.getRoots(AiRegistry_V1_GetRootsRequest()))
        #expect(anonymous.errorReply?.code == .unauthorized && anonymous.errorReply?.field == "token")
        // A good token: get_roots needs read only.
        guard case .getRoots? = try client.call(.getRoots(AiRegistry_V1_GetRootsRequest()), token: try token([.read])).response else {
            Issue.record("a valid token was refused")
            return
        }
        // get_key needs proofs too.
        let scoped = try client.call(read, token: try token([.read]))
        #expect(scoped.errorReply?.code == .unauthorized && scoped.errorReply?.message.contains("proofs") == true)
        #expect(try client.call(read, token: try token([.read, .proofs])).errorReply == nil)
        #expect(try client.call(.getStatistics(.init()), token: try token([.read, .proofs])).errorReply?.code == .unauthorized)
        // Expired: move the clock past the expiry.
        let short = try token([.read, .proofs], expires: 5)
        #expect(try client.call(read, token: short).errorReply == nil)
        manual.wall.store(now + 6, ordering: .relaxed)
        let expired = try client.call(read, token: short)
        #expect(expired.errorReply?.code == .unauthorized && expired.errorReply?.message.contains("expired") == true)
        // Signed with another key under the same id.
        let forged = try token([.read, .proofs], signer: try QueryTokenKey(keyID: "test", secret: Array(repeating: 9, count: 32)))
        let bad = try client.call(read, token: forged)
        #expect(bad.errorReply?.code == .unauthorized && bad.errorReply?.message.contains("MAC") == true)
        #expect(try client.call(read, token: "ait1.garbage").errorReply?.code == .unauthorized)
        let audit = running.auditLines
        #expect(audit.filter { $0.contains("\"kind\":\"authenticationFailed\"") }.count >= 4)
        #expect(audit.contains { $0.contains("\"kind\":\"unauthorized\"") && $0.contains("token:tester") })
        #expect(!audit.contains { $0.contains(Hex.encode(key.secret)) })
    }

    @Test func aPresentedBadTokenIsRefusedEvenWhereAnonymousIsAllowed() throws {
        let running = try RunningQueryServer(fixture)
        let client = try running.client()
        #expect(try client.call(Q.key(StateKey.parameters)).errorReply == nil)
        #expect(try client.call(Q.key(StateKey.parameters), token: "ait1.x.y").errorReply?.code == .unauthorized)
    }

    @Test func theRateLimitAnswersRateLimitedWithRetryAfterAndAuditsBoundedly() throws {
        let manual = ManualClock()
        let running = try RunningQueryServer(fixture, configure: {
            $0.rateLimit = .init(requestsPerSecond: 2, burst: 5, maxClients: 16)
            $0.auditPerClientPerMinute = 3
        }, clock: manual.clock)
        let client = try running.client()
        let request = Q.key(StateKey.parameters)
        for _ in 0..<5 { #expect(try client.call(request).errorReply == nil) }
        var limited: [AiRegistry_V1_Error] = []
        for _ in 0..<20 { if let error = try client.call(request).errorReply { limited.append(error) } }
        #expect(limited.count == 20)
        #expect(limited.allSatisfy { $0.code == .rateLimited && $0.retryAfterMillis == 500 })
        // Half a second later one more request passes.
        manual.monotonic.store(500_000_000, ordering: .relaxed)
        #expect(try client.call(request).errorReply == nil)
        #expect(try client.call(request).errorReply?.code == .rateLimited)
        // 21 refusals, at most 3 audit lines for them.
        #expect(running.auditLines.filter { $0.contains("\"kind\":\"rateLimited\"") }.count == 3)
    }

    @Test func curveClientsOnTheAllowListAreServedOthersRefusedAtTheHandshake() throws {
        let server = try CurveKeyPair.generate()
        let allowed = try CurveKeyPair.generate()
        let stranger = try CurveKeyPair.generate()
        let running = try RunningQueryServer(fixture) {
            $0.endpoint = "tcp://127.0.0.1:*"
            $0.authentication = .required
            $0.curve = .init(
                secretKey: server.secretKey,
                allowedClients: [.init(name: "explorer", publicKey: allowed.publicKey, scopes: QueryScope.Set([.read]))])
        }
        let good = try running.client(curve: (server.publicKey, allowed))
        guard case .getRoots? = try good.call(.getRoots(.init())).response else {
            Issue.record("allowed CURVE client refused")
            return
        }
        // Its scopes come from the allow-list.
        #expect(try good.call(Q.key(StateKey.parameters)).errorReply?.code == .unauthorized)
        let bad = try running.client(curve: (server.publicKey, stranger))
        try bad.socket.send([1])
        // Refused at the handshake: the refusal is audited (wait for it, then check no reply came).
        var refused = false
        for _ in 0..<500 where !refused {
            refused = running.auditLines.contains { $0.contains("\"kind\":\"handshakeRefused\"") }
            if !refused { Thread.sleep(forTimeInterval: 0.02) }
        }
        #expect(refused)
        #expect(try bad.socket.receiveMultipart(timeout: .zero) == nil)
    }

    @Test func readsDuringCommitsSeeWholeCommittedRoundsOnly() throws {
        let running = try RunningQueryServer(fixture) { $0.rateLimit = .init(requestsPerSecond: 1_000_000, burst: 1_000_000, maxClients: 16) }
        let key = StateKey.registryStatistics
        let start = fixture.latest
        final class Shared: Sendable {
            let replies = Mutex<[AiRegistry_V1_GetKeyResponse]>([])
            let failures = Mutex<[String]>([])
            let stop = Atomic<Bool>(false)
            let finished = Atomic<Int>(0)
        }
        let shared = Shared()
        let readers = 2
        // Two readers query with proofs while this thread commits five more rounds.
        for _ in 0..<readers {
            Thread.detachNewThread {
                defer { shared.finished.add(1, ordering: .releasing) }
                do {
                    let client = try running.client()
                    while !shared.stop.load(ordering: .acquiring) {
                        let response = try client.call(Q.key(key))
                        guard case .getKey(let reply)? = response.response else {
                            shared.failures.withLock { $0.append("\(response)") }
                            return
                        }
                        shared.replies.withLock { $0.append(reply) }
                    }
                } catch {
                    shared.failures.withLock { $0.append("\(error)") }
                }
            }
        }
        for _ in 0..<5 { try fixture.applyNextRound() }
        // Let the readers see the last round too, then stop them.
        for _ in 0..<4000 where !shared.replies.withLock({ $0.contains { $0.round == start + 5 } }) && shared.failures.withLock({ $0.isEmpty }) {
            Thread.sleep(forTimeInterval: 0.005)
        }
        shared.stop.store(true, ordering: .releasing)
        while shared.finished.load(ordering: .acquiring) < readers { Thread.sleep(forTimeInterval: 0.005) }
        #expect(shared.failures.withLock { $0 } == [])
        let all = shared.replies.withLock { $0 }
        #expect(all.contains { $0.round == start + 5 })
        for reply in all {
            #expect((start...start + 5).contains(reply.round))
            let root = try #require(fixture.roots[reply.round])
            #expect(verifyProof(reply.proof, value: reply.found ? [UInt8](reply.value) : nil, root: root) == nil, "round \(reply.round)")
            #expect((reply.found ? [UInt8](reply.value) : nil) == fixture.history[reply.round]?[key] ?? nil)
        }
    }

    @Test func stopIsPromptAndIdempotent() throws {
        let running = try RunningQueryServer(fixture) { $0.workers = 4 }
        let client = try running.client()
        #expect(try client.call(Q.key(StateKey.parameters)).errorReply == nil)
        running.server.stop()
        running.server.stop()
        #expect(throws: QueryServerError.self) { try running.server.start() }
    }
}
