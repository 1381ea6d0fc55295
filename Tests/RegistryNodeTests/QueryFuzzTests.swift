import Foundation
import RegistryCore
import RegistryWorkload
import Sodium
import StateStore
import Testing
import Wire
@testable import RegistryNode

/// Seeded random bytes and mutated valid requests fed to the QueryRequest decoder, the request handler
/// and the live endpoint: no crash, no hang, a decodable reply to every frame, no state change.
@Suite(.serialized)
struct QueryFuzzTests {
    /// The project's SplitMix64: reproducible from the seed printed in failures.
    struct Random {
        private var generator: SplitMix64
        init(state: UInt64) { generator = SplitMix64(seed: state) }
        mutating func next() -> UInt64 { generator.next() }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
        mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) } }
    }

    let fixture: QueryFixture

    init() throws {
        fixture = try QueryFixture(rounds: 4, transactionsPerRound: 30)
    }

    /// Valid requests of every kind, as seeds for mutation.
    func seeds() throws -> [[UInt8]] {
        let model = try fixture.allModels().first?.id.bytes ?? Array(repeating: 1, count: 32)
        var bodies: [AiRegistry_V1_QueryRequest.OneOf_Request] = [
            Q.model(model, round: 1, prove: true), Q.key(StateKey.parameters), Q.listModels(filter: .status("active"), limit: 3),
            Q.listProposals(status: "voting", limit: 2), .getRoots(.init()), .getStatistics(.init()),
        ]
        var schedule = AiRegistry_V1_GetScheduleRequest()
        schedule.queue = "activation"
        bodies.append(.getSchedule(schedule))
        var round = AiRegistry_V1_GetRoundResultRequest()
        round.round = 2
        bodies.append(.getRoundResult(round))
        var fees = AiRegistry_V1_GetFeeStatisticsRequest()
        fees.account = Data(repeating: 3, count: 32)
        bodies.append(.getFeeStatistics(fees))
        return try bodies.map { body in
            var request = AiRegistry_V1_QueryRequest()
            request.protocolVersion = 1
            request.requestID = 5
            request.token = "ait1.AAAA.BBBB"
            request.request = body
            return try request.serializedBytes()
        }
    }

    /// A fuzz frame: random bytes, or a seed truncated, bit-flipped, spliced or extended.
    func frame(_ random: inout Random, seeds: [[UInt8]]) -> [UInt8] {
        let seed = seeds[random.below(seeds.count)]
        switch random.below(6) {
        case 0: return random.bytes(random.below(200))
        case 1: return Array(seed.prefix(random.below(seed.count + 1)))
        case 2:
            var mutated = seed
            for _ in 0...random.below(4) where !mutated.isEmpty {
                mutated[random.below(mutated.count)] ^= UInt8(1 << random.below(8))
            }
            return mutated
        case 3:
            var mutated = seed
            if !mutated.isEmpty { mutated[random.below(mutated.count)] = UInt8(truncatingIfNeeded: random.next()) }
            return mutated
        case 4: return seed + random.bytes(random.below(40))
        default:
            let other = seeds[random.below(seeds.count)]
            return Array(seed.prefix(random.below(seed.count + 1))) + Array(other.suffix(random.below(other.count + 1)))
        }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func theHandlerAnswersEveryFrameWithoutChangingState(seed: UInt64) throws {
        let before = try fixture.store.snapshot()
        let version = before.version
        let root = try before.latestRootHash()
        before.close()
        let audit = try AuditLog(path: nil, logger: QueryFixture.logger)
        var configuration = QueryServerConfiguration.defaults
        configuration.rateLimit = .init(requestsPerSecond: 1_000_000, burst: 1_000_000, maxClients: 16)
        let handler = QueryRequestHandler(configuration: configuration, store: fixture.store, audit: audit, logger: QueryFixture.logger)
        var random = Random(state: seed)
        let seeds = try seeds()
        var errors = 0
        for index in 0..<1500 {
            var frames = [frame(&random, seeds: seeds)]
            if random.below(20) == 0 { frames.append(random.bytes(random.below(10))) }
            let reply = handler.handle(frames: frames, peer: .init())
            let response: AiRegistry_V1_QueryResponse
            do { response = try AiRegistry_V1_QueryResponse(serializedBytes: reply) } catch {
                Issue.record("seed \(seed) frame \(index): undecodable reply")
                continue
            }
            #expect(response.protocolVersion == 1, "seed \(seed) frame \(index)")
            #expect(response.response != nil, "seed \(seed) frame \(index)")
            if response.errorReply != nil { errors += 1 }
        }
        #expect(errors > 0)
        let after = try fixture.store.snapshot()
        #expect(after.version == version)
        #expect(try after.latestRootHash() == root)
        after.close()
    }

    @Test func theEndpointAnswersEveryRandomFrameAndKeepsServing() throws {
        let running = try RunningQueryServer(fixture) {
            $0.rateLimit = .init(requestsPerSecond: 1_000_000, burst: 1_000_000, maxClients: 16)
            $0.maxFrameBytes = 512
        }
        let client = try running.client()
        var random = Random(state: 0xF022)
        let seeds = try seeds()
        for index in 0..<300 {
            var frames = [frame(&random, seeds: seeds)]
            if random.below(10) == 0 { frames[0] += random.bytes(600) }  // oversize
            if random.below(15) == 0 { frames.append(random.bytes(3)) }  // multipart
            guard let reply = try client.exchange(frames) else {
                Issue.record("frame \(index): no reply")
                return
            }
            #expect(reply.count == 1)
            #expect((try? AiRegistry_V1_QueryResponse(serializedBytes: reply[0])) != nil, "frame \(index)")
        }
        guard case .getKey(let reply)? = try client.call(Q.key(StateKey.parameters)).response else {
            Issue.record("the endpoint stopped serving")
            return
        }
        #expect(reply.found)
    }

    @Test func theDecoderNeverTrapsOnRandomBytes() {
        var random = Random(state: 77)
        var decoded = 0
        for _ in 0..<20_000 {
            if (try? AiRegistry_V1_QueryRequest(serializedBytes: random.bytes(random.below(64)))) != nil { decoded += 1 }
        }
        // Some random strings happen to be valid protobuf; most are not. Either way, no trap.
        #expect(decoded < 20_000)
    }
}
