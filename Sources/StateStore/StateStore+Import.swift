import LMDB
import Sodium
import StateTree

extension StateStore {
    /// Bulk import, part 1 (state sync, ADR 0019): puts `entries` (each key once across all calls)
    /// into the flat state of a store that holds no version yet, in one write transaction. Nothing is
    /// visible as a version until `importTree` commits the root.
    ///
    /// With `appending`, the entries must be strictly ascending by key and above every key already
    /// written (`MDB_APPEND`: full pages, no descent per key; `MDB_KEYEXIST` otherwise). Without it,
    /// any order is accepted, at the cost of a B-tree descent and half-full pages.
    ///
    /// - Throws: `versionNotIncreasing` when the store already holds a version; `invalidKey` for a key
    ///   of 0 or more than `maxKeySize` bytes; `storage` from LMDB.
    public func importFlatState(_ entries: [Write], appending: Bool = false) throws(StateStoreError) {
        let maxKey = maxKeySize
        for (index, entry) in entries.enumerated() where entry.key.isEmpty || entry.key.count > maxKey {
            throw .invalidKey(field: "import.entries", index: index, length: entry.key.count, maxLength: maxKey)
        }
        let pending = try beginImport(operation: "importFlatState")
        var failedKey: [UInt8] = []
        do {
            try pending.transaction.withCursor(tables.state) { cursor in
                for entry in entries {
                    failedKey = entry.key
                    try cursor.put(entry.key, entry.value ?? [], flags: appending ? .append : [])
                }
            }
        } catch let error as LMDBError {
            throw .storage(operation: "importFlatState", database: StoreTables.stateName, version: nil, key: failedKey, error: error)
        } catch {
            throw .corruptStore(operation: "importFlatState", reason: "\(StoreTables.stateName): unexpected error \(error)")
        }
        do { try pending.transaction.commit() } catch {
            throw .storage(operation: "importFlatState", database: nil, version: nil, key: nil, error: error)
        }
    }

    /// Bulk import, part 2: writes the tree of `root.version` and makes it the store's only version,
    /// in one write transaction: the nodes (appended: `nodeGroups` concatenated must be strictly
    /// ascending by node key, e.g. one group per path length as `TreeBulkBuilder` emits them), the
    /// root record, the shell's `metadata` (keys may not start with `store.`), `store.latest` and
    /// `store.history_start` (both `root.version`).
    ///
    /// - Throws: `versionNotIncreasing` when the store already holds a version; `reservedMetadataKey`;
    ///   `storage` (`MDB_KEYEXIST` when the nodes are not in key order).
    public func importTree(root: RootRecord, nodeGroups: [[NodeWrite]], metadata: [Write]) throws(StateStoreError) {
        try Self.validate(metadata, field: "metadata", maxKey: maxKeySize)
        for entry in metadata where MetaKey.isReserved(entry.key) { throw .reservedMetadataKey(entry.key) }
        var pending = try beginImport(operation: "importTree")
        let version = root.version
        var key: [UInt8] = []
        key.reserveCapacity(NodeKey.encodedCount(nibbleCount: 64))
        do {
            try pending.transaction.withCursor(tables.tree.nodes) { cursor in
                for group in nodeGroups {
                    for write in group {
                        key.removeAll(keepingCapacity: true)
                        NodeKeyEncoding.append(write.key, to: &key)
                        try cursor.put(key, write.encoded, flags: .append)
                    }
                }
            }
        } catch let error as LMDBError {
            throw .storage(operation: "importTree", database: TreeTables.nodesName, version: version, key: key, error: error)
        } catch {
            throw .corruptStore(operation: "importTree", reason: "\(TreeTables.nodesName): unexpected error \(error)")
        }
        let versionKey = BigEndian.bytes(version)
        do { try pending.transaction.put(tables.tree.roots, versionKey, root.encoded, flags: .append) } catch {
            throw .storage(operation: "importTree", database: TreeTables.rootsName, version: version, key: versionKey, error: error)
        }
        var metaWrites = metadata
        metaWrites.append(.put(MetaKey.latest, versionKey))
        metaWrites.append(.put(MetaKey.historyStart, versionKey))
        try Self.writeMetadata(metaWrites, operation: "importTree", version: version, tables: tables, in: &pending.transaction)
        do { try pending.transaction.commit() } catch {
            throw .storage(operation: "importTree", database: nil, version: version, key: nil, error: error)
        }
    }

    /// A write transaction on a store that holds no version yet.
    private func beginImport(operation: String) throws(StateStoreError) -> PendingCommit {
        try awaitWriter()
        let transaction: WriteTransaction
        do { transaction = try environment.beginWrite() } catch {
            throw .storage(operation: operation, database: nil, version: nil, key: nil, error: error)
        }
        let pending = PendingCommit(transaction: transaction, tables: tables)
        if let latest = try pending.metaLatest(operation: operation) {
            throw .versionNotIncreasing(version: 0, latest: latest)
        }
        return pending
    }
}
