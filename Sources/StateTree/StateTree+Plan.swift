import Sodium

/// What computing one version produces (`StateTree.compute`, `StateTree.merge`).
public struct TreeComputation: Sendable {
    /// The root hash after the version.
    public let rootHash: Digest256
    /// The version computed.
    public let version: UInt64
    /// The version's root record.
    public let root: RootRecord
    /// The new nodes and the stale entries as the computation made them: one list per part and one for
    /// the rest, not in key order (ADR 0030: gathering and sorting them is left to whoever writes the
    /// batch, off the path to the root).
    let nodeLists: [[NodeWrite]]
    let staleLists: [[StaleNodeIndex]]

    /// The number of nodes the batch writes.
    public var nodeCount: Int { nodeLists.reduce(0) { $0 + $1.count } }
    /// The number of stale entries the batch records.
    public var staleCount: Int { staleLists.reduce(0) { $0 + $1.count } }

    /// The batch the store must commit (identical to `apply`'s), in key order. Gathered and sorted on
    /// each call: take it once, on the thread that writes it.
    public var batch: TreeUpdateBatch {
        TreeUpdateBatch(
            version: version, nodes: StateTree.sortedByKey(nodeLists.count == 1 ? nodeLists[0] : nodeLists.flatMap { $0 }),
            staleEntries: StateTree.sortedByKey(staleLists.count == 1 ? staleLists[0] : staleLists.flatMap { $0 }),
            root: root)
    }
    /// Internal nodes at paths of at most the requested cache depth that were read from the store
    /// (nodes of the base tree).
    public let readFill: [CachedNode]
    /// Internal nodes the batch created at those depths: key and hash only (ADR 0029). The nodes are
    /// decoded from `batch.nodes` by whoever fills a cache (`TreeComputation.decode(_:from:)`), on its
    /// own thread.
    public let createdFill: [CreatedFill]

    /// Every cacheable node, read or created, decoded (on the calling thread). A cache may keep them only
    /// once the batch is committed; the committed batch's stale entries name those of them it replaced.
    public var cacheFill: [CachedNode] { readFill + TreeComputation.decode(createdFill, from: batch) }

    /// The created nodes of `createdFill` decoded from the encodings in `batch` (which holds them: its
    /// nodes are sorted by key). A node not found or not decodable as an internal node is left out (a
    /// cache then reads it from the store).
    public static func decode(_ createdFill: [CreatedFill], from batch: TreeUpdateBatch) -> [CachedNode] {
        let nodes = batch.nodes
        var decoded: [CachedNode] = []
        decoded.reserveCapacity(createdFill.count)
        for created in createdFill {
            var lo = 0, hi = nodes.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if nodes[mid].key < created.key { lo = mid + 1 } else { hi = mid }
            }
            guard lo < nodes.count, nodes[lo].key == created.key,
                  case .internal(let inner)? = try? Node(decoding: Array(nodes[lo].encoded), checkingHashes: false)
            else { continue }
            decoded.append(CachedNode(key: created.key, node: inner, hash: created.hash))
        }
        return decoded
    }
}

/// The key and value hashes of a batch of updates (rules ST-1, ST-2), in input order, computed ahead of
/// `StateTree.plan` — e.g. ranges of a large batch on several threads, joined in range order.
public struct UpdateHashes: Sendable {
    /// BLAKE2b-256 of each key.
    public private(set) var keyHashes: [Digest256]
    /// BLAKE2b-256 of each value (zero for a delete).
    public private(set) var valueHashes: [Digest256]

    /// The hashes of `updates[range]`.
    public static func of(_ updates: [KeyUpdate], range: Range<Int>) -> UpdateHashes {
        UpdateHashes(keyHashes: keyHashes(of: updates, range: range), valueHashes: valueHashes(of: updates, range: range))
    }

    /// The key hashes of `updates[range]` (all of them by default), in input order.
    public static func keyHashes(of updates: [KeyUpdate], range: Range<Int>? = nil) -> [Digest256] {
        let range = range ?? updates.indices
        var keys: [Digest256] = []
        keys.reserveCapacity(range.count)
        for index in range { keys.append(TreeHash.keyHash(updates[index].key)) }
        return keys
    }

    /// The value hashes of `updates[range]` (all of them by default; zero for a delete), in input order.
    public static func valueHashes(of updates: [KeyUpdate], range: Range<Int>? = nil) -> [Digest256] {
        let range = range ?? updates.indices
        var values: [Digest256] = []
        values.reserveCapacity(range.count)
        for index in range { values.append(updates[index].value.map(TreeHash.valueHash) ?? .zero) }
        return values
    }

