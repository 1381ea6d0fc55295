import Foundation
import RegistryClient
import RegistryCore
import RegistryWorkload
import SwiftProtobuf
import Testing
import Wire

extension PluginProcessTests {
    /// Seeded random frames against the running process's consensus and query endpoints: random
    /// bytes, truncated and bit-flipped requests, unknown versions, multipart messages, empty frames.
    /// Every frame gets a decodable reply; an oversize frame gets FRAME_TOO_LARGE or is dropped at the
    /// transport. The process never dies or hangs, and afterwards Info's round and root are unchanged
    /// and a valid round still applies with the reference root.
    @Test func randomFramesGetRepliesAndChangeNothing() throws {
        let reference = try ReferenceRun.make(seed: Self.seed, rounds: Self.rounds, transactions: Self.transactions)
        let harness = try PluginHarness()
        _ = try harness.consensus.initChain(genesis: reference.genesis)
        for index in 0..<2 { _ = try harness.consensus.applyRound(reference.rounds[index].input) }
        let before = try harness.consensus.info()
        #expect(before.lastRound == 2)

        var rng = SplitMix64(seed: 0xF022_5EED)
        let consensusBases = try consensusSeeds(reference, last: before.lastRound)
        let raw = try ConsensusClient(endpoint: harness.ready.consensus, timeout: .seconds(10))
        defer { raw.close() }
        for index in 0..<250 {
            let frames = FuzzFrames.next(&rng, bases: consensusBases)
            if FuzzFrames.wouldCommit(frames, nextRound: before.lastRound + 1) { continue }
            let reply = try raw.exchangeRaw(frames, timeout: .seconds(10))
            let frame = try #require(reply, "consensus frame \(index) (\(frames.map(\.count)) bytes) got no reply; logs:\n\(harness.logTail)")
            #expect(frame.count == 1)
            #expect(throws: Never.self, "consensus frame \(index): undecodable reply") {
                _ = try AiRegistry_V1_ConsensusResponse(serializedBytes: frame[0])
            }
        }
        #expect(harness.plugin.isRunning)

        let query = try harness.queryClient(timeout: .seconds(10))
        defer { query.close() }
        let queryBases = try querySeeds(reference)
        for index in 0..<250 {
            let frames = FuzzFrames.next(&rng, bases: queryBases)
            let reply = try query.exchangeRaw(frames, timeout: .seconds(10))
            let frame = try #require(reply, "query frame \(index) (\(frames.map(\.count)) bytes) got no reply; logs:\n\(harness.logTail)")
            #expect(frame.count == 1)
            #expect(throws: Never.self, "query frame \(index): undecodable reply") {
                _ = try AiRegistry_V1_QueryResponse(serializedBytes: frame[0])
            }
        }
        #expect(harness.plugin.isRunning)

        // Oversize frames (past any configured maximum): a typed reply or a dropped connection, never a
        // crash; the endpoints keep answering others.
        for endpoint in [harness.ready.consensus, harness.ready.query] {
            let big = try ConsensusClient(endpoint: endpoint, timeout: .seconds(10))
            defer { big.close() }
            if let reply = try big.exchangeRaw([[UInt8](repeating: 0xA5, count: 64 << 20)], timeout: .seconds(3)) {
                #expect(reply.count == 1)
                let code: AiRegistry_V1_ErrorCode? = endpoint == harness.ready.consensus
                    ? (try? AiRegistry_V1_ConsensusResponse(serializedBytes: reply[0]))?.error.code
                    : (try? AiRegistry_V1_QueryResponse(serializedBytes: reply[0]))?.error.code
                #expect(code == .frameTooLarge)
            }
        }
        #expect(harness.plugin.isRunning)

        let after = try harness.consensus.info()
        #expect(after.lastRound == before.lastRound)
        #expect(after.lastRoot == before.lastRoot)
        let next = try harness.consensus.applyRound(reference.rounds[2].input)
        #expect(next.root == Data(reference.root(after: 3).bytes))
        #expect(next.codes == reference.outcomes[2].codes)
    }

    /// Valid requests of every consensus kind that cannot change state (the fuzz mutates them).
    func consensusSeeds(_ reference: ReferenceRun, last: UInt64) throws -> [[UInt8]] {
        func request(_ body: AiRegistry_V1_ConsensusRequest.OneOf_Request) throws -> [UInt8] {
            var message = AiRegistry_V1_ConsensusRequest()
            message.protocolVersion = 1
            message.requestID = 77
            message.request = body
            return try message.serializedBytes()
        }
        var check = AiRegistry_V1_CheckTxRequest()
        check.tx = Data(reference.rounds[5].input.transactions[0])
        var preview = AiRegistry_V1_PreviewRoundRequest()
        preview.round = CoreRequests.applyRound(reference.rounds[Int(last)].input)
        var conflicting = reference.rounds[0].input
        conflicting.timestampMillis += 7
        return [
            try request(.info(.init())),
            try request(.checkTx(check)),
            try request(.previewRound(preview)),
            try request(.applyRound(CoreRequests.applyRound(conflicting))),
            try request(.applyRound(CoreRequests.applyRound(RoundInput(round: last + 1_000, timestampMillis: 1)))),
            try request(.initChain(CoreRequests.initChain(reference.genesis))),
        ]
    }

    /// Valid query requests (read-only by nature).
    func querySeeds(_ reference: ReferenceRun) throws -> [[UInt8]] {
        func request(_ body: AiRegistry_V1_QueryRequest.OneOf_Request) throws -> [UInt8] {
            var message = AiRegistry_V1_QueryRequest()
            message.protocolVersion = 1
            message.requestID = 78
            message.request = body
            return try message.serializedBytes()
        }
        var account = AiRegistry_V1_GetAccountRequest()
        account.account = Data(reference.genesis.balances[0].account.bytes)
        account.read.prove = true
        var list = AiRegistry_V1_ListModelsRequest()
        list.limit = 5
        var key = AiRegistry_V1_GetKeyRequest()
        key.key = Data(StateKey.parameters)
        key.read.prove = true
        return [
            try request(.getAccount(account)),
            try request(.listModels(list)),
            try request(.getKey(key)),
            try request(.getRoots(.init())),
            try request(.getStatistics(.init())),
        ]
    }
}

