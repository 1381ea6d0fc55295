import Sodium
import StateTree
import Testing

/// The behaviour of the tree over any `NodeStore`, written once and run against every store
/// implementation: `@Test(arguments: StateTreeBehaviourSuite.allCases) func x(_ s: ...) throws {
/// try s.run { MyHarness() } }`.
enum StateTreeBehaviourSuite: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case emptyStore
    case emptyBatchKeepsRoot
    case identicalPutAndAbsentDeleteAreNoOps
    case rejectsBadBatches
    case rejectsNonIncreasingVersion
    case loneLeafCollapsesToRoot
    case readsEveryRetainedVersion
    case batchIsSortedAndAppendOrdered
    case pruneKeepsRetainedVersions
    case pruneInChunks
    case pruneAcrossVersionGap
    case randomHistory

    var testDescription: String { rawValue }

    /// Runs the scenario against a fresh harness from `makeHarness`.
    func run<H: NodeStoreHarness>(_ makeHarness: () throws -> H) throws {
        var harness = try makeHarness()
        let tree = StateTree()
        switch self {
        case .emptyStore: try Self.emptyStore(tree, &harness)
        case .emptyBatchKeepsRoot: try Self.emptyBatchKeepsRoot(tree, &harness)
        case .identicalPutAndAbsentDeleteAreNoOps: try Self.noOps(tree, &harness)
        case .rejectsBadBatches: try Self.rejectsBadBatches(tree, &harness)
        case .rejectsNonIncreasingVersion: try Self.rejectsNonIncreasingVersion(tree, &harness)
        case .loneLeafCollapsesToRoot: try Self.loneLeafCollapses(tree, &harness)
        case .readsEveryRetainedVersion: try Self.readsEveryRetainedVersion(tree, &harness)
        case .batchIsSortedAndAppendOrdered: try Self.batchIsSortedAndAppendOrdered(tree, &harness)
        case .pruneKeepsRetainedVersions: try Self.pruneKeepsRetained(tree, &harness)
        case .pruneInChunks: try Self.pruneInChunks(tree, &harness)
        case .pruneAcrossVersionGap: try Self.pruneAcrossVersionGap(tree, &harness)
        case .randomHistory:
            var history = RandomHistory(seed: 0x5EED_0001)
            try history.run(steps: 40, harness: &harness)
        }
    }

    /// ST-8, ST-21: an empty store has no version; any first version is accepted; an empty first
    /// batch records the empty root.
    static func emptyStore<H: NodeStoreHarness>(_ tree: StateTree, _ h: inout H) throws {
        #expect(try tree.latestVersion(in: h.store) == nil)
        #expect(throws: StateTreeError.versionNotFound(0)) { try tree.rootHash(at: 0, in: h.store) }
        let batch = try h.commit(tree, version: 0, [])
        #expect(batch.nodes.isEmpty && batch.staleEntries.isEmpty)
        #expect(batch.root == .empty(version: 0))
        #expect(try tree.rootHash(at: 0, in: h.store) == TreeHash.emptyRoot)
        #expect(try tree.latestVersion(in: h.store) == 0)
        let (value, proof) = try tree.get(b("absent"), at: 0, in: h.store)
        #expect(value == nil && proof == StateProof(levels: [], terminal: .empty))
        try StateTree.verify(proof: proof, root: TreeHash.emptyRoot, key: b("absent"), value: nil)
    }

    /// ST-23: an empty batch records a root equal to the previous one, pointing at the same node.
    static func emptyBatchKeepsRoot<H: NodeStoreHarness>(_ tree: StateTree, _ h: inout H) throws {
        let first = try h.commit(tree, version: 1, sortedUpdates([(b("a"), b("1")), (b("b"), b("2"))]))
        let second = try h.commit(tree, version: 2, [])
        #expect(second.nodes.isEmpty && second.staleEntries.isEmpty)
        #expect(second.root.rootHash == first.root.rootHash)
        #expect(second.root.rootNodeVersion == 1)
        #expect(try tree.value(b("a"), at: 2, in: h.store) == b("1"))
    }

    /// ST-22: putting the stored value and deleting an absent key change nothing.
    static func noOps<H: NodeStoreHarness>(_ tree: StateTree, _ h: inout H) throws {
        let keys = (0..<40).map { b("key-\($0)") }
        let first = try h.commit(tree, version: 1, sortedUpdates(keys.map { ($0, $0 + b("=v")) }))
        let again = try h.commit(tree, version: 2, sortedUpdates(
            keys.prefix(10).map { ($0, $0 + b("=v")) } + [(b("nope"), nil), (b("other"), nil)]))
        #expect(again.nodes.isEmpty && again.staleEntries.isEmpty)
        #expect(again.root.rootHash == first.root.rootHash)
        #expect(again.root.rootNodeVersion == 1)
    }

    /// ST-20: unsorted keys, duplicate keys are refused with the offending index; nothing is returned.
    static func rejectsBadBatches<H: NodeStoreHarness>(_ tree: StateTree, _ h: inout H) throws {
        #expect(throws: StateTreeError.updatesNotStrictlyAscending(index: 1)) {
            try tree.apply(version: 1, updates: [.put(b("b"), []), .put(b("a"), [])], in: h.store)
        }
        #expect(throws: StateTreeError.updatesNotStrictlyAscending(index: 2)) {
            try tree.apply(version: 1, updates: [.put(b("a"), []), .put(b("b"), []), .delete(b("b"))], in: h.store)
        }
        // A prefix sorts before its extensions; the empty key first of all.
        _ = try tree.apply(version: 1, updates: [.put([], [1]), .put(b("a"), []), .put(b("ab"), [])], in: h.store)
        #expect(try tree.latestVersion(in: h.store) == nil)
    }

    /// ST-21: versions strictly increase; gaps are allowed.
    static func rejectsNonIncreasingVersion<H: NodeStoreHarness>(_ tree: StateTree, _ h: inout H) throws {
        try h.commit(tree, version: 5, [.put(b("a"), b("1"))])
        #expect(throws: StateTreeError.versionNotIncreasing(version: 5, latest: 5)) {
            try tree.apply(version: 5, updates: [], in: h.store)
        }
        #expect(throws: StateTreeError.versionNotIncreasing(version: 4, latest: 5)) {
            try tree.apply(version: 4, updates: [], in: h.store)
        }
        try h.commit(tree, version: 9, [.put(b("b"), b("2"))])
        #expect(try tree.latestVersion(in: h.store) == 9)
        #expect(throws: StateTreeError.versionNotFound(7)) { try tree.rootHash(at: 7, in: h.store) }
    }

    /// ST-3: a leaf alone below an internal node is lifted; one key's tree is its leaf at the root.
    static func loneLeafCollapses<H: NodeStoreHarness>(_ tree: StateTree, _ h: inout H) throws {
        // Many keys, then delete all but one: the survivor must end up at the root.
        let keys = (0..<30).map { b("k\($0)") }
        try h.commit(tree, version: 1, sortedUpdates(keys.map { ($0, b("v")) }))
        let batch = try h.commit(tree, version: 2, sortedUpdates(keys.dropFirst().map { ($0, nil) }))
        let survivor = LeafNode(key: keys[0], value: b("v"))
        #expect(batch.root.rootHash == survivor.hash)
        #expect(batch.nodes == [NodeWrite(key: .root(2), encoded: survivor.encoded)])
        #expect(try h.reachableNodes(at: 2) == [.root(2)])
        let (value, proof) = try tree.get(keys[0], at: 2, in: h.store)
        #expect(value == b("v") && proof.levels.isEmpty)
        // Deleting the last key gives the empty root.
        let empty = try h.commit(tree, version: 3, [.delete(keys[0])])
        #expect(empty.root == .empty(version: 3))
        #expect(empty.staleEntries == [StaleNodeIndex(staleSince: 3, nodeKey: .root(2))])
    }

    /// ST-30, ST-32: every committed version answers with its own values and proofs.
    static func readsEveryRetainedVersion<H: NodeStoreHarness>(_ tree: StateTree, _ h: inout H) throws {
        var model = ReferenceMap()
        var roots: [(UInt64, ReferenceMap, Digest256)] = []
        for version in UInt64(1)...6 {
            let batch = (0..<12).map { i -> (key: [UInt8], value: [UInt8]?) in
                let key = b("item/\((Int(version) * 7 + i * 5) % 20)")
                return (key, (i + Int(version)) % 4 == 0 ? nil : b("v\(version)-\(i)"))
            }
            var unique: [(key: [UInt8], value: [UInt8]?)] = []
            for entry in batch where !unique.contains(where: { $0.key == entry.key }) { unique.append(entry) }
            let sorted = unique.sorted { $0.key.lexicographicallyPrecedes($1.key) }
            let applied = try h.commit(tree, version: version, sorted.map { KeyUpdate(key: $0.key, value: $0.value) })
            model.apply(sorted)
            #expect(applied.root.rootHash.bytes == model.root)
            roots.append((version, model, applied.root.rootHash))
        }
        for (version, map, root) in roots {
            for i in 0..<22 {
                let key = b("item/\(i)")
                let (value, proof) = try tree.get(key, at: version, in: h.store)
                #expect(value == map.value(key))
                try StateTree.verify(proof: proof, root: root, key: key, value: value)
            }
        }
    }

    /// ST-12: the batch is strictly ascending, carries only the new version, and sorts after every
    /// stored key (append order, ADR 0002); stale entries are ascending and carry the new version.
    static func batchIsSortedAndAppendOrdered<H: NodeStoreHarness>(_ tree: StateTree, _ h: inout H) throws {
        var rng = TreeTestRNG(seed: 42)
        var lastKey: [UInt8] = []
        for version in UInt64(1)...8 {
            var pairs: [(key: [UInt8], value: [UInt8]?)] = []
            for _ in 0..<50 {
                let key = b("k\(rng.below(120))")
                let value: [UInt8]? = rng.chance(25) ? nil : rng.bytes(count: 4)
                if !pairs.contains(where: { $0.key == key }) { pairs.append((key, value)) }
            }
            let updates = sortedUpdates(pairs)
            let batch = try h.commit(tree, version: version, updates)
            let encoded = batch.nodes.map(\.key.encoded)
            for (a, c) in zip(encoded, encoded.dropFirst()) { #expect(a.lexicographicallyPrecedes(c)) }
            #expect(batch.nodes.allSatisfy { $0.key.version == version })
            if let first = encoded.first { #expect(lastKey.lexicographicallyPrecedes(first)) }
            lastKey = encoded.last ?? lastKey
            let stale = batch.staleEntries.map(\.encoded)
            for (a, c) in zip(stale, stale.dropFirst()) { #expect(a.lexicographicallyPrecedes(c)) }
            #expect(batch.staleEntries.allSatisfy { $0.staleSince == version && $0.nodeKey.version < version })
            // Every node a version makes stale was reachable in the previous version.
            if version > 1 {
                let previous = Set(try h.reachableNodes(at: version - 1))
                #expect(batch.staleEntries.allSatisfy { previous.contains($0.nodeKey) })
                let now = Set(try h.reachableNodes(at: version))
                #expect(batch.staleEntries.allSatisfy { !now.contains($0.nodeKey) })
            }
        }
    }

    /// ST-14: pruning below a version keeps every retained root, value and proof, and forgets the rest.
    static func pruneKeepsRetained<H: NodeStoreHarness>(_ tree: StateTree, _ h: inout H) throws {
        var model = ReferenceMap()
        var history: [(UInt64, ReferenceMap, Digest256)] = []
        for version in UInt64(1)...10 {
            let updates = (0..<6).map { i -> (key: [UInt8], value: [UInt8]?) in
                (b("p\((Int(version) * 3 + i) % 15)"), i == 5 ? nil : b("\(version).\(i)"))
            }.sorted { $0.key.lexicographicallyPrecedes($1.key) }
            let batch = try h.commit(tree, version: version, updates.map { KeyUpdate(key: $0.key, value: $0.value) })
            model.apply(updates)
            history.append((version, model, batch.rootHash))
        }
        #expect(throws: StateTreeError.invalidPruneTarget(firstRetained: 11, latest: 10)) {
            try tree.pruneBatch(firstRetained: 11, in: h.store)
        }
        let first = StateTree.firstRetained(latest: 10, window: 3)
        #expect(first == 8)
        let prune = try tree.pruneBatch(firstRetained: first, in: h.store)
        #expect(prune.isComplete && prune.rootVersions == Array(1...7) && !prune.nodeKeys.isEmpty)
        #expect(prune.staleEntries.allSatisfy { $0.staleSince <= first })
        try h.prune(prune)
        for (version, map, root) in history {
            if version < first {
                #expect(throws: StateTreeError.versionNotFound(version)) { try tree.get(b("p1"), at: version, in: h.store) }
                continue
            }
            #expect(try tree.rootHash(at: version, in: h.store) == root)
            for i in 0..<16 {
                let key = b("p\(i)")
                let (value, proof) = try tree.get(key, at: version, in: h.store)
                #expect(value == map.value(key))
                try StateTree.verify(proof: proof, root: root, key: key, value: value)
            }
        }
        // Nothing unreachable is left; pruning again is a no-op.
        if let stored = try h.storedNodeKeys() {
            let reachable = Set(try (first...10).flatMap { try h.reachableNodes(at: $0) })
            expectSameNodes(stored: stored, reachable: reachable, "after pruning below \(first)")
        }
        #expect(try tree.pruneBatch(firstRetained: first, in: h.store).isEmpty)
        // Keeping only the latest version leaves exactly its nodes.
        try h.prune(try tree.pruneBatch(firstRetained: 10, in: h.store))
        if let stored = try h.storedNodeKeys() {
            expectSameNodes(stored: stored, reachable: Set(try h.reachableNodes(at: 10)), "after pruning below 10")
        }
    }

    /// ST-14: a limited prune proceeds in chunks, each leaving a consistent store.
    static func pruneInChunks<H: NodeStoreHarness>(_ tree: StateTree, _ h: inout H) throws {
        var roots: [Digest256] = []
        for version in UInt64(0)...11 {
            let updates = sortedUpdates((0..<8).map { (b("c\((Int(version) + $0 * 3) % 25)"), b("\(version)")) })
            roots.append(try h.commit(tree, version: version, updates).rootHash)
        }
        var rounds = 0
        while true {
            let prune = try tree.pruneBatch(firstRetained: 9, limit: 7, in: h.store)
            #expect(prune.staleEntries.count <= 7)
            #expect(prune.firstRetained <= 9)
            try h.prune(prune)
            rounds += 1
            // Every version at or above the batch's firstRetained still proves its keys.
            for version in prune.firstRetained...11 {
                let (value, proof) = try tree.get(b("c3"), at: version, in: h.store)
                try StateTree.verify(proof: proof, root: roots[Int(version)], key: b("c3"), value: value)
            }
            if prune.isComplete { break }
            #expect(rounds < 100)
            if rounds >= 100 { break }
        }
        #expect(rounds > 1)
        #expect(throws: StateTreeError.versionNotFound(8)) { try tree.rootHash(at: 8, in: h.store) }
    }

    /// ST-14 with gaps: retaining from a version that was never committed cuts at the next committed
    /// version, so nothing that only pruned versions used is left behind.
    static func pruneAcrossVersionGap<H: NodeStoreHarness>(_ tree: StateTree, _ h: inout H) throws {
        try h.commit(tree, version: 1, sortedUpdates((0..<30).map { (b("g\($0)"), b("1")) }))
        try h.commit(tree, version: 2, sortedUpdates((0..<10).map { (b("g\($0)"), b("2")) }))
        let last = try h.commit(tree, version: 10, sortedUpdates((5..<20).map { (b("g\($0)"), b("10")) }))
        let prune = try tree.pruneBatch(firstRetained: 5, in: h.store)
        #expect(prune.firstRetained == 10 && prune.rootVersions == [1, 2] && prune.isComplete)
        #expect(prune.staleEntries.contains { $0.staleSince == 10 })
        try h.prune(prune)
        #expect(throws: StateTreeError.versionNotFound(2)) { try tree.rootHash(at: 2, in: h.store) }
        #expect(try tree.rootHash(at: 10, in: h.store) == last.rootHash)
        if let stored = try h.storedNodeKeys() {
            expectSameNodes(stored: stored, reachable: Set(try h.reachableNodes(at: 10)), "after pruning across a gap")
        }
        for i in 0..<30 {
            let (value, proof) = try tree.get(b("g\(i)"), at: 10, in: h.store)
            #expect(value == b(i < 5 ? "2" : i < 20 ? "10" : "1"))
            try StateTree.verify(proof: proof, root: last.rootHash, key: b("g\(i)"), value: value)
        }
    }
}
