import Sodium
import StateTree
import Testing

/// ADR 0028: the split (parallel) computation and the node cache give the batch of `apply`, byte for
/// byte, over seeded random histories (puts, deletes that collapse subtrees, prunes).
@Suite("Split computation and node cache")
struct SplitComputationTests {
    /// A random batch over a small universe of keys (so deletes hit existing keys and subtrees collapse).
    static func randomBatch(_ rng: inout TreeTestRNG, universe: Int, size: Int, deletePercent: Int) -> [KeyUpdate] {
        var pairs: [(key: [UInt8], value: [UInt8]?)] = []
        var seen = Set<[UInt8]>()
        for _ in 0..<size {
            let key = b("k\(rng.below(universe))")
            guard seen.insert(key).inserted else { continue }
            pairs.append((key, rng.chance(deletePercent) ? nil : rng.bytes(count: 1 + rng.below(12))))
        }
        return sortedUpdates(pairs)
    }

    /// The batch of splits of `plan` into 1, 2, 3, 5, 8 and 16 parts, each part computed through its own
    /// copy of the store, merged (many parts: the merge's interleaving by path length, ADR 0030).
    static func splitComputations(
        _ tree: StateTree, _ plan: ApplyPlan, store: MemoryNodeStore
    ) throws -> [(parts: Int, computation: TreeComputation)] {
        var out: [(Int, TreeComputation)] = []
        for count in [1, 2, 3, 5, 8, 16] {
            let parts = plan.parts(count)
            guard !parts.isEmpty else { continue }
            #expect(parts.first?.nibbles.lowerBound == 0 && parts.last?.nibbles.upperBound == 16)
            #expect(parts.map(\.updateCount).reduce(0, +) == plan.updateCount)
            let partials = try parts.map { part in try tree.computePart(plan, part, in: store) }
            out.append((count, try tree.merge(plan, partials, in: store)))
        }
        return out
    }