/// The seeded frame generator of the fuzz test.
enum FuzzFrames {
    static func next(_ rng: inout SplitMix64, bases: [[UInt8]]) -> [[UInt8]] {
        let base = bases[Int(rng.below(UInt64(bases.count)))]
        switch rng.below(8) {
        case 0:
            return [rng.bytes(Int(rng.below(300)))]
        case 1:
            // A truncated request.
            return [Array(base.prefix(Int(rng.below(UInt64(max(1, base.count))))))]
        case 2:
            // Bit flips.
            var frame = base
            for _ in 0...rng.below(3) where !frame.isEmpty {
                frame[Int(rng.below(UInt64(frame.count)))] ^= UInt8(1 << rng.below(8))
            }
            return [frame]
        case 3:
            // A valid request with another protocol version (field 1, varint).
            var version = rng.below(1 << 32)
            if version == 1 { version = 2 }
            return [[0x08] + varint(version) + base.drop(while: { $0 != 0x10 })]
        case 4:
            // Multipart: the request followed by extra frames.
            return [base] + (0...rng.below(2)).map { _ in rng.bytes(Int(rng.below(40))) }
        case 5:
            return [[]]
        case 6:
            // Random bytes after a valid prefix.
            return [Array(base.prefix(Int(rng.below(UInt64(base.count + 1))))) + rng.bytes(Int(rng.below(64)))]
        default:
            // A length-delimited field claiming far more bytes than follow.
            return [[0x08, 0x01, 0x6A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F] + rng.bytes(Int(rng.below(16)))]
        }
    }

    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
        return out
    }

    /// Whether a single frame happens to decode as a valid ApplyRound of the next round (which would be
    /// committed: a legitimate request, not a fuzz case).
    static func wouldCommit(_ frames: [[UInt8]], nextRound: UInt64) -> Bool {
        guard frames.count == 1, let request = try? AiRegistry_V1_ConsensusRequest(serializedBytes: frames[0]),
              request.protocolVersion == 1, case .applyRound(let apply)? = request.request else { return false }
        return apply.round == nextRound
    }
}
