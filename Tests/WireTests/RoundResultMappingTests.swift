import Foundation
import RegistryCore
import Sodium
import Testing
@testable import Wire

/// RoundOutcome / RoundRecord → RoundResult, and the stored record's codec.
@Suite struct RoundResultMappingTests {
    static let owner = AccountID(Digest256(bytes: [UInt8](repeating: 4, count: 32))!)
    static let model = ModelID(name: "resnet", version: "1.0")

    static let outcome = RoundOutcome(
        round: 12,
        writes: [StateWrite(key: [1, 2], value: [3]), StateWrite(key: [1, 3], value: nil)],
        results: [
            TransactionResult(txID: Blake2b.hash256([1]), code: .ok, feeCharged: 1_500, firstEvent: 0, eventCount: 2, log: ""),
            TransactionResult(txID: Blake2b.hash256([2]), code: .staleNonce, feeCharged: 0, firstEvent: 2, eventCount: 0, log: "nonce 0 < 1"),
        ],
        events: [
            .modelRegistered(model, owner: owner, name: "resnet", version: "1.0"),
            .feeCharged(owner, operation: .registration, amount: 1_500),
        ],
        fees: RoundFeeSummary(collected: 1_500, treasury: 1_500)
    )

    @Test func resultCarriesEverything() throws {
        let root = Blake2b.hash256([9])
        let result = AiRegistry_V1_RoundResult(Self.outcome, root: root)
        #expect(result.round == 12)
        #expect(result.root == Data(root.bytes))
        #expect(result.writeCount == 2)
        #expect(result.replayed == false)
        #expect(result.results.count == 2)
        #expect(result.results[1].code == ResultCode.staleNonce.rawValue)
        #expect(result.results[1].codeName == "staleNonce")
        #expect(result.results[1].log == "nonce 0 < 1")
        #expect(result.results[0].feeCharged == 1_500)
        #expect(result.results[0].eventCount == 2)
        #expect(result.events.map(\.topic) == ["model.registered", "fee.charged"])
        #expect(result.events.map(\.index) == [0, 1])
        #expect(try RegistryEvent(canonicalBytes: [UInt8](result.events[0].data)) == Self.outcome.events[0])
        #expect(result.fees.collected == 1_500)
        #expect(result.fees.treasury == 1_500)
    }

    @Test func recordRebuildsTheSameResult() throws {
        let input = RoundInput(round: 12, timestampMillis: 99, transactions: [[1], [2]])
        let record = RoundRecord(input: input, outcome: Self.outcome)
        let decoded = try RoundRecord(canonicalBytes: record.canonicalBytes())
        #expect(decoded == record)
        #expect(decoded.inputHash == Blake2b.hash256(input.canonicalBytes()))
        let root = Blake2b.hash256([7])
        let original = AiRegistry_V1_RoundResult(Self.outcome, root: root)
        var replayed = AiRegistry_V1_RoundResult(decoded, root: root, replayed: true)
        #expect(replayed.replayed)
        replayed.replayed = false
        let a: [UInt8] = try original.serializedBytes()
        let b: [UInt8] = try replayed.serializedBytes()
        #expect(a == b)
    }

    @Test func recordDecoderIsStrict() throws {
        let bytes = RoundRecord(input: RoundInput(round: 1, timestampMillis: 0), outcome: Self.outcome).canonicalBytes()
        #expect(throws: CodecError.self) { try RoundRecord(canonicalBytes: bytes + [0]) }
        var otherVersion = bytes
        otherVersion[0] = 2
        #expect(throws: CodecError.self) { try RoundRecord(canonicalBytes: otherVersion) }
        #expect(throws: CodecError.self) { try RoundRecord(canonicalBytes: Array(bytes.dropLast())) }
    }

    @Test func differentInputsHaveDifferentHashes() {
        let a = RoundInput(round: 3, timestampMillis: 1, transactions: [[1]])
        var b = a
        b.timestampMillis = 2
        var c = a
        c.transactions = [[1], [1]]
        #expect(RoundRecord.inputHash(a) != RoundRecord.inputHash(b))
        #expect(RoundRecord.inputHash(a) != RoundRecord.inputHash(c))
        #expect(RoundRecord.inputHash(a) == RoundRecord.inputHash(a))
    }
}
