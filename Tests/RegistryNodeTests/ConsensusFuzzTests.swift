import Foundation
import RegistryCore
import RegistryWorkload
import SwiftProtobuf
import Testing
import Wire
@testable import RegistryNode

/// Seeded random bytes and mutated requests fed to the consensus state machine: every frame gets a
/// decodable reply, nothing traps, and the committed state changes only through a successful ApplyRound.
@Suite struct ConsensusFuzzTests {
    @Test(arguments: [UInt64(1), 2, 3])
    func randomAndMutatedFrames(seed: UInt64) throws {
        let fixture = try ConsensusFixture(seed: seed, transactionsPerRound: 10)
        _ = try fixture.initChain()
        var rounds: [RoundInput] = []
        for _ in 1...3 { rounds.append(try fixture.applyNext().input) }
        var rng = SplitMix64(seed: seed)
        var seeds: [[UInt8]] = [
            try fixture.request(.info(AiRegistry_V1_InfoRequest())).serializedBytes(),
            try fixture.request(.applyRound(AiRegistry_V1_ApplyRoundRequest(rounds[1]))).serializedBytes(),
            try fixture.request(.previewRound({ var p = AiRegistry_V1_PreviewRoundRequest(); p.round = AiRegistry_V1_ApplyRoundRequest(rounds[2]); return p }())).serializedBytes(),
            try fixture.request(.initChain(AiRegistry_V1_InitChainRequest(fixture.generator.genesis))).serializedBytes(),
        ]
        var check = AiRegistry_V1_CheckTxRequest()
        check.tx = Data(rounds[0].transactions.first ?? [1])
        seeds.append(try fixture.request(.checkTx(check)).serializedBytes())

        var applied = 0
        for iteration in 0..<1_500 {
            let frame: [UInt8]
            if iteration % 3 == 0 {
                let count = Int(rng.next() % 256)
                frame = (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            } else {
                var bytes = seeds[Int(rng.next() % UInt64(seeds.count))]
                let flips = 1 + Int(rng.next() % 4)
                for _ in 0..<flips where !bytes.isEmpty {
                    let position = Int(rng.next() % UInt64(bytes.count))
                    switch rng.next() % 3 {
                    case 0: bytes[position] ^= UInt8(1 << (rng.next() % 8))
                    case 1: bytes[position] = UInt8(truncatingIfNeeded: rng.next())
                    default: bytes.removeSubrange(position...)
                    }
                }
                frame = bytes
            }
            let before = try fixture.storeState()
            let reply = fixture.service.handle(frame: frame)
            let encoded: [UInt8] = try reply.response.serializedBytes()
            let decoded = try AiRegistry_V1_ConsensusResponse(serializedBytes: encoded)
            #expect(decoded.response != nil)
            #expect(decoded.protocolVersion == 1)
            let after = try fixture.storeState()
            if case .applyRound(let result)? = reply.response.response, !result.replayed {
                applied += 1
                #expect(after.version == result.round)
            } else {
                #expect(after.version == before.version)
                #expect(after.root == before.root)
            }
            #expect(!fixture.service.isHalted)
        }
        // The service still works normally afterwards.
        let info = try fixture.info()
        #expect(info.initialized)
        #expect(info.lastRound >= 3)
        #expect(applied <= 1_500)
    }
}
