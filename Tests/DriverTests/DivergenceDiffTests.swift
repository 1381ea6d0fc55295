import Foundation
import RegistryCore
import Sodium
import Testing
import Wire
@testable import RoundDriverKit

/// The divergence report's two parts: the field diff of two round results and the per-key diff of two
/// write sets (fed fake outcomes).
@Suite struct DivergenceDiffTests {
    static func account(_ byte: UInt8) -> AccountID { AccountID(Digest256(bytes: [UInt8](repeating: byte, count: 32))!) }

    static func outcome(balance: Amount, extra: Bool, code: ResultCode) -> RoundOutcome {
        var writes = [
            StateWrite(key: StateKey.account(account(1)), value: Account(nonce: 1, balance: balance, stake: 0).canonicalBytes()),
            StateWrite(key: StateKey.account(account(2)), value: Account(nonce: 4, balance: 9, stake: 0).canonicalBytes()),
            StateWrite(key: StateKey.rateWindow(account(1)), value: nil),
        ]
        if extra { writes.append(StateWrite(key: StateKey.counter("nextProposalID"), value: [0, 0, 0, 0, 0, 0, 0, 1])) }
        writes.sort { $0.key.lexicographicallyPrecedes($1.key) }
        let result = TransactionResult(txID: Blake2b.hash256([1]), code: code, feeCharged: 10, firstEvent: 0, eventCount: 0, log: "")
        return RoundOutcome(round: 7, writes: writes, results: [result], events: [], fees: RoundFeeSummary(collected: 10))
    }

    @Test func identicalWriteSetsHaveNoDifference() {
        let a = Self.outcome(balance: 5, extra: false, code: .ok)
        #expect(WriteSetDiff.compare(reference: a.writes, other: a.writes).isEmpty)
    }

    @Test func twoWriteSetsDifferPerKey() {
        let reference = Self.outcome(balance: 5, extra: false, code: .ok)
        let plugin = Self.outcome(balance: 6, extra: true, code: .ok)
        let differences = WriteSetDiff.compare(reference: reference.writes, other: plugin.writes)
        #expect(differences.count == 2)
        let changed = differences.first { $0.key == StateKey.account(Self.account(1)) }
        #expect(changed?.reference == .value(Account(nonce: 1, balance: 5, stake: 0).canonicalBytes()))
        #expect(changed?.other == .value(Account(nonce: 1, balance: 6, stake: 0).canonicalBytes()))
        let extra = differences.first { $0.key == StateKey.counter("nextProposalID") }
        #expect(extra?.reference == .notWritten)
        #expect(extra?.other == .value([0, 0, 0, 0, 0, 0, 0, 1]))
        // Reported as key / reference value / plugin value, values decoded where possible.
        #expect(changed?.description.contains("account") == true)
        #expect(changed?.description.contains("balance 5") == true)
        #expect(changed?.description.contains("balance 6") == true)
        // Swapping the sides swaps the report.
        let swapped = WriteSetDiff.compare(reference: plugin.writes, other: reference.writes)
        #expect(swapped.map(\.key) == differences.map(\.key))
        #expect(swapped.first { $0.key == StateKey.counter("nextProposalID") }?.other == .notWritten)
    }

    @Test func observedValuesAreComparedToTheReferenceWrites() {
        let reference = Self.outcome(balance: 5, extra: false, code: .ok)
        // What a plugin holds at the reference's keys: same first value, a different second, the
        // deleted key present.
        let observed: [WriteSetDiff.Side] = reference.writes.map { write in
            if write.key == StateKey.account(Self.account(2)) { return .value(Account(nonce: 4, balance: 10, stake: 0).canonicalBytes()) }
            if write.value == nil { return .value([1]) }
            return .value(write.value!)
        }
        let differences = WriteSetDiff.compare(reference: reference.writes, observed: observed)
        #expect(differences.map(\.key).sorted { $0.lexicographicallyPrecedes($1) }
                == [StateKey.account(Self.account(2)), StateKey.rateWindow(Self.account(1))].sorted { $0.lexicographicallyPrecedes($1) })
        #expect(differences.first { $0.key == StateKey.rateWindow(Self.account(1)) }?.reference == .absent)
        // A deleted key that is absent on the plugin, and missing reads, are handled.
        let absent = WriteSetDiff.compare(reference: reference.writes, observed: reference.writes.map { $0.value.map(WriteSetDiff.Side.value) ?? .absent })
        #expect(absent.isEmpty)
        let short = WriteSetDiff.compare(reference: reference.writes, observed: [])
        #expect(short.count == reference.writes.count)
    }

    @Test func resultDiffNamesEveryDifferingField() {
        let root = Blake2b.hash256([9])
        let expected = AiRegistry_V1_RoundResult(Self.outcome(balance: 5, extra: false, code: .ok), root: root)
        #expect(ResultDiff.compare(expected: expected, actual: expected).isEmpty)
        var replayed = expected
        replayed.replayed = true
        #expect(ResultDiff.compare(expected: expected, actual: replayed).isEmpty, "replayed is not compared")

        let actual = AiRegistry_V1_RoundResult(Self.outcome(balance: 6, extra: true, code: .notModelOwner), root: Blake2b.hash256([8]))
        let differences = ResultDiff.compare(expected: expected, actual: actual)
        #expect(differences.contains { $0.hasPrefix("root:") })
        #expect(differences.contains { $0.hasPrefix("write_count: expected 3, got 4") })
        #expect(differences.contains { $0.hasPrefix("tx 0:") && $0.contains("notModelOwner") })
        #expect(!differences.contains { $0.hasPrefix("fees") })
    }

    @Test func keysAreDescribedByTable() {
        #expect(KeyDescription.key(StateKey.parameters) == "parameters")
        #expect(KeyDescription.key(StateKey.account(Self.account(1))).hasPrefix("account 0101"))
        #expect(KeyDescription.key([0xEE, 1]) == "table 0xee 01")
        #expect(KeyDescription.value([1, 2, 3]) == "3 bytes 010203")
    }
}
