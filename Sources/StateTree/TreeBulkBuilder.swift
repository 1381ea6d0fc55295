import Sodium

/// Builds the tree of one version from its complete key-value set, given as leaves in strictly
/// ascending key-hash order (a state-sync import, ADR 0019). Pure and streaming: it keeps one pending
/// leaf and a stack of the open internal nodes on that leaf's path (at most 64), and emits every node
/// as soon as its subtree is complete.
///
/// The nodes are exactly those `StateTree.apply` writes for the same key-value set put into an empty
/// tree at `version` (same keys, same bytes; the root depends only on the set, rule ST-3). They are
/// emitted depth by depth in ascending path order *within each depth* (but depths interleave), so a
/// consumer that keeps one list per path length and concatenates them by length gets node key order
/// (rule ST-9) and can append them.
public struct TreeBulkBuilder: Sendable {
    /// An internal node under construction at depth `frames.index`.
    struct Frame: Sendable {
        var children: [InternalNode.Child] = []
    }

    /// The version every node is written with.
    public let version: UInt64
    /// Leaves added so far.
    public private(set) var leafCount: UInt64 = 0
    /// The key hash of the last leaf added, if any.
    public var lastKeyHash: Digest256? { pending?.keyHash }

    private var pending: LeafNode?
    /// Common nibbles of the pending leaf with its predecessor (-1 without one). Invariant:
    /// `frames.count == pendingCommonWithPrevious + 1`.
    private var pendingCommonWithPrevious = -1
    private var frames: [Frame] = []
    private var emitted: [NodeWrite] = []
    private var finished = false

    /// A builder for the tree of `version`.
    public init(version: UInt64) {
        self.version = version
        frames.reserveCapacity(16)
    }

    /// Adds the leaf of `key` and `value` (hashing both).
    public mutating func add(key: [UInt8], value: [UInt8]) throws(BulkBuildError) {
        if key.count > StateTree.maxLength { throw .entryTooLong(index: leafCount, field: "key", length: key.count) }
        if value.count > StateTree.maxLength { throw .entryTooLong(index: leafCount, field: "value", length: value.count) }
        try add(LeafNode(key: key, value: value))
    }

    /// Adds a leaf; its key hash must be above the previous leaf's.
    public mutating func add(_ leaf: LeafNode) throws(BulkBuildError) {
        guard !finished else { throw .alreadyFinished }
        if let previous = pending {
            guard previous.keyHash < leaf.keyHash else {
                if previous.keyHash == leaf.keyHash { throw .duplicateKeyHash(index: leafCount, keyHash: leaf.keyHash) }
                throw .keyHashNotAscending(index: leafCount, keyHash: leaf.keyHash, previous: previous.keyHash)
            }
            let common = Self.commonNibbles(previous.keyHash, leaf.keyHash)  // < 64: the hashes differ
            while frames.count <= common { frames.append(Frame()) }
            place(previous, depth: max(pendingCommonWithPrevious, common) + 1)
            while frames.count - 1 > common { pop(along: previous.keyHash) }
            pendingCommonWithPrevious = common
        }
        pending = leaf
        leafCount += 1
    }

    /// The nodes emitted since the last call, in emission order (see the type's documentation).
    public mutating func takeNodes() -> [NodeWrite] {
        defer { emitted.removeAll(keepingCapacity: true) }
        return emitted
    }

    /// Completes the tree: emits the remaining nodes (take them with `takeNodes()`) and returns the
    /// root record of `version` (the empty root when no leaf was added).
    public mutating func finish() throws(BulkBuildError) -> RootRecord {
        guard !finished else { throw .alreadyFinished }
        finished = true
        guard let last = pending else { return .empty(version: version) }
        let depth = pendingCommonWithPrevious + 1
        if depth == 0 {
            emitted.append(NodeWrite(key: .root(version), encoded: last.encoded))
            return RootRecord(version: version, rootNodeVersion: version, rootHash: last.hash)
        }
        place(last, depth: depth)
        var rootHash = TreeHash.emptyRoot
        while !frames.isEmpty { rootHash = pop(along: last.keyHash) }
        return RootRecord(version: version, rootNodeVersion: version, rootHash: rootHash)
    }

    /// Writes `leaf` at `depth` and records it in its parent, the frame at `depth - 1`.
    private mutating func place(_ leaf: LeafNode, depth: Int) {
        let path = NibblePath(prefixOf: leaf.keyHash, count: depth)
        emitted.append(NodeWrite(key: NodeKey(version: version, path: path), encoded: leaf.encoded))
        frames[depth - 1].children.append(InternalNode.Child(
            nibble: UInt8(leaf.keyHash.nibble(at: depth - 1)), version: version, hash: leaf.hash, isLeaf: true))
    }

    /// Closes the deepest open internal node (on the path of `keyHash`), writes it and records it in
    /// its parent; returns its hash.
    @discardableResult
    private mutating func pop(along keyHash: Digest256) -> Digest256 {
        let frame = frames.removeLast()
        let depth = frames.count
        let node = InternalNode(children: frame.children)
        let hash = node.hash
        emitted.append(NodeWrite(key: NodeKey(version: version, path: NibblePath(prefixOf: keyHash, count: depth)), encoded: node.encoded))
        if depth > 0 {
            frames[depth - 1].children.append(InternalNode.Child(
                nibble: UInt8(keyHash.nibble(at: depth - 1)), version: version, hash: hash, isLeaf: false))
        }
        return hash
    }

    /// The number of leading nibbles `a` and `b` share (64 when equal).
    static func commonNibbles(_ a: Digest256, _ b: Digest256) -> Int {
        var x = a.w0 ^ b.w0
        if x != 0 { return x.leadingZeroBitCount / 4 }
        x = a.w1 ^ b.w1
        if x != 0 { return 16 + x.leadingZeroBitCount / 4 }
        x = a.w2 ^ b.w2
        if x != 0 { return 32 + x.leadingZeroBitCount / 4 }
        x = a.w3 ^ b.w3
        if x != 0 { return 48 + x.leadingZeroBitCount / 4 }
        return 64
    }
}
