import LMDB
import RegistryWorkload
import Sodium
@testable import StateStore
@testable import StateTree
import TestSupport
import Testing

/// ADR 0028 through the store: the node cache and the tree computed on several threads give the
/// roots and stored nodes of the plain one-thread computation; the cache holds only nodes of the latest
/// committed tree, never those of a failed commit; damage outside the cache is reported as before.
@Suite("StateStore · tree computation (cache, threads)")
struct TreeComputeTests {
    static let plain = StateStore.Configuration(durability: .noSync, treeThreads: 1, nodeCacheDepth: -1)
    static let fast = StateStore.Configuration(
        durability: .noSync, treeThreads: 3, parallelTreeThreshold: 2, nodeCacheDepth: 2)

    /// Random sorted writes over a universe of keys, some deletes.
    static func randomWrites(_ rng: inout SplitMix64, universe: UInt64, count: Int, deletePercent: UInt64) -> [StateStore.Write] {
        var pairs: [(key: [UInt8], value: [UInt8]?)] = []
        var seen = Set<[UInt8]>()
        for _ in 0..<count {
            let key = b("key/\(rng.next() % universe)")
            guard seen.insert(key).inserted else { continue }
            pairs.append((key, rng.next() % 100 < deletePercent ? nil : Array(b("value-\(rng.next() % 1_000)"))))
        }
        return sortedWrites(pairs)
    }

    /// Every node stored at `version` (raw bytes), read through a snapshot of the store.
    static func nodes(of store: StateStore, version: UInt64) throws -> [[UInt8]] {
        let snapshot = try store.snapshot()
        let prefix = BigEndian.bytes(version)
        let entries: [Entry] = try snapshot.transaction.scan(store.tables.tree.nodes, prefix: prefix)
        snapshot.close()
        return entries.map { $0.key + [0xFF] + $0.value }
    }

    /// Checks that every cached node is the node stored under its key and belongs to the latest tree.
    static func expectCacheHoldsLatestTree(_ store: StateStore, sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard let table = store.nodeCache.table() else { return }
        let snapshot = try store.snapshot()
        guard let latest = snapshot.version else { return }
        let reachable = try reachableNodes(at: latest, in: snapshot)
        for entry in table.entries() {
            #expect(reachable.contains(entry.key), "cached \(entry.key) not in the tree of \(latest)", sourceLocation: sourceLocation)
            let stored = try snapshot.node(entry.key)
            #expect(stored == entry.node.encoded, sourceLocation: sourceLocation)
            #expect(entry.node.hash == entry.hash, sourceLocation: sourceLocation)
        }
        snapshot.close()
    }

    @Test("cache and threads on, or off: the same roots and stored nodes over commits with deletes and prunes",
          arguments: [UInt64(1), 2])
    func sameAsPlain(seed: UInt64) throws {
        let plainFixture = StoreFixture(), fastFixture = StoreFixture()
        let plain = try plainFixture.open(Self.plain)
        let fast = try fastFixture.open(Self.fast)
        var rng = SplitMix64(seed: seed)
        for version: UInt64 in 1...30 {
            let count = version % 9 == 0 ? 1 : Int(rng.next() % 300) + 1
            let batch = Self.randomWrites(&rng, universe: 1_200, count: count, deletePercent: version % 5 == 0 ? 70 : 15)
            let expected = try plain.commit(version: version, writes: batch)
            #expect(try fast.commit(version: version, writes: batch) == expected, "seed \(seed) version \(version)")
            #expect(try Self.nodes(of: fast, version: version) == (try Self.nodes(of: plain, version: version)))
            if version % 5 == 0 { try Self.expectCacheHoldsLatestTree(fast) }
            if version % 6 == 0 {
                _ = try plain.prune(retainLatest: 2, maxEntries: 10_000)
                _ = try fast.prune(retainLatest: 2, maxEntries: 10_000)
            }
        }
        #expect(fast.nodeCacheStatistics.nodes > 1)
        #expect(plain.nodeCacheStatistics.nodes == 0)
    }

    @Test("more parts than threads (ADR 0030): the same roots and stored nodes as one thread, write-behind too")
    func manyParts() throws {
        #expect(TreeThreads.partCount(threads: 2, updates: 1_000) == 4)
        #expect(TreeThreads.partCount(threads: 2, updates: 10_000) == 16)
        #expect(TreeThreads.partCount(threads: 2, updates: 300) == 2)
        #expect(TreeThreads.partCount(threads: 1, updates: 10_000) == 8)
        let plainFixture = StoreFixture(), fastFixture = StoreFixture()
        let plain = try plainFixture.open(Self.plain)
        let fast = try fastFixture.open(StateStore.Configuration(
            durability: .noSync, treeThreads: 2, parallelTreeThreshold: 2, nodeCacheDepth: 3))
        var rng = SplitMix64(seed: 0x0030)
        for version: UInt64 in 1...8 {
            let count = [1_200, 2_500, 4_000][Int(version % 3)]
            let batch = Self.randomWrites(&rng, universe: 12_000, count: count, deletePercent: version % 4 == 0 ? 60 : 10)
            let expected = try plain.commit(version: version, writes: batch)
            let root = version % 2 == 0
                ? try fast.commitWriteBehind(version: version, writes: batch)
                : try fast.commit(version: version, writes: batch)
            #expect(root == expected, "version \(version)")
            try fast.awaitCommitted()
            #expect(try Self.nodes(of: fast, version: version) == (try Self.nodes(of: plain, version: version)))
        }
        try Self.expectCacheHoldsLatestTree(fast)
    }

