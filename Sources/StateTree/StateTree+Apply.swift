import Sodium

extension StateTree {
    /// Computes version `version` from the latest committed version and `updates` (rules ST-12, ST-20
    /// to ST-23).
    ///
    /// `updates` must be strictly ascending by raw key (so keys are unique); `version` must be above
    /// the latest committed version (any version is accepted on an empty store). Returns the new root
    /// hash and the batch the store must commit; nothing is written here.
    public func apply<S: NodeStore & ~Copyable>(
        version: UInt64, updates: [KeyUpdate], in store: borrowing S
    ) throws(StateTreeError) -> (rootHash: Digest256, batch: TreeUpdateBatch) {
        let latest = try latestVersion(in: store)
        if let latest, version <= latest { throw .versionNotIncreasing(version: version, latest: latest) }
        let prepared = try StateTree.prepare(updates)
        let previous: RootRecord? = try latest.map { (v: UInt64) throws(StateTreeError) in try rootRecord(at: v, in: store) }

        var updater = TreeUpdater(
            version: version, baseVersion: latest ?? version, updates: prepared, verification: applyVerification)
        var rootRef: NodeRef? = nil
        if let previous, let key = previous.rootNodeKey {
            rootRef = NodeRef(key: key, hash: previous.rootHash, isLeaf: nil)
        }
        let result = try updater.update(existing: rootRef, path: NibblePath(), lo: 0, hi: prepared.count, store: store)
        let root: RootRecord
        if let placed = try updater.place(result, at: NibblePath(), store: store) {
            root = RootRecord(version: version, rootNodeVersion: placed.version, rootHash: placed.hash)
        } else {
            root = .empty(version: version)
        }
        // Sort keys with positions (plain values), then gather: cheaper than sorting the writes.
        var order = updater.nodes.indices.map { (key: updater.nodes[$0].key, index: $0) }
        order.sort { $0.key < $1.key }
        let nodes = order.map { updater.nodes[$0.index] }
        var stale = updater.stale
        stale.sort()
        let batch = TreeUpdateBatch(version: version, nodes: nodes, staleEntries: stale, root: root)
        return (root.rootHash, batch)
    }

    /// Checks the order and sizes of the updates and returns them hashed and sorted by key hash.
    static func prepare(_ updates: [KeyUpdate]) throws(StateTreeError) -> [PreparedUpdate] {
        // Hash in input order, then sort (key hash, input index) pairs — plain values, so the sort moves
        // 40 bytes per swap and no reference counts — and gather the updates in that order.
        var order: [(keyHash: Digest256, index: Int)] = []
        order.reserveCapacity(updates.count)
        for (index, update) in updates.enumerated() {
            if index > 0, !bytesLess(updates[index - 1].key, update.key) {
                throw .updatesNotStrictlyAscending(index: index)
            }
            if update.key.count > maxLength {
                throw .entryTooLong(index: index, field: "key", length: update.key.count)
            }
            if let value = update.value, value.count > maxLength {
                throw .entryTooLong(index: index, field: "value", length: value.count)
            }
            order.append((TreeHash.keyHash(update.key), index))
        }
        order.sort { $0.keyHash < $1.keyHash }
        var prepared: [PreparedUpdate] = []
        prepared.reserveCapacity(updates.count)
        for (keyHash, index) in order {
            let update = updates[index]
            prepared.append(PreparedUpdate(
                keyHash: keyHash,
                key: update.key,
                value: update.value,
                valueHash: update.value.map(TreeHash.valueHash) ?? .zero))
        }
        for index in prepared.indices.dropFirst() where prepared[index].keyHash == prepared[index - 1].keyHash {
            throw .keyHashCollision(keyHash: prepared[index].keyHash)
        }
        return prepared
    }
}
