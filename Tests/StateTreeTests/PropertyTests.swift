import Sodium
import StateTree
import Testing

/// Property tests against the naive reference (ReferenceTree), with seeded deterministic histories.
@Suite("Properties")
struct PropertyTests {
    /// Seeds that once failed, or that cover an edge (tiny universes, empty key, large batches): always
    /// run. Add a failing seed here before fixing the bug it found.
    static let regressionSeeds: [UInt64] = [
        0, 1, 2, 0xDEAD_BEEF, UInt64.max,
        // Found by the sweep: pruning to a requested version inside a gap of versions left nodes that
        // only pruned versions used (fixed: the cutoff is the first committed version >= the request).
        0xA11C_E001, 0xA11C_E004, 0xA11C_E008, 0xA11C_E00B, 0xA11C_E00F,
    ]

    /// A sweep of further seeds (deterministic; change the base to explore new ground).
    static let sweepSeeds: [UInt64] = (0..<16).map { 0x5EED_5000 + UInt64($0) }

    @Test("Regression seeds: roots, values and proofs match the reference at every retained version",
          arguments: regressionSeeds)
    func regression(seed: UInt64) throws {
        var history = RandomHistory(seed: seed)
        var harness = MemoryHarness()
        try history.run(steps: 30, harness: &harness)
    }

    @Test("Seed sweep: roots, values and proofs match the reference at every retained version",
          arguments: sweepSeeds)
    func sweep(seed: UInt64) throws {
        var history = RandomHistory(seed: seed)
        var harness = MemoryHarness()
        try history.run(steps: 30, harness: &harness)
    }

    /// ST-3: the root depends only on the final key-value set, never on the order or batching of the
    /// updates that produced it.
    @Test("Same final set, same root, whatever the history", arguments: [UInt64(3), 4, 5, 6, 7, 8])
    func historyIndependence(seed: UInt64) throws {
        var rng = TreeTestRNG(seed: seed)
        let count = 1 + rng.below(150)
        var final: [(key: [UInt8], value: [UInt8])] = []
        for i in 0..<count { final.append((b("final-\(i)-") + rng.bytes(count: rng.below(4)), rng.bytes(count: rng.below(10)))) }
        final.sort { $0.key.lexicographicallyPrecedes($1.key) }
        let expected = ReferenceTree.root(final)
        let extras = (0..<rng.below(60)).map { b("extra-\($0)") }

        // (a) one batch
        let one = try StateTree().apply(version: 0, updates: final.map { .put($0.key, $0.value) }, in: MemoryNodeStore())
        #expect(one.rootHash.bytes == expected)

        // (b) one key per version, in random order
        var store = MemoryNodeStore()
        var version: UInt64 = 0
        for entry in rng.shuffled(final) {
            try store.commit(try StateTree().apply(version: version, updates: [.put(entry.key, entry.value)], in: store).batch)
            version += 1
        }
        #expect(try StateTree().rootHash(at: version - 1, in: store).bytes == expected)

        // (c) random batches with detours: extra keys inserted then deleted, values overwritten first
        var churn = MemoryNodeStore()
        var pending: [(key: [UInt8], value: [UInt8]?)] =
            extras.map { ($0, rng.bytes(count: 3)) } + final.map { ($0.key, rng.bytes(count: 2)) }
        pending = rng.shuffled(pending)
        var model = ReferenceMap()
        version = 10
        func commitChunk(_ chunk: [(key: [UInt8], value: [UInt8]?)]) throws {
            var unique: [(key: [UInt8], value: [UInt8]?)] = []
            for entry in chunk.reversed() where !unique.contains(where: { $0.key == entry.key }) { unique.append(entry) }
            let sorted = unique.sorted { $0.key.lexicographicallyPrecedes($1.key) }
            try churn.commit(try StateTree().apply(version: version, updates: sorted.map { KeyUpdate(key: $0.key, value: $0.value) }, in: churn).batch)
            model.apply(sorted)
            version += 1
        }
        while !pending.isEmpty {
            let n = min(pending.count, 1 + rng.below(20))
            try commitChunk(Array(pending.prefix(n)))
            pending.removeFirst(n)
        }
        var finishing: [(key: [UInt8], value: [UInt8]?)] = extras.map { ($0, nil) } + final.map { ($0.key, $0.value) }
        finishing = rng.shuffled(finishing)
        while !finishing.isEmpty {
            let n = min(finishing.count, 1 + rng.below(20))
            try commitChunk(Array(finishing.prefix(n)))
            finishing.removeFirst(n)
        }
        #expect(model.entries.count == final.count)
        #expect(try StateTree().rootHash(at: version - 1, in: churn).bytes == expected)
    }
}
