import Sodium

extension StateTree {
    /// The value of `key` in the tree of `version` (nil if absent) with a proof of it against that
    /// version's root: an inclusion proof, or a non-inclusion proof ending on an empty slot or on
    /// another key's leaf (rule ST-30).
    public func get<S: NodeStore & ~Copyable>(
        _ key: [UInt8], at version: UInt64, in store: borrowing S
    ) throws(StateTreeError) -> (value: [UInt8]?, proof: StateProof) {
        let root = try rootRecord(at: version, in: store)
        guard let rootKey = root.rootNodeKey else { return (nil, StateProof(levels: [], terminal: .empty)) }
        let keyHash = TreeHash.keyHash(key)
        var levels: [StateProof.Level] = []
        levels.reserveCapacity(8)
        var ref = NodeRef(key: rootKey, hash: root.rootHash, isLeaf: nil)
        while true {
            switch try StateTree.loadNode(ref, treeVersion: version, store: store) {
            case .leaf(let leaf):
                let proof = StateProof(levels: levels, terminal: .leaf(keyHash: leaf.keyHash, valueHash: leaf.valueHash))
                guard leaf.keyHash == keyHash else { return (nil, proof) }
                guard leaf.key == key else { throw .keyHashCollision(keyHash: keyHash) }
                return (leaf.value, proof)
            case .internal(let inner):
                let path = ref.key.path
                let nibble = keyHash.nibble(at: path.count)
                var siblings: [Digest256] = []
                siblings.reserveCapacity(inner.children.count)
                var next: InternalNode.Child? = nil
                for child in inner.children {
                    if Int(child.nibble) == nibble { next = child } else { siblings.append(child.hash) }
                }
                levels.append(StateProof.Level(bitmap: inner.bitmap, siblings: siblings))
                guard let next else { return (nil, StateProof(levels: levels, terminal: .empty)) }
                ref = NodeRef(key: NodeKey(version: next.version, path: path.appending(nibble)), hash: next.hash, isLeaf: next.isLeaf)
            }
        }
    }

    /// The value of `key` in the tree of `version`, or nil if absent (the same walk as `get`, without
    /// keeping the proof).
    public func value<S: NodeStore & ~Copyable>(
        _ key: [UInt8], at version: UInt64, in store: borrowing S
    ) throws(StateTreeError) -> [UInt8]? {
        try get(key, at: version, in: store).value
    }
}
