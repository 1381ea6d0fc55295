import LMDB
import StateTree

/// The three LMDB databases that hold a `StateTree` (rules ST-9 to ST-14, ADR 0007):
///
/// - `nodes`: node key (ST-9) → encoded node (ST-4, ST-5), written with `MDB_APPEND`;
/// - `stale`: stale index entry (ST-11) → empty value, written with `MDB_APPEND`;
/// - `roots`: version (u64 BE) → root record (ST-10), written with `MDB_APPEND`.
///
/// `StateStore` uses these to commit a round; they are public so that tools and tests can keep a tree
/// in an LMDB environment of their own (e.g. the behaviour suite of the tree against LMDB). Reads work
/// in either kind of transaction; writes need the write transaction.
public struct TreeTables: Sendable {
    /// Node key → encoded node.
    public let nodes: Database
    /// Stale index entry → empty.
    public let stale: Database
    /// Version (u64 BE) → root record.
    public let roots: Database

    /// The names of the databases in the environment.
    public static let nodesName = "nodes", staleName = "stale", rootsName = "roots"

    /// Opens (creating them if missing, unless `create` is false) the three databases in `environment`,
    /// which needs `maxDatabases >= 3`.
    public init(opening environment: Environment, create: Bool = true) throws(LMDBError) {
        nodes = try environment.openDatabase(TreeTables.nodesName, create: create)
        stale = try environment.openDatabase(TreeTables.staleName, create: create)
        roots = try environment.openDatabase(TreeTables.rootsName, create: create)
    }

    // MARK: Reads (rule ST-13)

    /// The encoded node under `key`, or nil (`mdb_get` in `nodes`).
    public func node<T: ReadableTransaction & ~Copyable>(
        _ key: NodeKey, in txn: borrowing T
    ) throws(NodeStoreError) -> [UInt8]? {
        do {
            return try NodeKeyEncoding.withEncoded(key) { (raw) throws(LMDBError) in try txn.get(nodes, rawKey: raw) }
        } catch {
            throw Self.storeError(error, TreeTables.nodesName)
        }
    }

    /// Calls `body` with the encoded node under `key` inside the map, not copied (nil when absent;
    /// `mdb_get` in `nodes`). The bytes are valid only during `body`.
    public func withNode<T: ReadableTransaction & ~Copyable>(
        _ key: NodeKey, in txn: borrowing T, _ body: (UnsafeRawBufferPointer?) -> Void
    ) throws(NodeStoreError) {
        do {
            try NodeKeyEncoding.withEncoded(key) { (raw) throws(LMDBError) in
                try txn.withValue(nodes, rawKey: raw, body)
            }
        } catch {
            throw Self.storeError(error, TreeTables.nodesName)
        }
    }

    /// The encoded root record of `version`, or nil (`mdb_get` in `roots`).
    public func rootRecord<T: ReadableTransaction & ~Copyable>(
        version: UInt64, in txn: borrowing T
    ) throws(NodeStoreError) -> [UInt8]? {
        do { return try txn.get(roots, BigEndian.bytes(version)) } catch {
            throw Self.storeError(error, TreeTables.rootsName)
        }
    }

    /// The highest version with a root record (the last key of `roots`), or nil when there is none.
    public func latestVersion<T: ReadableTransaction & ~Copyable>(
        in txn: borrowing T
    ) throws(NodeStoreError) -> UInt64? {
        try versions(from: 0, reverse: true, limit: 1, in: txn).first
    }

    /// Up to `limit` versions with a root record at or above `start`, ascending.
    public func versions<T: ReadableTransaction & ~Copyable>(
        from start: UInt64, limit: Int, in txn: borrowing T
    ) throws(NodeStoreError) -> [UInt64] {
        try versions(from: start, reverse: false, limit: limit, in: txn)
    }

    private func versions<T: ReadableTransaction & ~Copyable>(
        from start: UInt64, reverse: Bool, limit: Int, in txn: borrowing T
    ) throws(NodeStoreError) -> [UInt64] {
        guard limit > 0 else { return [] }
        var out: [UInt64] = []
        var badKey: [UInt8]? = nil
        do {
            try txn.scan(roots, from: reverse ? nil : BigEndian.bytes(start), reverse: reverse, limit: limit) { key, _ in
                guard let version = BigEndian.uint64(key) else {
                    badKey = [UInt8](key)
                    return .stop
                }
                out.append(version)
                return .continue
            }
        } catch {
            throw Self.storeError(error, TreeTables.rootsName)
        }
        if let badKey {
            throw NodeStoreError(
                operation: "versions", message: "roots: key \(badKey) is not an 8-byte big-endian version")
        }
        return out
    }

