import Sodium
import StateTree
import Testing

/// ADR 0031: the node cache's flat, path-indexed layout — one slot per path, hits only on the exact
/// version and hash, stale removal only of the node it names, copy-on-write.
@Suite("Node cache table")
struct NodeCacheTableTests {
    /// A path from nibbles.
    static func path(_ nibbles: [UInt8]) -> NibblePath { NibblePath(nibbles: nibbles)! }

    /// A node with `count` children under nibbles 0, 1, … (versions and hashes derived from `seed`).
    static func node(seed: UInt8, count: Int) -> InternalNode {
        var children: [InternalNode.Child] = []
        for index in 0..<count {
            let nibble = UInt8(index)
            let hash = Blake2b.hash256([seed, nibble])
            children.append(InternalNode.Child(nibble: nibble, version: UInt64(seed) + UInt64(index), hash: hash, isLeaf: index % 2 == 0))
        }
        return InternalNode(children: children)
    }

    static func cached(_ nibbles: [UInt8], version: UInt64, seed: UInt8, count: Int = 3) -> CachedNode {
        let node = node(seed: seed, count: count)
        return CachedNode(key: NodeKey(version: version, path: path(nibbles)), node: node, hash: node.hash)
    }

    static func batch(version: UInt64, stale: [NodeKey]) -> TreeUpdateBatch {
        TreeUpdateBatch(
            version: version, nodes: [], staleEntries: stale.map { StaleNodeIndex(staleSince: version, nodeKey: $0) },
            root: .empty(version: version))
    }

    @Test("nodes at every depth up to the table's come back whole; deeper ones are not kept")
    func roundTripsEveryDepth() {
        var table = NodeCacheTable(depth: 4)
        let fill = [
            Self.cached([], version: 9, seed: 1, count: 16),
            Self.cached([15], version: 8, seed: 2),
            Self.cached([0, 0], version: 7, seed: 3),
            Self.cached([15, 15, 15], version: 6, seed: 4, count: 2),
            Self.cached([3, 14, 0, 15], version: 5, seed: 5, count: 16),
            Self.cached([15, 15, 15, 15], version: 4, seed: 6, count: 1),
            Self.cached([1, 2, 3, 4, 5], version: 3, seed: 7),
        ]
        table.insert(fill)
        #expect(table.count == 6)
        #expect(table.entries() == fill.dropLast().sorted { $0.key < $1.key })
        #expect(!table.contains(fill[6].key))
        for entry in fill.dropLast() {
            #expect(table.contains(entry.key))
            #expect(!table.contains(NodeKey(version: entry.key.version + 1, path: entry.key.path)))
        }
    }

    @Test("a path holds one node: a newer one replaces it, and removing the replaced key keeps the new one")
    func onePerPathAndStaleRemoval() {
        var table = NodeCacheTable(depth: 3)
        let old = Self.cached([2, 7], version: 3, seed: 1)
        let new = Self.cached([2, 7], version: 5, seed: 2)
        table.insert([old])
        table.insert([new])
        #expect(table.count == 1)
        #expect(table.entries() == [new])
        table.removeStale(of: Self.batch(version: 5, stale: [old.key]))
        #expect(table.entries() == [new])
        table.removeStale(of: Self.batch(version: 6, stale: [new.key]))
        #expect(table.count == 0)
        #expect(table.entries().isEmpty)
    }

    @Test("a copy is not changed by later mutations of the original, nor the original by the copy's")
    func copyOnWrite() {
        var original = NodeCacheTable(depth: 2)
        let first = Self.cached([4], version: 2, seed: 1)
        original.insert([first])
        var copy = original
        let second = Self.cached([4, 4], version: 3, seed: 2)
        original.insert([second])
        original.removeStale(of: Self.batch(version: 3, stale: [first.key]))
        #expect(copy.entries() == [first])
        #expect(original.entries() == [second])
        copy.removeAll()
        #expect(copy.count == 0)
        #expect(original.entries() == [second])
    }

    @Test("the depth is clamped to the table's maximum; a negative depth keeps nothing")
    func depthLimits() {
        #expect(NodeCacheTable(depth: 15).depth == NodeCacheTable.maxDepth)
        var deep = NodeCacheTable(depth: 15)
        let atMax = Self.cached([UInt8](repeating: 9, count: NodeCacheTable.maxDepth), version: 1, seed: 1)
        let beyond = Self.cached([UInt8](repeating: 9, count: NodeCacheTable.maxDepth + 1), version: 1, seed: 2)
        deep.insert([atMax, beyond])
        #expect(deep.entries() == [atMax])
        var off = NodeCacheTable(depth: -1)
        off.insert([Self.cached([], version: 1, seed: 1)])
        #expect(off.count == 0)
        #expect(off.estimatedBytes < 64)
    }

    @Test("memory grows with the nodes held, not with the number of paths")
    func memoryFollowsTheNodes() {
        var table = NodeCacheTable(depth: 5)
        let empty = table.estimatedBytes
        table.insert([Self.cached([1, 2, 3, 4, 5], version: 1, seed: 1)])
        let one = table.estimatedBytes
        #expect(one > empty)
        #expect(one < empty + 128 * 1_024)
    }
}