    /// The hashes of consecutive ranges, joined in order.
    public init(joining parts: [UpdateHashes]) {
        keyHashes = parts.flatMap(\.keyHashes)
        valueHashes = parts.flatMap(\.valueHashes)
    }

    init(keyHashes: [Digest256], valueHashes: [Digest256]) {
        self.keyHashes = keyHashes
        self.valueHashes = valueHashes
    }
}

/// The first step of computing a version: the updates checked, hashed and sorted, and the latest root
/// read. From a plan the version is computed in one pass (`StateTree.compute(_:in:)`) or, when the root
/// is an internal node, split by the root's child nibbles into parts computed independently (each
/// through its own store view, e.g. on its own thread: `computePart`) and merged (`merge`) into the
/// same batch byte for byte (ADR 0028).
public struct ApplyPlan: Sendable {
    let version: UInt64
    let baseVersion: UInt64
    let prepared: [PreparedUpdate]
    let keyHashes: [Digest256]
    /// The value hash of `prepared[i]` (zero for a delete); empty until given (`provideValueHashes`).
    private(set) var valueHashes: [Digest256] = []
    let verification: StateTree.NodeVerification
    let cache: NodeCacheTable?
    let cacheDepth: Int
    /// The latest root node's reference (nil for an empty tree).
    let rootRef: NodeRef?
    /// The latest root node when it is an internal node.
    let rootNode: InternalNode?
    /// The root node, when it was read from the store and is shallow enough for the cache.
    let rootFill: [CachedNode]

    /// The number of updates.
    public var updateCount: Int { prepared.count }

    /// True when the plan has its updates' value hashes (a plan made with `plan(…keyHashes:…)` gets them
    /// from `provideValueHashes`).
    public var hasValueHashes: Bool { valueHashes.count == prepared.count }

    /// Gives the plan its updates' value hashes, in the caller's input order (zero for a delete), as
    /// `UpdateHashes.valueHashes(of:)` computes them — e.g. on another thread while the plan was made.
    /// Ignored when the count does not match the updates'.
    public mutating func provideValueHashes(_ inputOrder: [Digest256]) {
        guard inputOrder.count == prepared.count else { return }
        var sorted: [Digest256] = []
        sorted.reserveCapacity(prepared.count)
        for update in prepared { sorted.append(update.value == nil ? .zero : inputOrder[update.input]) }
        valueHashes = sorted
    }

    /// The value hashes computed here from the updates, when none were given (a fallback: callers give
    /// them or use `StateTree.plan(…hashes:…)`).
    var valueHashesOrComputed: [Digest256] {
        hasValueHashes ? valueHashes : prepared.map { $0.value.map(TreeHash.valueHash) ?? .zero }
    }

    /// True when the computation can be split (`parts(_:)`): the latest root is an internal node.
    public var canSplit: Bool { rootNode != nil }

    /// Up to `count` parts over consecutive ranges of the root's 16 child nibbles, balanced by update
    /// count, in nibble order; empty when the plan cannot be split. Every nibble belongs to one part.
    public func parts(_ count: Int) -> [ApplyPart] {
        guard canSplit, count >= 1 else { return [] }
        // starts[n]: the first update whose key hash begins with a nibble >= n (updates are sorted).
        var starts = [Int](repeating: prepared.count, count: 17)
        var index = 0
        for nibble in 0..<16 {
            while index < keyHashes.count && keyHashes[index].nibble(at: 0) < nibble { index += 1 }
            starts[nibble] = index
        }
        let total = prepared.count
        let wanted = min(count, 16)
        var parts: [ApplyPart] = []
        var first = 0
        for part in 0..<wanted {
            let remainingParts = wanted - part
            if remainingParts == 1 {
                parts.append(ApplyPart(nibbles: first..<16, lo: starts[first], hi: total))
                break
            }
            // Cut after the nibble where this part's share of the updates is reached, leaving at least
            // one nibble to each later part.
            let target = starts[first] + (total - starts[first]) / remainingParts
            var end = first + 1
            while end < 16 - (remainingParts - 1) && starts[end] < target { end += 1 }
            parts.append(ApplyPart(nibbles: first..<end, lo: starts[first], hi: starts[end]))
            first = end
        }
        return parts
    }
}

/// One part of a split computation: the root's children under `nibbles` and the updates below them.
public struct ApplyPart: Sendable, Equatable {
    /// The root child nibbles this part computes.
    public let nibbles: Range<Int>
    let lo: Int
    let hi: Int