    /// Up to `limit` encoded stale entries with `staleSince <= version`, ascending (a cursor range scan
    /// of `stale` up to the prefix `version + 1`).
    public func staleEntries<T: ReadableTransaction & ~Copyable>(
        staleSinceAtMost version: UInt64, limit: Int, in txn: borrowing T
    ) throws(NodeStoreError) -> [[UInt8]] {
        guard limit > 0 else { return [] }
        let end: [UInt8]? = version < UInt64.max ? BigEndian.bytes(version + 1) : nil
        var out: [[UInt8]] = []
        do {
            try txn.scan(stale, to: end, limit: limit) { key, _ in
                out.append([UInt8](key))
                return .continue
            }
        } catch {
            throw Self.storeError(error, TreeTables.staleName)
        }
        return out
    }

    // MARK: Writes

    /// Writes a version's batch (rule ST-12): its nodes and stale entries with `MDB_APPEND` (they sort
    /// after everything stored, ADR 0002; `MDB_KEYEXIST` means they do not, which is a bug or a damaged
    /// store), and its root record. Nothing is committed here: the caller commits `txn`.
    public func write(_ batch: TreeUpdateBatch, in txn: inout WriteTransaction) throws(StateStoreError) {
        // One key buffer for the whole batch (no allocation per key), and one cursor per database:
        // `mdb_cursor_put` with `MDB_APPEND` on a cursor left at the last entry does not descend from
        // the root for each key as `mdb_put` does.
        var key: [UInt8] = []
        key.reserveCapacity(8 + NodeKey.encodedCount(nibbleCount: 64))
        var database = TreeTables.nodesName
        do {
            try txn.withCursor(nodes) { cursor in
                for write in batch.nodes {
                    key.removeAll(keepingCapacity: true)
                    NodeKeyEncoding.append(write.key, to: &key)
                    try cursor.put(key, write.encoded, flags: .append)
                }
            }
            database = TreeTables.staleName
            key.removeAll(keepingCapacity: true)
            try txn.withCursor(stale) { cursor in
                for entry in batch.staleEntries {
                    key.removeAll(keepingCapacity: true)
                    BigEndian.append(entry.staleSince, to: &key)
                    NodeKeyEncoding.append(entry.nodeKey, to: &key)
                    try cursor.put(key, [], flags: .append)
                }
            }
        } catch let error as LMDBError {
            throw .storage(operation: "commit", database: database, version: batch.version, key: key, error: error)
        } catch {
            throw .corruptStore(operation: "commit", reason: "\(database): unexpected error \(error)")
        }
        let rootKey = BigEndian.bytes(batch.version)
        do { try txn.put(roots, rootKey, batch.root.encoded, flags: .append) } catch {
            throw .storage(operation: "commit", database: TreeTables.rootsName, version: batch.version, key: rootKey, error: error)
        }
    }

    /// Deletes what a prune batch names (rule ST-14); items already gone are skipped, so pruning is
    /// idempotent. Nothing is committed here.
    public func apply(_ prune: PruneBatch, in txn: inout WriteTransaction) throws(StateStoreError) {
        for key in prune.nodeKeys {
            let bytes = key.encoded
            do { try txn.delete(nodes, bytes) } catch {
                throw .storage(operation: "prune", database: TreeTables.nodesName, version: key.version, key: bytes, error: error)
            }
        }
        for entry in prune.staleEntries {
            let bytes = entry.encoded
            do { try txn.delete(stale, bytes) } catch {
                throw .storage(operation: "prune", database: TreeTables.staleName, version: entry.staleSince, key: bytes, error: error)
            }
        }
        for version in prune.rootVersions {
            let bytes = BigEndian.bytes(version)
            do { try txn.delete(roots, bytes) } catch {
                throw .storage(operation: "prune", database: TreeTables.rootsName, version: version, key: bytes, error: error)
            }
        }
    }

    /// An LMDB failure as the tree's store error, keeping the C function and code.
    static func storeError(_ error: LMDBError, _ database: String) -> NodeStoreError {
        NodeStoreError(operation: error.operation, code: error.code.rawValue, message: "\(database): \(error.message)")
    }
}
