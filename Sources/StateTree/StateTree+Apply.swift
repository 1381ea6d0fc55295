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
        let computed = try compute(version: version, updates: updates, in: store)
        return (computed.rootHash, computed.batch)
    }

    /// `apply`, consulting `cache` (internal nodes of the latest committed tree) before the store and
    /// collecting the internal nodes at paths of at most `cacheDepth` nibbles that a cache may keep
    /// once the batch is committed (ADR 0028). The root and batch are those of `apply`.
    public func compute<S: NodeStore & ~Copyable>(
        version: UInt64, updates: [KeyUpdate], cache: NodeCacheTable? = nil, cacheDepth: Int = -1,
        in store: borrowing S
    ) throws(StateTreeError) -> TreeComputation {
        let plan = try plan(version: version, updates: updates, cache: cache, cacheDepth: cacheDepth, in: store)
        return try compute(plan, in: store)
    }

    /// The writes of one version in node key order (rule ST-9: all share the version, so the order is
    /// by path length, then by the packed nibbles). Sorts (sort key, position) pairs of plain integers
    /// and gathers the writes in that order. When every path has at most 15 nibbles (trees below
    /// 16^15 keys in practice), the sort key `length << 60 | first 15 nibbles` is one `UInt64`, unique
    /// per path and ordered as the paths; otherwise the node keys themselves are compared.
    static func sortedByKey(_ writes: [NodeWrite]) -> [NodeWrite] {
        if writes.allSatisfy({ $0.key.path.count <= 15 }) {
            var order: [(key: UInt64, index: Int)] = []
            order.reserveCapacity(writes.count)
            for (index, write) in writes.enumerated() {
                let path = write.key.path
                order.append((UInt64(path.count) << 60 | path.packed.w0 >> 4, index))
            }
            order.sort { $0.key < $1.key || ($0.key == $1.key && $0.index < $1.index) }
            return order.map { writes[$0.index] }
        }
        var order = writes.indices.map { (key: writes[$0].key, index: $0) }
        order.sort { $0.key < $1.key }
        return order.map { writes[$0.index] }
    }

    /// Stale entries in their encoded byte order (rule ST-11: `staleSince`, then the node key), sorting
    /// plain integer keys as `sortedByKey(_:)` does for node writes, with the same fallback.
    static func sortedByKey(_ entries: [StaleNodeIndex]) -> [StaleNodeIndex] {
        guard entries.allSatisfy({ $0.nodeKey.path.count <= 15 }) else { return entries.sorted() }
        var order: [(since: UInt64, version: UInt64, path: UInt64, index: Int)] = []
        order.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            let path = entry.nodeKey.path
            order.append((entry.staleSince, entry.nodeKey.version, UInt64(path.count) << 60 | path.packed.w0 >> 4, index))
        }
        order.sort {
            if $0.since != $1.since { return $0.since < $1.since }
            if $0.version != $1.version { return $0.version < $1.version }
            if $0.path != $1.path { return $0.path < $1.path }
            return $0.index < $1.index
        }
        return order.map { entries[$0.index] }
    }

    /// Checks the order and sizes of the updates and returns them with their key hashes, sorted by key
    /// hash. `keyHashes`, when given, are the key hashes of `updates` (in input order) computed ahead,
    /// e.g. on several threads. The value hashes are the plan's (`ApplyPlan.valueHashes`).
    static func prepare(_ updates: [KeyUpdate], keyHashes given: [Digest256]? = nil) throws(StateTreeError) -> [PreparedUpdate] {
        // Hash in input order, then sort (first 64 bits of the key hash, input index) pairs — 16-byte
        // plain values, so the sort moves little and touches no reference counts; the full hashes
        // break ties — and gather the updates in that order.
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
        }
        let keyHashes = given.flatMap { $0.count == updates.count ? $0 : nil } ?? UpdateHashes.keyHashes(of: updates)
        var order: [(w0: UInt64, index: Int)] = []
        order.reserveCapacity(updates.count)
        for index in keyHashes.indices { order.append((keyHashes[index].w0, index)) }
        order.sort { $0.w0 != $1.w0 ? $0.w0 < $1.w0 : keyHashes[$0.index] < keyHashes[$1.index] }
        var prepared: [PreparedUpdate] = []
        prepared.reserveCapacity(updates.count)
        for (_, index) in order {
            let update = updates[index]
            prepared.append(PreparedUpdate(keyHash: keyHashes[index], key: update.key, value: update.value, input: index))
        }
        for index in prepared.indices.dropFirst() where prepared[index].keyHash == prepared[index - 1].keyHash {
            throw .keyHashCollision(keyHash: prepared[index].keyHash)
        }
        return prepared
    }
}