    @Test("the part queue hands out every part once, largest first")
    func partQueue() {
        let parts = [ApplyPart(nibbles: 0..<4, lo: 0, hi: 10), ApplyPart(nibbles: 4..<9, lo: 10, hi: 40),
                     ApplyPart(nibbles: 9..<12, lo: 40, hi: 50), ApplyPart(nibbles: 12..<16, lo: 50, hi: 51)]
        let queue = TreeThreads.PartQueue(parts)
        var taken: [Int] = []
        while let index = queue.take() { taken.append(index) }
        #expect(taken == [1, 0, 2, 3])
        #expect(queue.take() == nil)
    }

    @Test("with parallelCommit the tree (threads and cache) still matches the plain commit")
    func parallelCommitFolded() throws {
        let plainFixture = StoreFixture(), fastFixture = StoreFixture()
        let plain = try plainFixture.open(Self.plain)
        var configuration = Self.fast
        configuration.parallelCommit = true
        let fast = try fastFixture.open(configuration)
        var rng = SplitMix64(seed: 9)
        for version: UInt64 in 1...10 {
            let batch = Self.randomWrites(&rng, universe: 800, count: 300, deletePercent: 20)
            let (root, profile) = try fast.commitProfiled(version: version, writes: batch)
            #expect(root == (try plain.commit(version: version, writes: batch)))
            #expect(profile.treeOverlapped)
        }
    }

    @Test("a failed commit (MDB_MAP_FULL) leaves none of its nodes in the cache; the next commit of that version is correct")
    func failedCommitLeavesCacheClean() throws {
        let fixture = StoreFixture(), plainFixture = StoreFixture()
        var configuration = Self.fast
        configuration.mapSize = 1 << 20
        let store = try fixture.open(configuration)
        let plain = try plainFixture.open(Self.plain)
        let first = sortedWrites((0..<300).map { (b("small/\($0)"), b("v\($0)")) })
        #expect(try store.commit(version: 1, writes: first) == (try plain.commit(version: 1, writes: first)))
        let before = try #require(store.nodeCache.table()).entries()

        let big = sortedWrites((0..<6_000).map { (b("big/\($0)"), [UInt8](repeating: UInt8($0 % 251), count: 200)) })
        #expect(throws: StateStoreError.self) { try store.commit(version: 2, writes: big) }
        let after = try #require(store.nodeCache.table()).entries()
        #expect(after == before)
        #expect(!after.contains { $0.key.version == 2 })

        // A different version 2, then more versions: the roots of the plain store.
        let other = sortedWrites((0..<40).map { (b("small/\($0 * 7)"), b("w\($0)")) })
        #expect(try store.commit(version: 2, writes: other) == (try plain.commit(version: 2, writes: other)))
        try Self.expectCacheHoldsLatestTree(store)
        let next = sortedWrites((0..<60).map { (b("small/\($0 * 3)"), $0 % 4 == 0 ? nil : b("x\($0)")) })
        #expect(try store.commit(version: 3, writes: next) == (try plain.commit(version: 3, writes: next)))
        try Self.expectCacheHoldsLatestTree(store)
    }

    @Test("a computed but never committed batch does not enter the cache; a different computation of the version replaces it")
    func stagedOnlyOnCommit() throws {
        let fixture = StoreFixture()
        let store = try fixture.open(Self.fast)
        try store.commit(version: 1, writes: sortedWrites((0..<200).map { (b("s/\($0)"), b("v")) }))
        let abandoned = try store.computeTreeBatch(version: 2, writes: writes([("s/1", "a"), ("s/2", "a")])).batch
        #expect(!(try #require(store.nodeCache.table()).entries().contains { $0.key.version == 2 }))
        let real = try store.computeTreeBatch(version: 2, writes: writes([("s/3", "b")])).batch
        #expect(abandoned.root != real.root)
        // The abandoned batch "commits" (a caller bug): its staged nodes are not those of this batch.
        store.treeBatchCommitted(abandoned)
        #expect(!(try #require(store.nodeCache.table()).entries().contains { $0.key.version == 2 }))
    }

    @Test("a corrupt node that is not cached is reported as before: the error names the version and key")
    func corruptUncachedNode() throws {
        let fixture = StoreFixture()
        do {
            let store = try fixture.open(StateStore.Configuration(durability: .noSync, treeThreads: 2, parallelTreeThreshold: 2, nodeCacheDepth: 1))
            try store.commit(version: 1, writes: sortedWrites((0..<3_000).map { (b("c\($0)"), b("v1")) }))
        }
        // An internal node at depth 2 (below the cache's depth).
        var victim: NodeKey? = nil
        for key in try RawStore.nodeKeys(at: fixture.path, version: 1) where key.path.count == 2 {
            let bytes = try #require(try RawStore.node(at: fixture.path, key))
            if case .internal = try Node(decoding: bytes) {
                victim = key
                break
            }
        }
        let key = try #require(victim)
        try RawStore.replaceNode(at: fixture.path, key, with: [0x01, 0x00, 0x00])
        let store = try fixture.open(StateStore.Configuration(durability: .noSync, treeThreads: 2, parallelTreeThreshold: 2, nodeCacheDepth: 1))
        let all = sortedWrites((0..<3_000).map { (b("c\($0)"), b("v2")) })
        do {
            try store.commit(version: 2, writes: all)
            Issue.record("the commit read through a corrupt node")
        } catch .tree(let operation, .corruptNode(let badKey, let version, _)) {
            #expect(operation == "commit" && badKey == key && version == 1)
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(try store.latestVersion() == 1)
    }
}
