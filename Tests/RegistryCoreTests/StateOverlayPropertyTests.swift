import RegistryWorkload
import Testing
@testable import RegistryCore

/// Property test: `StateOverlay.scan` over random base states, random pending round and transaction
/// writes, random bounds, limits (including `Int.max`) and directions equals a scan of the naive
/// reference (the base with the pending writes applied). Seeded; failing seeds join `regressionSeeds`.
@Suite struct StateOverlayPropertyTests {
    static let regressionSeeds: [UInt64] = []

    static func randomKey(_ rng: inout SplitMix64) -> [UInt8] {
        // Few tables and short keys so bounds, tables and pending writes collide often.
        [UInt8(0x10 + rng.below(3))] + rng.bytes(Int(rng.below(3)))
    }

    static func check(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var base = MemoryState()
        base.apply((0..<Int(rng.below(40))).map { _ in StateWrite(key: randomKey(&rng), value: rng.bytes(2)) })
        var overlay = StateOverlay(base: base)
        var reference = base
        let roundWrites = Int(rng.below(30))
        for _ in 0..<roundWrites {
            let key = randomKey(&rng)
            if rng.below(3) == 0 { overlay.delete(key); reference.apply([StateWrite(key: key, value: nil)]) }
            else { let v = rng.bytes(2); overlay.put(key, v); reference.apply([StateWrite(key: key, value: v)]) }
        }
        let inTransaction = rng.below(2) == 0
        if inTransaction {
            overlay.beginTransaction()
            for _ in 0..<Int(rng.below(10)) {
                let key = randomKey(&rng)
                if rng.below(3) == 0 { overlay.delete(key); reference.apply([StateWrite(key: key, value: nil)]) }
                else { let v = rng.bytes(2); overlay.put(key, v); reference.apply([StateWrite(key: key, value: v)]) }
            }
        }
        for _ in 0..<20 {
            var a = randomKey(&rng), b = randomKey(&rng)
            if b.lexicographicallyPrecedes(a) { swap(&a, &b) }
            let limits = [1, 2, 3, 7, 1000, Int.max]
            let limit = limits[Int(rng.below(UInt64(limits.count)))]
            let reverse = rng.below(2) == 0
            let actual = try overlay.scan(from: a, to: b, reverse: reverse, limit: limit)
            let expected = try reference.scan(from: a, to: b, reverse: reverse, limit: limit)
            #expect(actual == expected, "seed \(seed): scan [\(a), \(b)) reverse \(reverse) limit \(limit)")
            if actual != expected { return }
        }
    }

    @Test(arguments: 0..<300)
    func scanEqualsNaiveReference(seed: Int) throws {
        try Self.check(seed: UInt64(seed))
    }

    @Test func regressions() throws {
        for seed in Self.regressionSeeds { try Self.check(seed: seed) }
    }
}

/// Property test: `MemoryState.apply` keeps its sorted key index equal to a naive reference, for
/// batches with repeated keys, delete-then-put and put-then-delete of the same key.
@Suite struct MemoryStateApplyPropertyTests {
    @Test(arguments: 0..<100)
    func applyMatchesNaiveReference(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &+ 10_000)
        var state = MemoryState()
        var reference: [[UInt8]: [UInt8]] = [:]
        for _ in 0..<8 {
            var batch: [StateWrite] = []
            for _ in 0..<Int(rng.below(40)) {
                let key = StateOverlayPropertyTests.randomKey(&rng)
                let write = rng.below(3) == 0 ? StateWrite(key: key, value: nil) : StateWrite(key: key, value: rng.bytes(2))
                batch.append(write)
                reference[key] = write.value
            }
            state.apply(batch)
            let expected = reference.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { KeyValue(key: $0, value: reference[$0]!) }
            #expect(state.pairs == expected, "seed \(seed)")
            #expect(state.count == expected.count)
            for row in expected { #expect(try state.value(for: row.key) == row.value) }
        }
    }
}
