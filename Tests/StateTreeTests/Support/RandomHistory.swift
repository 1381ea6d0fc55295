import Sodium
import StateTree
import Testing

/// A seeded random history of batches checked step by step against `ReferenceMap` (property tests).
struct RandomHistory {
    let seed: UInt64
    var rng: TreeTestRNG
    /// The key universe: random byte strings (one may be empty), unique.
    let universe: [[UInt8]]

    init(seed: UInt64) {
        self.seed = seed
        var rng = TreeTestRNG(seed: seed)
        let size = 1 + rng.below(rng.chance(50) ? 24 : 220)
        var keys: [[UInt8]] = []
        var seen = Set<[UInt8]>()  // membership only (D2)
        while keys.count < size {
            let key = rng.bytes(count: rng.below(11))
            if seen.insert(key).inserted { keys.append(key) }
        }
        universe = keys
        self.rng = rng
    }

    /// A random batch over the universe: unique keys, sorted, a mix of puts (sometimes of the current
    /// value), deletes of present keys and deletes of absent keys.
    mutating func nextBatch(current: ReferenceMap) -> [(key: [UInt8], value: [UInt8]?)] {
        let count = rng.chance(10) ? 0 : 1 + rng.below(min(universe.count, rng.chance(70) ? 8 : 64))
        var chosen = Set<Int>()
        var batch: [(key: [UInt8], value: [UInt8]?)] = []
        for _ in 0..<count {
            let index = rng.below(universe.count)
            guard chosen.insert(index).inserted else { continue }
            let key = universe[index]
            let roll = rng.below(100)
            if roll < 55 {
                batch.append((key, rng.bytes(count: rng.below(24))))
            } else if roll < 65, let same = current.value(key) {
                batch.append((key, same))
            } else {
                batch.append((key, nil))
            }
        }
        return batch.sorted { $0.key.lexicographicallyPrecedes($1.key) }
    }

    /// Runs `steps` versions into `harness`, pruning now and then, and checks after every step the root
    /// against the reference; at the end checks every retained version's root, values and proofs
    /// (present and absent keys), and that the store holds exactly the nodes the retained versions
    /// reach (no leaked and no missing nodes after pruning).
    mutating func run<H: NodeStoreHarness>(steps: Int, harness: inout H) throws {
        let tree = StateTree()
        var model = ReferenceMap()
        var snapshots: [(version: UInt64, map: ReferenceMap, root: Digest256)] = []
        var version: UInt64 = UInt64(rng.below(3))
        var firstRetained: UInt64 = 0
        for _ in 0..<steps {
            let batch = nextBatch(current: model)
            let (root, updateBatch) = try tree.apply(
                version: version, updates: batch.map { KeyUpdate(key: $0.key, value: $0.value) }, in: harness.store)
            model.apply(batch)
            #expect(root.bytes == model.root, "seed \(seed) version \(version): root differs from the reference")
            try harness.commit(updateBatch)
            snapshots.append((version, model, root))

            if rng.chance(15) {
                let window = UInt64(1 + rng.below(6))
                let target = StateTree.firstRetained(latest: version, window: window)
                let limit = rng.chance(50) ? 1 + rng.below(5) : Int.max
                var prune = try tree.pruneBatch(firstRetained: target, limit: limit, in: harness.store)
                try harness.prune(prune)
                while !prune.isComplete {
                    prune = try tree.pruneBatch(firstRetained: target, limit: limit, in: harness.store)
                    try harness.prune(prune)
                }
                firstRetained = max(firstRetained, target)
            }
            version += UInt64(1 + (rng.chance(20) ? rng.below(5) : 0))
        }

        var reachable = Set<NodeKey>()
        for snapshot in snapshots {
            if snapshot.version < firstRetained {
                #expect(throws: StateTreeError.versionNotFound(snapshot.version)) {
                    try tree.rootHash(at: snapshot.version, in: harness.store)
                }
                continue
            }
            #expect(try tree.rootHash(at: snapshot.version, in: harness.store) == snapshot.root, "seed \(seed)")
            for key in universe {
                let expected = snapshot.map.value(key)
                let (value, proof) = try tree.get(key, at: snapshot.version, in: harness.store)
                #expect(value == expected, "seed \(seed) version \(snapshot.version)")
                #expect(throws: Never.self, "seed \(seed) version \(snapshot.version)") {
                    try StateTree.verify(proof: proof, root: snapshot.root, key: key, value: expected)
                }
                // The proof also survives its canonical encoding.
                #expect(try StateProof(decoding: proof.encoded) == proof, "seed \(seed)")
                // And does not prove the opposite claim.
                let opposite: [UInt8]? = expected == nil ? [0x01] : nil
                #expect(throws: ProofVerificationError.self, "seed \(seed)") {
                    try StateTree.verify(proof: proof, root: snapshot.root, key: key, value: opposite)
                }
            }
            reachable.formUnion(try harness.reachableNodes(at: snapshot.version))
        }
        if let stored = try harness.storedNodeKeys() {
            expectSameNodes(stored: stored, reachable: reachable, "seed \(seed)")
        }
    }
}
