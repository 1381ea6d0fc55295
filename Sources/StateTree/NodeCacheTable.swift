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
/// A plain value with no locks: the store that owns it serialises updates and hands copies
/// (copy-on-write) to the threads computing a version. Correct by construction of the node keys — a key
/// names one node forever (its version is committed once), and a hit also requires the hash the
/// parent records — so the table may only be filled with nodes of COMMITTED versions
/// (`insert(_:)` after the batch that produced the fill is committed); `removeStale(of:)` drops the
/// nodes a committed batch replaced, which keeps it to the latest tree (at most
/// `1 + 16 + … + 16^depth` nodes).
public struct NodeCacheTable: Sendable {
    struct Entry: Sendable {
        let node: InternalNode
        let hash: Digest256
    }

    /// A node key of a path of at most 15 nibbles in two words (hashed faster than `NodeKey`): the
    /// version, and the path's first 64 bits with the nibble count in the last (always zero) nibble.
    struct Key: Hashable, Sendable {
        let version: UInt64
        let path: UInt64

        init(_ key: NodeKey) {
            version = key.version
            path = key.path.packed.w0 | UInt64(key.path.count & 0xF)
        }

        /// One word into the hasher instead of two (the version and path mixed; equality still
        /// compares both words).
        @inline(__always)
        func hash(into hasher: inout Hasher) {
            hasher.combine(path ^ (version &* 0x9E37_79B9_7F4A_7C15))
        }

        var nodeKey: NodeKey {
            let digest = Digest256(w0: path & ~UInt64(0xF), w1: 0, w2: 0, w3: 0)
            return NodeKey(version: version, path: NibblePath(prefixOf: digest, count: Int(path & 0xF)))
        }
    }

    /// The deepest path (in nibbles) whose nodes are kept (at most 15); negative keeps nothing.
    public let depth: Int
    private var nodes: [Key: Entry] = [:]

    /// An empty table keeping nodes at paths of at most `depth` nibbles (clamped to 15).
    public init(depth: Int) {
        self.depth = min(depth, 15)
    }

    /// The number of nodes held.
    public var count: Int { nodes.count }

    /// An estimate of the memory held in bytes (dictionary slots, node arrays and their children).
    public var estimatedBytes: Int {
        let childStride = MemoryLayout<InternalNode.Child>.stride
        let slot = MemoryLayout<Key>.stride + MemoryLayout<Entry>.stride + 8
        var children = 0
        for entry in nodes.values { children += entry.node.children.count }
        return nodes.capacity * slot + nodes.count * 32 + children * childStride
    }

    /// The node under `key` when the table holds it with the hash `hash`.
    @inline(__always)
    func node(_ key: NodeKey, hash: Digest256) -> InternalNode? {
        guard key.path.count <= depth, let entry = nodes[Key(key)], entry.hash == hash else { return nil }
        return entry.node
    }

    /// Every node held, ascending by node key.
    public func entries() -> [CachedNode] {
        nodes.map { CachedNode(key: $0.key.nodeKey, node: $0.value.node, hash: $0.value.hash) }.sorted { $0.key < $1.key }
    }

    /// True when the table holds a node under `key`.
    public func contains(_ key: NodeKey) -> Bool { key.path.count <= depth && nodes[Key(key)] != nil }

    /// Adds the nodes of a committed version's computation (those deeper than `depth` are skipped).
    public mutating func insert(_ fill: [CachedNode]) {
        for entry in fill where entry.key.path.count <= depth {
            nodes[Key(entry.key)] = Entry(node: entry.node, hash: entry.hash)
        }
    }

    /// Removes the nodes `batch` (committed) marks stale.
    public mutating func removeStale(of batch: TreeUpdateBatch) {
        guard !nodes.isEmpty else { return }
        for entry in batch.staleEntries where entry.nodeKey.path.count <= depth {
            nodes.removeValue(forKey: Key(entry.nodeKey))
        }
    }

    /// Forgets every node.
    public mutating func removeAll() {
        nodes.removeAll()
    }
}
