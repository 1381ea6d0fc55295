import RegistryWorkload
import Sodium
import StateTree
import Testing

/// The bulk builder produces exactly the nodes and root `StateTree.apply` writes for the same
/// key-value set put into an empty tree.
@Suite struct TreeBulkBuilderTests {
    /// `apply` on an empty memory store at `version`.
    static func applied(_ entries: [(key: [UInt8], value: [UInt8])], version: UInt64) throws -> TreeUpdateBatch {
        let sorted = entries.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        let store = MemoryNodeStore()
        return try StateTree().apply(version: version, updates: sorted.map { .put($0.key, $0.value) }, in: store).batch
    }

    /// The builder fed in key-hash order; nodes regrouped per path length as an importer does.
    static func built(_ entries: [(key: [UInt8], value: [UInt8])], version: UInt64) throws -> (root: RootRecord, nodes: [NodeWrite], grouped: [NodeWrite]) {
        let leaves = entries.map { LeafNode(key: $0.key, value: $0.value) }.sorted { $0.keyHash < $1.keyHash }
        var builder = TreeBulkBuilder(version: version)
        var emitted: [NodeWrite] = []
        for (position, leaf) in leaves.enumerated() {
            try builder.add(leaf)
            if position % 7 == 0 { emitted += builder.takeNodes() }
        }
        let root = try builder.finish()
        emitted += builder.takeNodes()
        var groups = Array(repeating: [NodeWrite](), count: 65)
        for write in emitted { groups[write.key.path.count].append(write) }
        return (root, emitted, groups.flatMap { $0 })
    }

    static func randomEntries(_ rng: inout SplitMix64, count: Int) -> [(key: [UInt8], value: [UInt8])] {
        var seen = Set<[UInt8]>()
        var out: [(key: [UInt8], value: [UInt8])] = []
        while out.count < count {
            let key = rng.bytes(1 + Int(rng.below(40)))
            guard seen.insert(key).inserted else { continue }
            out.append((key, rng.bytes(Int(rng.below(64)))))
        }
        return out
    }

    @Test(arguments: [0, 1, 2, 3, 16, 17, 100, 1000])
    func matchesApply(count: Int) throws {
        var rng = SplitMix64(seed: 0x5EED_0000 + UInt64(count))
        let entries = Self.randomEntries(&rng, count: count)
        let batch = try Self.applied(entries, version: 77)
        let (root, emitted, grouped) = try Self.built(entries, version: 77)
        #expect(root == batch.root)
        #expect(grouped == batch.nodes)  // same nodes, same bytes, and per-length grouping is node key order
        #expect(emitted.count == batch.nodes.count)
    }

    @Test func propertySeeds() throws {
        for seed in UInt64(1)...40 {
            var rng = SplitMix64(seed: seed)
            let entries = Self.randomEntries(&rng, count: Int(rng.below(300)))
            let version = rng.below(1_000_000)
            let batch = try Self.applied(entries, version: version)
            let (root, _, grouped) = try Self.built(entries, version: version)
            #expect(root == batch.root, "seed \(seed)")
            #expect(grouped == batch.nodes, "seed \(seed)")
        }
    }

    /// Keys whose hashes share long prefixes (found by search) force chains of single-child
    /// internal nodes.
    @Test func sharedPrefixes() throws {
        var byPrefix: [UInt32: [[UInt8]]] = [:]
        var pair: [[UInt8]] = []
        var counter: UInt32 = 0
        while pair.isEmpty {
            let key = Array("key-\(counter)".utf8)
            counter += 1
            let prefix = UInt32(truncatingIfNeeded: TreeHash.keyHash(key).w0 >> 44)  // first 5 nibbles
            byPrefix[prefix, default: []].append(key)
            if byPrefix[prefix]!.count == 2 { pair = byPrefix[prefix]! }
        }
        let entries = pair.map { (key: $0, value: [UInt8]($0.reversed())) } + [(key: Array("other".utf8), value: [1])]
        let batch = try Self.applied(entries, version: 5)
        let (root, _, grouped) = try Self.built(entries, version: 5)
        #expect(root == batch.root)
        #expect(grouped == batch.nodes)
        #expect(grouped.contains { $0.key.path.count >= 5 })
    }

    @Test func refusesDisorderAndDuplicates() throws {
        let a = LeafNode(key: [1], value: [1]), b = LeafNode(key: [2], value: [2])
        let (low, high) = a.keyHash < b.keyHash ? (a, b) : (b, a)
        var builder = TreeBulkBuilder(version: 1)
        try builder.add(high)
        #expect(throws: BulkBuildError.keyHashNotAscending(index: 1, keyHash: low.keyHash, previous: high.keyHash)) {
            try builder.add(low)
        }
        #expect(throws: BulkBuildError.duplicateKeyHash(index: 1, keyHash: high.keyHash)) {
            try builder.add(LeafNode(key: high.key, value: [9]))
        }
        _ = try builder.finish()
        #expect(throws: BulkBuildError.alreadyFinished) { try builder.add(low) }
    }

    @Test func emptyAndSingle() throws {
        var empty = TreeBulkBuilder(version: 3)
        #expect(try empty.finish() == .empty(version: 3))
        #expect(empty.takeNodes().isEmpty)
        var single = TreeBulkBuilder(version: 3)
        try single.add(key: [7], value: [8])
        let root = try single.finish()
        let nodes = single.takeNodes()
        #expect(nodes.count == 1 && nodes[0].key == .root(3))
        #expect(root.rootHash == LeafNode(key: [7], value: [8]).hash)
    }
}
