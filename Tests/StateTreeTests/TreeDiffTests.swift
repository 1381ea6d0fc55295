import Sodium
import StateTree
import Testing

/// `StateTree.diff` and `firstDivergentVersion` over `MemoryNodeStore`s, checked against a naive
/// comparison of the two key-value sets.
@Suite("State tree diff")
struct TreeDiffTests {
    /// A store holding `entries` as version `version` (one commit, from empty).
    static func store(_ entries: [[UInt8]: [UInt8]], version: UInt64 = 1) throws -> MemoryNodeStore {
        var store = MemoryNodeStore()
        let updates = sortedUpdates(entries.map { ($0.key, Optional($0.value)) })
        let (_, batch) = try StateTree().apply(version: version, updates: updates, in: store)
        try store.commit(batch)
        return store
    }

    /// The naive answer: every key whose value differs, sorted by key hash.
    static func naive(_ a: [[UInt8]: [UInt8]], _ b: [[UInt8]: [UInt8]]) -> [(key: [UInt8], left: [UInt8]?, right: [UInt8]?)] {
        let keys = Set(a.keys).union(b.keys).filter { a[$0] != b[$0] }
        return keys.sorted { TreeHash.keyHash($0) < TreeHash.keyHash($1) }.map { ($0, a[$0], b[$0]) }
    }

    static func check(_ a: [[UInt8]: [UInt8]], _ b: [[UInt8]: [UInt8]], _ context: String) throws {
        let left = try store(a), right = try store(b, version: 7)
        let diff = try StateTree().diff(left, at: 1, right, at: 7)
        let expected = naive(a, b)
        #expect(!diff.truncated, "\(context)")
        #expect(diff.differences.map(\.key) == expected.map(\.key), "\(context)")
        #expect(diff.differences.map { $0.left?.value } == expected.map(\.left), "\(context)")
        #expect(diff.differences.map { $0.right?.value } == expected.map(\.right), "\(context)")
        #expect(diff.differences.allSatisfy { $0.keyHash == TreeHash.keyHash($0.key) }, "\(context)")
        #expect((diff.leftRoot == diff.rightRoot) == expected.isEmpty, "\(context)")
    }

    @Test func identicalTreesReadNoNode() throws {
        var entries: [[UInt8]: [UInt8]] = [:]
        for i in 0..<500 { entries[b("key-\(i)")] = b("value-\(i)") }
        let diff = try StateTree().diff(try Self.store(entries), at: 1, try Self.store(entries, version: 3), at: 3)
        #expect(diff.differences.isEmpty)
        #expect(diff.nodesRead == 0)
        #expect(diff.leftRoot == diff.rightRoot)
    }

