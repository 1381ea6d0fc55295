import Sodium

extension StateTree {
    /// The keys whose values differ between the tree of `leftVersion` in `left` and the tree of
    /// `rightVersion` in `right` (two stores, or two versions of one store), in key-hash order, at most
    /// `limit`.
    ///
    /// Walks both trees from their roots together and descends only into positions whose child hashes
    /// differ, so equal subtrees are never read: the cost is proportional to the differences (times the
    /// depth), not to the size of the state. Every node read is checked as `get` checks it (ST-15).
    /// Where a leaf on one side faces an internal node on the other, the leaf is followed down by the
    /// nibbles of its key hash until it meets its counterpart or an empty slot.
    public func diff<L: NodeStore & ~Copyable, R: NodeStore & ~Copyable>(
        _ left: borrowing L, at leftVersion: UInt64, _ right: borrowing R, at rightVersion: UInt64, limit: Int = .max
    ) throws(StateTreeError) -> TreeDiff {
        let leftRecord = try rootRecord(at: leftVersion, in: left)
        let rightRecord = try rootRecord(at: rightVersion, in: right)
        var walk = DiffWalk(leftVersion: leftVersion, rightVersion: rightVersion, limit: max(limit, 0))
        if leftRecord.rootHash != rightRecord.rootHash {
            try StateTree.diffStep(
                walk.side(leftRecord), walk.side(rightRecord), path: NibblePath(), left: left, right: right, walk: &walk)
        }
        return TreeDiff(
            differences: walk.differences, truncated: walk.truncated, nodesRead: walk.nodesRead,
            leftRoot: leftRecord.rootHash, rightRoot: rightRecord.rootHash)
    }

    /// The first of `versions` (ascending, retained by both stores) whose root differs between `left`
    /// and `right`, found by binary search over the root records (about log2(n) reads per side); nil
    /// when the last one agrees, so all are taken to agree.
    ///
    /// Assumes divergence persists: once two copies disagree they stay apart (true of a root mismatch
    /// in practice; a later round could in principle rewrite the divergent keys back to equal values,
    /// in which case the search returns a version where the roots differ after an agreeing one, not
    /// necessarily the earliest such).
    public func firstDivergentVersion<L: NodeStore & ~Copyable, R: NodeStore & ~Copyable>(
        _ left: borrowing L, _ right: borrowing R, among versions: [UInt64]
    ) throws(StateTreeError) -> UInt64? {
        guard let last = versions.last else { return nil }
        func differs(_ version: UInt64, _ left: borrowing L, _ right: borrowing R) throws(StateTreeError) -> Bool {
            try rootHash(at: version, in: left) != rootHash(at: version, in: right)
        }
        guard try differs(last, left, right) else { return nil }
        // Invariant: versions[hi] differs; every index below lo agrees.
        var lo = 0
        var hi = versions.count - 1
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if try differs(versions[mid], left, right) { hi = mid } else { lo = mid + 1 }
        }
        return versions[hi]
    }

    // MARK: The walk

    /// One side of a position: nothing, a node not yet read, or a leaf (read, possibly followed down
    /// from a shallower position).
    enum DiffSide {
        case empty
        case stored(NodeRef)
        case leaf(LeafNode)

        var hash: Digest256? {
            switch self {
            case .empty: return nil
            case .stored(let ref): return ref.hash
            case .leaf(let leaf): return leaf.hash
            }
        }
    }

    /// A side after reading: nothing, a leaf, or an internal node and its key.
    enum DiffResolved {
        case empty
        case leaf(LeafNode)
        case `internal`(InternalNode, NodeKey)
    }

    struct DiffWalk {
        let leftVersion: UInt64
        let rightVersion: UInt64
        let limit: Int
        var differences: [TreeDifference] = []
        var truncated = false
        var nodesRead = 0

        init(leftVersion: UInt64, rightVersion: UInt64, limit: Int) {
            self.leftVersion = leftVersion
            self.rightVersion = rightVersion
            self.limit = limit
        }

        var full: Bool { truncated }

        func side(_ record: RootRecord) -> DiffSide {
            guard let key = record.rootNodeKey else { return .empty }
            return .stored(NodeRef(key: key, hash: record.rootHash, isLeaf: nil))
        }

        mutating func report(_ difference: TreeDifference) {
            if differences.count >= limit { truncated = true } else { differences.append(difference) }
        }
    }

    static func diffStep<L: NodeStore & ~Copyable, R: NodeStore & ~Copyable>(
        _ a: DiffSide, _ b: DiffSide, path: NibblePath, left: borrowing L, right: borrowing R, walk: inout DiffWalk
    ) throws(StateTreeError) {
        if walk.full || a.hash == b.hash { return }
        let ra = try resolve(a, treeVersion: walk.leftVersion, store: left, walk: &walk)
        let rb = try resolve(b, treeVersion: walk.rightVersion, store: right, walk: &walk)
        switch (ra, rb) {
        case (.internal, _), (_, .internal):
            for nibble in 0..<16 {
                try diffStep(
                    child(ra, nibble: nibble, path: path), child(rb, nibble: nibble, path: path),
                    path: path.appending(nibble), left: left, right: right, walk: &walk)
                if walk.full { return }
            }
        case (.leaf(let x), .leaf(let y)):
            if x.keyHash == y.keyHash {
                guard x.key == y.key else { throw .keyHashCollision(keyHash: x.keyHash) }
                walk.report(TreeDifference(keyHash: x.keyHash, key: x.key, left: x, right: y))
            } else if x.keyHash < y.keyHash {
                walk.report(TreeDifference(keyHash: x.keyHash, key: x.key, left: x, right: nil))
                walk.report(TreeDifference(keyHash: y.keyHash, key: y.key, left: nil, right: y))
            } else {
                walk.report(TreeDifference(keyHash: y.keyHash, key: y.key, left: nil, right: y))
                walk.report(TreeDifference(keyHash: x.keyHash, key: x.key, left: x, right: nil))
            }
        case (.leaf(let x), .empty):
            walk.report(TreeDifference(keyHash: x.keyHash, key: x.key, left: x, right: nil))
        case (.empty, .leaf(let y)):
            walk.report(TreeDifference(keyHash: y.keyHash, key: y.key, left: nil, right: y))
        case (.empty, .empty):
            return
        }
    }

    static func resolve<S: NodeStore & ~Copyable>(
        _ side: DiffSide, treeVersion: UInt64, store: borrowing S, walk: inout DiffWalk
    ) throws(StateTreeError) -> DiffResolved {
        switch side {
        case .empty: return .empty
        case .leaf(let leaf): return .leaf(leaf)
        case .stored(let ref):
            walk.nodesRead += 1
            switch try loadNode(ref, treeVersion: treeVersion, store: store) {
            case .leaf(let leaf): return .leaf(leaf)
            case .internal(let inner): return .internal(inner, ref.key)
            }
        }
    }

    /// What sits under `nibble` below a resolved position at `path`.
    static func child(_ resolved: DiffResolved, nibble: Int, path: NibblePath) -> DiffSide {
        switch resolved {
        case .empty:
            return .empty
        case .leaf(let leaf):
            return leaf.keyHash.nibble(at: path.count) == nibble ? .leaf(leaf) : .empty
        case .internal(let inner, let key):
            guard let child = inner.child(at: nibble) else { return .empty }
            return .stored(NodeRef(
                key: NodeKey(version: child.version, path: key.path.appending(nibble)), hash: child.hash, isLeaf: child.isLeaf))
        }
    }
}