    @Test("split == sequential: root, nodes and stale entries byte for byte, over random histories",
          arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8, 0xC0FFEE, 0x5EED_0028])
    func splitEqualsSequential(seed: UInt64) throws {
        var rng = TreeTestRNG(seed: seed)
        let tree = StateTree()
        var store = MemoryNodeStore()
        let universe = [3, 20, 300, 800][rng.below(4)]
        var splits = 0
        for version: UInt64 in 0..<25 {
            let size = rng.chance(20) ? 1 + rng.below(3) : 1 + rng.below(universe)
            let updates = Self.randomBatch(&rng, universe: universe, size: size, deletePercent: rng.chance(30) ? 70 : 20)
            let (root, batch) = try tree.apply(version: version, updates: updates, in: store)
            let plan = try tree.plan(version: version, updates: updates, in: store)
            let sequential = try tree.compute(plan, in: store)
            #expect(sequential.batch == batch && sequential.rootHash == root)
            for (parts, split) in try Self.splitComputations(tree, plan, store: store) {
                #expect(split.batch == batch, "seed \(seed) version \(version): \(parts) parts")
                #expect(split.rootHash == root)
                splits += 1
            }
            try store.commit(batch)
        }
        #expect(splits > 0)
    }

    @Test("split of a two-leaf root whose delete leaves one leaf: the leaf moves up to the root (ST-3)")
    func collapseToRootLeaf() throws {
        let tree = StateTree()
        var store = MemoryNodeStore()
        // Two keys under different root nibbles, then deleting one of them.
        var keys: [[UInt8]] = []
        var index = 0
        while keys.count < 2 {
            let key = b("c\(index)")
            index += 1
            if keys.isEmpty || TreeHash.keyHash(keys[0]).nibble(at: 0) != TreeHash.keyHash(key).nibble(at: 0) { keys.append(key) }
        }
        try store.commit(try tree.apply(version: 1, updates: sortedUpdates(keys.map { ($0, b("v")) }), in: store).batch)
        for deleted in keys {
            let updates = [KeyUpdate.delete(deleted)]
            let (root, batch) = try tree.apply(version: 2, updates: updates, in: store)
            #expect(batch.root.rootNodeKey?.path == NibblePath())
            let plan = try tree.plan(version: 2, updates: updates, in: store)
            #expect(plan.canSplit)
            for (_, split) in try Self.splitComputations(tree, plan, store: store) {
                #expect(split.batch == batch && split.rootHash == root)
            }
        }
        // Deleting both: the empty tree.
        let all = sortedUpdates(keys.map { ($0, nil) })
        let (emptyRoot, emptyBatch) = try tree.apply(version: 2, updates: all, in: store)
        #expect(emptyRoot == TreeHash.emptyRoot)
        let plan = try tree.plan(version: 2, updates: all, in: store)
        for (_, split) in try Self.splitComputations(tree, plan, store: store) { #expect(split.batch == emptyBatch) }
    }

    @Test("a root that is a leaf or an empty tree cannot be split")
    func unsplittable() throws {
        let tree = StateTree()
        var store = MemoryNodeStore()
        let empty = try tree.plan(version: 1, updates: [.put(b("a"), b("1"))], in: store)
        #expect(!empty.canSplit && empty.parts(2).isEmpty)
        try store.commit(try tree.apply(version: 1, updates: [.put(b("a"), b("1"))], in: store).batch)
        let leaf = try tree.plan(version: 2, updates: [.put(b("b"), b("2"))], in: store)
        #expect(!leaf.canSplit && leaf.parts(4).isEmpty)
        #expect(try tree.compute(leaf, in: store).batch == (try tree.apply(version: 2, updates: [.put(b("b"), b("2"))], in: store).batch))
    }

    @Test("update hashes computed ahead in ranges give the same batch")
    func hashesAhead() throws {
        var rng = TreeTestRNG(seed: 11)
        let tree = StateTree()
        var store = MemoryNodeStore()
        for version: UInt64 in 0..<5 {
            let updates = Self.randomBatch(&rng, universe: 500, size: 300, deletePercent: 25)
            let count = updates.count
            let hashes = UpdateHashes(joining: [
                UpdateHashes.of(updates, range: 0..<(count / 3)),
                UpdateHashes.of(updates, range: (count / 3)..<count),
            ])
            let expected = try tree.apply(version: version, updates: updates, in: store).batch
            let plan = try tree.plan(version: version, updates: updates, hashes: hashes, in: store)
            #expect(try tree.compute(plan, in: store).batch == expected)
            try store.commit(expected)
        }
    }

    @Test("cache on and off: identical batches and roots over many commits with deletes and prunes",
          arguments: [UInt64(21), 22, 23, 24])
    func cacheOnOff(seed: UInt64) throws {
        var rng = TreeTestRNG(seed: seed)
        let tree = StateTree()
        var store = MemoryNodeStore()
        var cache = NodeCacheTable(depth: 2)
        var hits = 0
        for version: UInt64 in 0..<40 {
            let updates = Self.randomBatch(&rng, universe: 800, size: 1 + rng.below(200), deletePercent: rng.chance(25) ? 60 : 15)
            let plain = try tree.apply(version: version, updates: updates, in: store)
            let cached = try tree.compute(version: version, updates: updates, cache: cache, cacheDepth: 2, in: store)
            #expect(cached.batch == plain.batch && cached.rootHash == plain.rootHash, "seed \(seed) version \(version)")
            // The split computation with the cache too.
            let plan = try tree.plan(version: version, updates: updates, cache: cache, cacheDepth: 2, in: store)
            if plan.canSplit {
                let partials = try plan.parts(3).map { try tree.computePart(plan, $0, in: store) }
                let merged = try tree.merge(plan, partials, in: store)
                #expect(merged.batch == plain.batch)
                #expect(Set(merged.cacheFill.map(\.key)) == Set(cached.cacheFill.map(\.key)))
            }
            try store.commit(plain.batch)
            cache.insert(cached.cacheFill)
            cache.removeStale(of: plain.batch)
            if version % 8 == 7 || version == 39 { try Self.expectLatestTree(cache, store: store, version: version) }
            hits += cache.count
            if version % 7 == 6 {
                let prune = try tree.pruneBatch(firstRetained: version - 2, in: store)
                try store.apply(prune)
            }
        }
        #expect(hits > 0)
    }

    /// Every cached node is the node stored under its key, reachable from the latest root, with its hash.
    static func expectLatestTree(_ cache: NodeCacheTable, store: MemoryNodeStore, version: UInt64) throws {
        let reachable = Set(try NodeStoreHarnessReach.reachable(at: version, in: store))
        for entry in cache.entries() {
            #expect(reachable.contains(entry.key), "cached \(entry.key) is not in the tree of version \(version)")
            let bytes = try #require(try store.node(entry.key))
            #expect(bytes == entry.node.encoded && entry.node.hash == entry.hash)
            #expect(entry.key.path.count <= cache.depth)
        }
        // Every reachable internal node at depth ≤ 2 that was touched is cached; at least the root.
        if let rootKey = try StateTree().rootRecord(at: version, in: store).rootNodeKey,
           case .internal = try Node(decoding: try #require(try store.node(rootKey))) {
            #expect(cache.contains(rootKey))
        }
    }

    @Test("a cached node is used only with the hash its parent records")
    func cacheNeedsMatchingHash() throws {
        let tree = StateTree()
        var store = MemoryNodeStore()
        let first = sortedUpdates((0..<50).map { (b("h\($0)"), b("v")) })
        let computed = try tree.compute(version: 1, updates: first, cacheDepth: 1, in: store)
        try store.commit(computed.batch)
        var cache = NodeCacheTable(depth: 1)
        cache.insert(computed.cacheFill)
        let rootKey = try #require(computed.batch.root.rootNodeKey)
        #expect(cache.contains(rootKey))
        // Corrupt the stored root: with the cache holding it (same hash), the commit path skips the
        // store; a forged cache entry with another hash is not used and the store's damage is reported.
        store.replaceNode(rootKey, with: [0x01, 0x00])
        let next = [KeyUpdate.put(b("h1"), b("w"))]
        #expect(throws: Never.self) { try tree.compute(version: 2, updates: next, cache: cache, cacheDepth: 1, in: store) }
        var forged = NodeCacheTable(depth: 1)
        forged.insert(computed.cacheFill.map { CachedNode(key: $0.key, node: $0.node, hash: .zero) })
        #expect {
            try tree.compute(version: 2, updates: next, cache: forged, cacheDepth: 1, in: store)
        } throws: { error in
            guard case .corruptNode(let key, let version, _) = error as? StateTreeError else { return false }
            return key == rootKey && version == 1
        }
    }
}

/// Reachable node keys of a version (walks the tree in the store).
enum NodeStoreHarnessReach {
    static func reachable(at version: UInt64, in store: MemoryNodeStore) throws -> [NodeKey] {
        let record = try StateTree().rootRecord(at: version, in: store)
        guard let rootKey = record.rootNodeKey else { return [] }
        var out: [NodeKey] = []
        var stack = [rootKey]
        while let key = stack.popLast() {
            out.append(key)
            let bytes = try #require(try store.node(key))
            if case .internal(let inner) = try Node(decoding: bytes) {
                for child in inner.children {
                    stack.append(NodeKey(version: child.version, path: key.path.appending(Int(child.nibble))))
                }
            }
        }
        return out
    }
}
