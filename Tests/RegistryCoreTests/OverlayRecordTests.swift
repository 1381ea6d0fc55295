import RegistryWorkload
import Sodium
import Testing
@testable import RegistryCore

/// Decoded records in the overlay (`OverlayValue`), the byte order of state keys (`ByteOrder`) and the
/// seeded word hash of `HashedKey`.
@Suite struct OverlayRecordTests {
    func base() -> MemoryState {
        var s = MemoryState()
        s.apply([StateWrite(key: StateKey.feeTotals, value: FeeTotals(collected: 5).canonicalBytes())])
        return s
    }

    @Test func recordsReadAndWriteAsTheirCanonicalBytes() throws {
        var o = StateOverlay(base: base())
        let account = Account(nonce: 3, balance: 70, stake: 9)
        let key = StateKey.account(AccountID(Digest256Fixture.digest(7)))
        o.put(key, record: account)
        #expect(try o.value(for: key) == account.canonicalBytes())
        guard case .account(let held)? = try o.entry(for: key) else { Issue.record("not kept decoded"); return }
        #expect(held == account)
        #expect(o.sortedWrites() == [StateWrite(key: key, value: account.canonicalBytes())])
        // A base value is returned as bytes until it is written.
        guard case .bytes(let bytes)? = try o.entry(for: StateKey.feeTotals) else { Issue.record("base entry"); return }
        #expect(bytes == FeeTotals(collected: 5).canonicalBytes())
        #expect(try o.entry(for: StateKey.registryStatistics) == nil)
    }

    @Test func discardedTransactionRestoresTheDecodedRecord() throws {
        var o = StateOverlay(base: base())
        o.put(StateKey.feeTotals, record: FeeTotals(collected: 6))
        o.beginTransaction()
        o.put(StateKey.feeTotals, record: FeeTotals(collected: 7))
        o.put(StateKey.registryStatistics, record: RegistryStatistics())
        o.delete(StateKey.parameters)
        #expect(try o.value(for: StateKey.feeTotals) == FeeTotals(collected: 7).canonicalBytes())
        o.discardTransaction()
        #expect(try o.value(for: StateKey.feeTotals) == FeeTotals(collected: 6).canonicalBytes())
        #expect(try o.value(for: StateKey.registryStatistics) == nil)
        #expect(o.sortedWrites() == [StateWrite(key: StateKey.feeTotals, value: FeeTotals(collected: 6).canonicalBytes())])
    }

    @Test func scansSeeRecordsAsBytes() throws {
        var o = StateOverlay(base: MemoryState())
        let ids = [AccountID(Digest256Fixture.digest(2)), AccountID(Digest256Fixture.digest(1))]
        o.put(StateKey.account(ids[0]), record: Account(nonce: 1))
        o.put(StateKey.account(ids[1]), record: Account(nonce: 2))
        let rows = try o.scan(from: [StateKey.Table.account.rawValue], to: [StateKey.Table.account.rawValue + 1], limit: 10)
        #expect(rows.map(\.key) == [StateKey.account(ids[1]), StateKey.account(ids[0])])
        #expect(rows.map(\.value) == [Account(nonce: 2).canonicalBytes(), Account(nonce: 1).canonicalBytes()])
    }

    /// Every record type the overlay keeps decoded answers only for its own case.
    @Test func decodedFromMatchesOnlyItsOwnCase() {
        let totals = FeeTotals(burned: 1)
        #expect(FeeTotals.decoded(from: totals.overlayValue) == totals)
        #expect(Account.decoded(from: totals.overlayValue) == nil)
        #expect(FeeStatistics.decoded(from: FeeStatistics(count: 1, total: 2).overlayValue) == FeeStatistics(count: 1, total: 2))
        #expect(RateWindow.decoded(from: .bytes(RateWindow(window: 1, count: 1).canonicalBytes())) == nil)
        #expect(OverlayValue.deleted.encoded == nil)
    }

    /// `ByteOrder` agrees with `lexicographicallyPrecedes` (prefixes first) and sorts like it.
    @Test(arguments: 0..<50)
    func byteOrderAgreesWithLexicographicOrder(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed))
        // Short alphabets and lengths around the 8-byte word so equal prefixes and tails are common.
        func key() -> [UInt8] { (0..<Int(rng.below(20))).map { _ in UInt8(rng.below(3)) * 0x7F } }
        for _ in 0..<200 {
            let a = key(), b = key()
            #expect(ByteOrder.precedes(a, b) == a.lexicographicallyPrecedes(b), "\(a) \(b)")
            #expect((ByteOrder.compare(a, b) == 0) == (a == b), "\(a) \(b)")
            if a == b { #expect(HashedKey(a)._rawHashValue(seed: seed) == HashedKey(b)._rawHashValue(seed: seed)) }
        }
        var seen = Set<[UInt8]>()
        var writes = (0..<300).map { _ in key() }.filter { seen.insert($0).inserted }.map { StateWrite(key: $0, value: [1]) }
        ByteOrder.sort(&writes)
        #expect(writes.map(\.key) == writes.map(\.key).sorted { $0.lexicographicallyPrecedes($1) })
    }

    /// The word hash depends on every byte and on the seed (no trivially colliding keys).
    @Test func wordHashSeparatesNearbyKeys() {
        let key: [UInt8] = Array(0..<33)
        var hashes = Set<Int>()
        for index in key.indices {
            var changed = key
            changed[index] ^= 1
            hashes.insert(HashedKey(changed)._rawHashValue(seed: 1))
        }
        hashes.insert(HashedKey(key)._rawHashValue(seed: 1))
        hashes.insert(HashedKey(key + [0])._rawHashValue(seed: 1))
        #expect(hashes.count == key.count + 2)
        #expect(HashedKey(key)._rawHashValue(seed: 1) != HashedKey(key)._rawHashValue(seed: 2))
    }
}

/// Distinct digests for test keys.
enum Digest256Fixture {
    static func digest(_ n: UInt8) -> Digest256 { Digest256(bytes: [UInt8](repeating: n, count: 32))! }
}