    @Test func smallAndEdgeCases() throws {
        let one: [[UInt8]: [UInt8]] = [b("a"): b("1")]
        try Self.check([:], [:], "both empty")
        try Self.check([:], one, "empty vs one")
        try Self.check(one, [:], "one vs empty")
        try Self.check(one, [b("a"): b("2")], "changed lone leaf")
        try Self.check(one, [b("b"): b("1")], "different lone leaves")
        try Self.check(one, [b("a"): b("1"), b("b"): b("2")], "leaf vs internal")
        try Self.check([b("a"): b("1"), b("b"): b("2"), b("c"): b("3")], one, "internal vs leaf")
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func matchesNaiveComparison(seed: UInt64) throws {
        var rng = TreeTestRNG(seed: 0xD1FF_0000 ^ seed)
        var a: [[UInt8]: [UInt8]] = [:]
        let count = rng.below(400)
        for _ in 0..<count { a[rng.bytes(count: 1 + rng.below(6))] = rng.bytes(count: rng.below(12)) }
        var b = a
        // Changes, deletions and insertions in a random few percent (or many, for some seeds).
        let keys = a.keys.sorted { $0.lexicographicallyPrecedes($1) }
        let percent = seed % 3 == 0 ? 60 : 4
        for key in keys where rng.chance(percent) {
            if rng.chance(50) { b[key] = nil } else { b[key] = rng.bytes(count: rng.below(12)) }
        }
        for _ in 0..<rng.below(10) { b[rng.bytes(count: 1 + rng.below(6))] = rng.bytes(count: 3) }
        try Self.check(a, b, "seed \(seed)")
        try Self.check(b, a, "seed \(seed) reversed")
    }

    @Test func costFollowsTheDifferencesNotTheState() throws {
        var entries: [[UInt8]: [UInt8]] = [:]
        for i in 0..<4_000 { entries[b("key-\(i)")] = b("value-\(i)") }
        var changed = entries
        changed[b("key-1234")] = b("other")
        let left = try Self.store(entries), right = try Self.store(changed)
        let diff = try StateTree().diff(left, at: 1, right, at: 1)
        #expect(diff.differences.map(\.key) == [b("key-1234")])
        // One path from the root to the leaf on each side: 4,000 keys are about 3–4 levels deep.
        #expect(diff.nodesRead <= 2 * 6, "read \(diff.nodesRead) of \(left.nodeCount + right.nodeCount) nodes")
    }

    @Test func limitTruncates() throws {
        var a: [[UInt8]: [UInt8]] = [:]
        for i in 0..<50 { a[b("k\(i)")] = b("v") }
        let diff = try StateTree().diff(try Self.store(a), at: 1, try Self.store([:]), at: 1, limit: 10)
        #expect(diff.differences.count == 10)
        #expect(diff.truncated)
        let all = try StateTree().diff(try Self.store(a), at: 1, try Self.store([:]), at: 1, limit: 50)
        #expect(all.differences.count == 50 && !all.truncated)
        #expect(Array(all.differences.prefix(10)) == diff.differences)
    }

    @Test func twoVersionsOfOneStore() throws {
        var store = try Self.store([b("a"): b("1"), b("b"): b("2")])
        let (_, batch) = try StateTree().apply(version: 2, updates: [.delete(b("a")), .put(b("c"), b("3"))], in: store)
        try store.commit(batch)
        let diff = try StateTree().diff(store, at: 1, store, at: 2)
        let keys = [b("a"), b("c")].sorted { TreeHash.keyHash($0) < TreeHash.keyHash($1) }
        #expect(diff.differences.map(\.key) == keys)
        #expect(diff.differences.first { $0.key == b("a") }?.right == nil)
        #expect(diff.differences.first { $0.key == b("c") }?.left == nil)
    }

    @Test func missingVersionIsAnError() throws {
        let store = try Self.store([b("a"): b("1")])
        #expect(throws: StateTreeError.versionNotFound(9)) { try StateTree().diff(store, at: 1, store, at: 9) }
    }

    @Test func corruptNodeIsReportedNotSkipped() throws {
        var left = try Self.store([b("a"): b("1"), b("b"): b("2")])
        let right = try Self.store([b("a"): b("1"), b("b"): b("3")])
        // Replace a leaf of the left tree with a leaf of other content: its hash no longer matches.
        let record = try StateTree().rootRecord(at: 1, in: left)
        let rootKey = try #require(record.rootNodeKey)
        guard case .internal(let root) = try Node(decoding: try #require(try left.node(rootKey))) else {
            Issue.record("expected an internal root")
            return
        }
        let child = try #require(root.children.first)
        let key = NodeKey(version: child.version, path: rootKey.path.appending(Int(child.nibble)))
        left.replaceNode(key, with: LeafNode(key: b("zz"), value: b("9")).encoded)
        #expect(throws: StateTreeError.self) { try StateTree().diff(left, at: 1, right, at: 1) }
    }

    @Test func firstDivergentVersionByBinarySearch() throws {
        let tree = StateTree()
        for divergeAt in [1, 2, 9, 17, 20] as [UInt64] {
            var left = MemoryNodeStore(), right = MemoryNodeStore()
            for version in 1...20 as ClosedRange<UInt64> {
                let common: [KeyUpdate] = [.put(b("round"), b("\(version)"))]
                var extra = common
                if version == divergeAt { extra.append(.put(b("zzz-extra"), b("x"))) }
                try left.commit(try tree.apply(version: version, updates: common, in: left).batch)
                try right.commit(try tree.apply(version: version, updates: extra, in: right).batch)
            }
            let found = try tree.firstDivergentVersion(left, right, among: Array(1...20))
            #expect(found == divergeAt)
            #expect(try tree.firstDivergentVersion(left, right, among: Array(1..<divergeAt)) == nil)
        }
        let same = try Self.store([b("a"): b("1")])
        #expect(try tree.firstDivergentVersion(same, same, among: [1]) == nil)
        #expect(try tree.firstDivergentVersion(same, same, among: []) == nil)
    }
}
