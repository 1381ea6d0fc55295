import Sodium

/// An internal node a computation created at a cacheable depth: its key and hash. The node itself is
/// decoded from the committed batch by the cache's owner, on the thread that applies the batch.
public struct CreatedFill: Sendable, Equatable {
    public let key: NodeKey
    public let hash: Digest256
}

/// A decoded internal node of a committed tree with its node hash, as a node cache keeps it.
public struct CachedNode: Sendable, Equatable {
    /// Where the node is stored.
    public let key: NodeKey
    /// The decoded node.
    public let node: InternalNode
    /// Its node hash (rule ST-7): computed by `apply`, or the hash its parent records when the node was
    /// read from the store under the tree's `applyVerification`.
    public let hash: Digest256

    public init(key: NodeKey, node: InternalNode, hash: Digest256) {
        self.key = key
        self.node = node
        self.hash = hash
    }
}

/// Decoded internal nodes of the latest committed tree at paths of at most `depth` nibbles, which
/// `StateTree.compute` consults before reading a node from the store: a hit skips the read, the copy,
/// the decoding and the re-hash (ADR 0028).
///
/// Laid out flat by path (ADR 0031): the node at a path of `d` nibbles sits in slot
/// `(16^d - 1) / 15 + path`, its children inline, so a lookup is an index computation and one
/// comparison of version and hash — no hashing of the key, no reference counting. Slots are allocated
/// in chunks of 64 on first use, so a small tree holds little memory; `maxDepth` bounds the table.
///
/// A plain value with no locks: the store that owns it serialises updates and hands copies
/// (copy-on-write; a mutation while a copy is alive copies the allocated chunks) to the threads
/// computing a version. Correct by construction of the node keys — a key names one node forever (its
/// version is committed once), and a hit also requires the hash the parent records — so the table may
/// only be filled with nodes of COMMITTED versions (`insert(_:)` after the batch that produced the fill
/// is committed); `removeStale(of:)` drops the nodes a committed batch replaced, which keeps it to the
/// latest tree (one node per path).
public struct NodeCacheTable: Sendable {
    /// The deepest path a table keeps (16^5 paths at the last level; ADR 0031).
    public static let maxDepth = 5

    /// The deepest path (in nibbles) whose nodes are kept (at most `maxDepth`); negative keeps nothing.
    public let depth: Int
    private var storage: NodeSlots

    /// An empty table keeping nodes at paths of at most `depth` nibbles (clamped to `maxDepth`).
    public init(depth: Int) {
        self.depth = min(depth, NodeCacheTable.maxDepth)
        storage = NodeSlots(depth: self.depth)
    }

    /// The number of nodes held.
    public var count: Int { storage.count }

    /// The memory held in bytes: the allocated slot chunks and the chunk table.
    public var estimatedBytes: Int { storage.allocatedBytes }

    /// The slot of `key`'s path, or nil when the path is deeper than `depth`.
    @inline(__always)
    private func slot(of key: NodeKey) -> Int? { NodeCacheLookup.slot(of: key, depth: depth) }

    /// Lookups without reference counting, for a computation that holds this table meanwhile.
    var lookup: NodeCacheLookup { NodeCacheLookup(depth: depth, slots: storage.view) }


    /// Every node held, ascending by node key.
    public func entries() -> [CachedNode] {
        var out: [CachedNode] = []
        out.reserveCapacity(storage.count)
        guard depth >= 0 else { return out }
        for count in 0...depth {
            let levelStart = NodeCacheLookup.levelStart(count)
            for index in 0..<(1 << (4 * count)) {
                guard let (version, hash, children) = storage.entry(at: levelStart + index) else { continue }
                let packed = count == 0 ? 0 : UInt64(index) << UInt64(64 - 4 * count)
                let path = NibblePath(prefixOf: Digest256(w0: packed, w1: 0, w2: 0, w3: 0), count: count)
                out.append(CachedNode(key: NodeKey(version: version, path: path), node: children.node, hash: hash))
            }
        }
        return out.sorted { $0.key < $1.key }
    }

    /// True when the table holds a node under `key`.
    public func contains(_ key: NodeKey) -> Bool {
        guard let slot = slot(of: key), let entry = storage.entry(at: slot) else { return false }
        return entry.version == key.version
    }

    /// Adds the nodes of a committed version's computation (those deeper than `depth` are skipped). A
    /// node replaces whatever the table held at its path.
    public mutating func insert(_ fill: [CachedNode]) {
        guard depth >= 0, !fill.isEmpty else { return }
        makeUnique()
        for entry in fill {
            guard let slot = slot(of: entry.key) else { continue }
            storage.store(ChildList(entry.node.children), version: entry.key.version, hash: entry.hash, at: slot)
        }
    }

    /// Removes the nodes `batch` (committed) marks stale.
    public mutating func removeStale(of batch: TreeUpdateBatch) {
        guard storage.count > 0 else { return }
        makeUnique()
        for entry in batch.staleEntries {
            guard let slot = slot(of: entry.nodeKey) else { continue }
            storage.remove(at: slot, version: entry.nodeKey.version)
        }
    }

    /// Forgets every node.
    public mutating func removeAll() {
        storage = NodeSlots(depth: depth)
    }

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }
}

/// The lookups of a `NodeCacheTable` through a `NodeSlotsView`: valid while the table they came from is
/// held (a table is never mutated in place while a copy of it is alive).
struct NodeCacheLookup: @unchecked Sendable {
    let depth: Int
    let slots: NodeSlotsView

    /// The slot of `key`'s path (paths of `d` nibbles start at `(16^d - 1) / 15`), or nil when the path
    /// is deeper than `depth`.
    @inline(__always)
    static func slot(of key: NodeKey, depth: Int) -> Int? {
        let count = key.path.count
        guard count <= depth else { return nil }
        let index = count == 0 ? 0 : Int(truncatingIfNeeded: key.path.packed.w0 >> UInt64(64 - 4 * count))
        return levelStart(count) + index
    }

    /// The first slot of the paths of `count` nibbles: the number of shorter paths, 1 + 16 + … +
    /// 16^(count−1) = (16^count − 1) / 15.
    @inline(__always)
    static func levelStart(_ count: Int) -> Int { ((1 << (4 * count)) - 1) / 15 }

    /// The children of the node under `key`, in place, when the table holds it with the hash `hash`.
    @inline(__always)
    func children(_ key: NodeKey, hash: Digest256) -> UnsafeBufferPointer<InternalNode.Child>? {
        guard let slot = NodeCacheLookup.slot(of: key, depth: depth) else { return nil }
        return slots.children(at: slot, version: key.version, hash: hash)
    }
}