    /// The number of updates in the part.
    public var updateCount: Int { hi - lo }
}

/// The outcome of one part (`StateTree.computePart`), for `StateTree.merge`.
public struct PartialComputation: Sendable {
    let part: ApplyPart
    let results: [(nibble: Int, subtree: Subtree)]
    let changed: Bool
    let loadedLeaves: [LeafNode]
    let nodes: [NodeWrite]
    let stale: [StaleNodeIndex]
    let cacheFill: [CachedNode]
    var createdFill: [CreatedFill] = []
}

extension StateTree {
    /// Checks and hashes `updates`, reads the latest root record and root node (through `cache` when it
    /// holds it): the first step of `compute`. `hashes`: the updates' hashes computed ahead, if any.
    public func plan<S: NodeStore & ~Copyable>(
        version: UInt64, updates: [KeyUpdate], hashes: UpdateHashes? = nil, cache: NodeCacheTable? = nil,
        cacheDepth: Int = -1, in store: borrowing S
    ) throws(StateTreeError) -> ApplyPlan {
        var plan = try self.plan(
            version: version, updates: updates, keyHashes: hashes?.keyHashes, cache: cache, cacheDepth: cacheDepth,
            in: store)
        let given = hashes.flatMap { $0.valueHashes.count == updates.count ? $0.valueHashes : nil }
        plan.provideValueHashes(given ?? UpdateHashes.valueHashes(of: updates))
        return plan
    }

    /// `plan` without the value hashes, which the caller gives the plan before computing it
    /// (`ApplyPlan.provideValueHashes`), e.g. from another thread that hashed the values meanwhile.
    /// `keyHashes`: the updates' key hashes in input order, computed ahead, if any.
    public func plan<S: NodeStore & ~Copyable>(
        version: UInt64, updates: [KeyUpdate], keyHashes: [Digest256]?, cache: NodeCacheTable? = nil,
        cacheDepth: Int = -1, in store: borrowing S
    ) throws(StateTreeError) -> ApplyPlan {
        let latest = try latestVersion(in: store)
        if let latest, version <= latest { throw .versionNotIncreasing(version: version, latest: latest) }
        let prepared = try StateTree.prepare(updates, keyHashes: keyHashes)
        let previous: RootRecord? = try latest.map { (v: UInt64) throws(StateTreeError) in try rootRecord(at: v, in: store) }
        var rootRef: NodeRef? = nil
        if let previous, let key = previous.rootNodeKey {
            rootRef = NodeRef(key: key, hash: previous.rootHash, isLeaf: nil)
        }
        let keyHashes = prepared.map(\.keyHash)
        let depth = cacheDepth
        var rootNode: InternalNode? = nil
        var rootFill: [CachedNode] = []
        if let rootRef {
            var loader = TreeUpdater(
                version: version, baseVersion: latest ?? version, updates: [], keyHashes: [], valueHashes: [],
                verification: applyVerification, cache: cache, cacheDepth: depth, expectedUpdates: 0)
            if case .internal(let inner) = try loader.load(rootRef, path: NibblePath(), store: store) {
                rootNode = inner
                rootFill = loader.cacheFill
            }
        }
        return ApplyPlan(
            version: version, baseVersion: latest ?? version, prepared: prepared, keyHashes: keyHashes,
            verification: applyVerification, cache: cache, cacheDepth: depth, rootRef: rootRef, rootNode: rootNode,
            rootFill: rootFill)
    }

    /// Computes the version of `plan` in one pass.
    public func compute<S: NodeStore & ~Copyable>(
        _ plan: ApplyPlan, in store: borrowing S
    ) throws(StateTreeError) -> TreeComputation {
        var updater = Self.updater(for: plan, expectedUpdates: plan.prepared.count)
        let result: Subtree
        if let rootRef = plan.rootRef, let rootNode = plan.rootNode {
            let (results, changed) = try updater.childResults(
                internal: rootNode, path: NibblePath(), nibbles: 0..<16, lo: 0, hi: plan.prepared.count, store: store)
            result = try updater.finishInternal(ref: rootRef, path: NibblePath(), results: results, changed: changed, store: store)
        } else {
            result = try updater.update(existing: plan.rootRef, path: NibblePath(), lo: 0, hi: plan.prepared.count, store: store)
        }
        return try Self.finishComputation(plan, updater: &updater, result: result, store: store)
    }

    /// Computes one part of a split plan (the root's children under `part.nibbles`), reading `store`.
    /// Parts are independent: each may run on its own thread with its own store view of the same
    /// committed version.
    public func computePart<S: NodeStore & ~Copyable>(
        _ plan: ApplyPlan, _ part: ApplyPart, in store: borrowing S
    ) throws(StateTreeError) -> PartialComputation {
        guard let rootNode = plan.rootNode else {
            throw .store(NodeStoreError(operation: "computePart", message: "the plan's root is not an internal node"))
        }
        var updater = Self.updater(for: plan, expectedUpdates: part.updateCount)
        let (results, changed) = try updater.childResults(
            internal: rootNode, path: NibblePath(), nibbles: part.nibbles, lo: part.lo, hi: part.hi, store: store)
        // In the order made: the batch is sorted once, by whoever writes it (ADR 0030).
        return PartialComputation(
            part: part, results: results, changed: changed, loadedLeaves: updater.loadedLeaves,
            nodes: updater.nodes, stale: updater.stale, cacheFill: updater.cacheFill, createdFill: updater.createdFill)
    }

    /// Joins the parts of a split plan (all of `plan.parts(n)`, in order) into the root and batch
    /// that `compute(plan)` gives, byte for byte.
    public func merge<S: NodeStore & ~Copyable>(
        _ plan: ApplyPlan, _ parts: [PartialComputation], in store: borrowing S
    ) throws(StateTreeError) -> TreeComputation {
        guard let rootRef = plan.rootRef, plan.rootNode != nil else {
            throw .store(NodeStoreError(operation: "merge", message: "the plan's root is not an internal node"))
        }
        var covered = 0
        for partial in parts {
            guard partial.part.nibbles.lowerBound == covered else {
                throw .store(NodeStoreError(operation: "merge", message: "parts do not cover the root's nibbles in order"))
            }
            covered = partial.part.nibbles.upperBound
        }
        guard covered == 16 else {
            throw .store(NodeStoreError(operation: "merge", message: "parts do not cover the root's nibbles in order"))
        }
        var updater = Self.updater(for: plan, expectedUpdates: 0)
        var results: [(nibble: Int, subtree: Subtree)] = []
        results.reserveCapacity(16)
        var changed = false
        for partial in parts {
            // Stored leaves index their part's loaded leaves: shift them past the earlier parts'.
            let offset = updater.loadedLeaves.count
            updater.loadedLeaves.append(contentsOf: partial.loadedLeaves)
            updater.cacheFill.append(contentsOf: partial.cacheFill)
            updater.createdFill.append(contentsOf: partial.createdFill)
            for (nibble, subtree) in partial.results {
                if case .storedLeaf(let key, let hash, let loaded) = subtree, loaded >= 0 {
                    results.append((nibble, .storedLeaf(key: key, hash: hash, loaded: loaded + offset)))
                } else {
                    results.append((nibble, subtree))
                }
            }
            changed = changed || partial.changed
        }
        let result = try updater.finishInternal(ref: rootRef, path: NibblePath(), results: results, changed: changed, store: store)
        return try Self.finishComputation(
            plan, updater: &updater, result: result, store: store,
            partNodes: parts.map(\.nodes), partStale: parts.map(\.stale))
    }

    static func updater(for plan: ApplyPlan, expectedUpdates: Int) -> TreeUpdater {
        TreeUpdater(
            version: plan.version, baseVersion: plan.baseVersion, updates: plan.prepared, keyHashes: plan.keyHashes,
            valueHashes: plan.valueHashesOrComputed, verification: plan.verification, cache: plan.cache,
            cacheDepth: plan.cacheDepth, expectedUpdates: expectedUpdates)
    }

    /// Places the root, then hands the nodes and stale entries of the parts (in part order) and of
    /// `updater` to the computation as they are: lists, unsorted.
    static func finishComputation<S: NodeStore & ~Copyable>(
        _ plan: ApplyPlan, updater: inout TreeUpdater, result: Subtree, store: borrowing S,
        partNodes: [[NodeWrite]] = [], partStale: [[StaleNodeIndex]] = []
    ) throws(StateTreeError) -> TreeComputation {
        let root: RootRecord
        if let placed = try updater.place(result, at: NibblePath(), store: store) {
            root = RootRecord(version: plan.version, rootNodeVersion: placed.version, rootHash: placed.hash)
        } else {
            root = .empty(version: plan.version)
        }
        return TreeComputation(
            rootHash: root.rootHash, version: plan.version, root: root, nodeLists: partNodes + [updater.nodes],
            staleLists: partStale + [updater.stale], readFill: plan.rootFill + updater.cacheFill,
            createdFill: updater.createdFill)
    }
}
