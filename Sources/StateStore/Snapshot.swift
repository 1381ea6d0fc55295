import LMDB
import Sodium
import StateTree

/// A consistent view of one committed version of a `StateStore`: an LMDB read transaction owned by
/// this value. Non-copyable, so it ends exactly once: `close()`, or when the value is destroyed.
///
/// Everything read through one snapshot belongs to the same commit: `version`, the flat state,
/// the roots and proofs of every retained version, round records and metadata, whatever commits
/// happen meanwhile on other threads or processes. Not `Sendable`: use it on one thread at a time
/// (the environment runs with `MDB_NOTLS`, so that thread need not be the one that created it).
public struct Snapshot: ~Copyable {
    let transaction: ReadTransaction
    let tables: StoreTables
    /// The version this snapshot sees: the latest committed when it began; nil for an empty store.
    public let version: UInt64?

    init(transaction: consuming ReadTransaction, tables: StoreTables) throws(StateStoreError) {
        let bytes: [UInt8]?
        do { bytes = try transaction.get(tables.meta, MetaKey.latest) } catch {
            throw .storage(operation: "snapshot", database: StoreTables.metaName, version: nil, key: MetaKey.latest, error: error)
        }
        if let bytes {
            guard let latest = BigEndian.uint64(bytes) else {
                throw .corruptStore(operation: "snapshot", reason: "meta store.latest has \(bytes.count) bytes, not 8")
            }
            version = latest
        } else {
            version = nil
        }
        self.transaction = transaction
        self.tables = tables
    }

    /// Ends the snapshot (`mdb_txn_abort`), releasing its reader slot and pinned pages.
    public consuming func close() {
        transaction.abort()
    }

    /// LMDB's ID of the commit this snapshot sees (`mdb_txn_id`): equal IDs, equal data.
    public var transactionID: Int { transaction.id }

    // MARK: Flat state (latest version only)

    /// The value of `key` in the latest version (the flat state), or nil when absent. Keys LMDB cannot
    /// hold (empty, or above `maxKeySize` bytes) are never stored, so they read as absent.
    public func value(_ key: [UInt8]) throws(StateStoreError) -> [UInt8]? {
        guard !key.isEmpty, key.count <= transaction.environment.maxKeySize else { return nil }
        do { return try transaction.get(tables.state, key) } catch {
            throw .storage(operation: "value", database: StoreTables.stateName, version: version, key: key, error: error)
        }
    }

    /// The entries of the latest version with `start <= key < end`, ascending by key bytes (descending
    /// with `reverse`), at most `limit`. Nil bounds are open; bounds must be at most `maxKeySize`
    /// bytes (an empty `start` is the same as nil).
    public func scan(
        from start: [UInt8]? = nil, to end: [UInt8]? = nil, reverse: Bool = false, limit: Int? = nil
    ) throws(StateStoreError) -> [StateEntry] {
        let maxKey = transaction.environment.maxKeySize
        if let start, start.count > maxKey {
            throw .invalidKey(field: "scan.from", index: 0, length: start.count, maxLength: maxKey)
        }
        if let end, end.count > maxKey {
            throw .invalidKey(field: "scan.to", index: 0, length: end.count, maxLength: maxKey)
        }
        if let end, end.isEmpty { return [] }
        var out: [StateEntry] = []
        do {
            try transaction.scan(
                tables.state, from: start?.isEmpty == true ? nil : start, to: end, reverse: reverse, limit: limit
            ) { key, value in
                out.append(StateEntry(key: [UInt8](key), value: [UInt8](value)))
                return .continue
            }
        } catch {
            throw .storage(operation: "scan", database: StoreTables.stateName, version: version, key: start, error: error)
        }
        return out
    }

    /// The entries of the latest version whose key starts with `prefix`, in key order (descending with
    /// `reverse`), at most `limit`.
    public func scan(prefix: [UInt8], reverse: Bool = false, limit: Int? = nil) throws(StateStoreError) -> [StateEntry] {
        let maxKey = transaction.environment.maxKeySize
        guard prefix.count <= maxKey else { return [] }
        return try scan(from: prefix, to: KeyRange.upperBound(forPrefix: prefix), reverse: reverse, limit: limit)
    }

    // MARK: The tree (every retained version)

    /// The root record of a retained `version`; `tree(versionNotFound)` when never committed or pruned.
    public func rootRecord(at version: UInt64) throws(StateStoreError) -> RootRecord {
        do { return try StateTree().rootRecord(at: version, in: self) } catch {
            throw .tree(operation: "rootRecord", error: error)
        }
    }

    /// The root hash of a retained `version`.
    public func rootHash(version: UInt64) throws(StateStoreError) -> Digest256 {
        try rootRecord(at: version).rootHash
    }

    /// The root hash of the latest version, or nil for an empty store.
    public func latestRootHash() throws(StateStoreError) -> Digest256? {
        guard let version else { return nil }
        return try rootHash(version: version)
    }

    /// Up to `limit` retained versions at or above `start`, ascending.
    public func retainedVersions(from start: UInt64 = 0, limit: Int = .max) throws(StateStoreError) -> [UInt64] {
        do { return try tables.tree.versions(from: start, limit: limit, in: transaction) } catch {
            throw .tree(operation: "versions", error: .store(error))
        }
    }

    /// The value of `key` at a retained `version` (nil if absent), read through the tree, with a proof
    /// against that version's root (rule ST-30). Every node read is re-hashed and checked (ST-15): a
    /// damaged node is `tree(corruptNode(key, version, reason))`, never a wrong answer.
    public func get(_ key: [UInt8], version: UInt64) throws(StateStoreError) -> (value: [UInt8]?, proof: StateProof) {
        do { return try StateTree().get(key, at: version, in: self) } catch {
            throw .tree(operation: "get", error: error)
        }
    }

    // MARK: Round records and metadata

    /// The record the shell stored with `version` (`commit`'s `roundRecord`), or nil when none was
    /// stored or it was pruned.
    public func roundRecord(version: UInt64) throws(StateStoreError) -> [UInt8]? {
        let key = BigEndian.bytes(version)
        do { return try transaction.get(tables.rounds, key) } catch {
            throw .storage(operation: "roundRecord", database: StoreTables.roundsName, version: version, key: key, error: error)
        }
    }

    /// The metadata stored under `key` by a commit, or nil.
    public func metadata(_ key: [UInt8]) throws(StateStoreError) -> [UInt8]? {
        guard !key.isEmpty, key.count <= transaction.environment.maxKeySize, !MetaKey.isReserved(key) else { return nil }
        return try rawMeta(key, operation: "metadata")
    }

    func rawMeta(_ key: [UInt8], operation: String) throws(StateStoreError) -> [UInt8]? {
        do { return try transaction.get(tables.meta, key) } catch {
            throw .storage(operation: operation, database: StoreTables.metaName, version: version, key: key, error: error)
        }
    }
}

/// A snapshot is a `NodeStore` over its transaction, so any `StateTree` operation can read it.
extension Snapshot: NodeStore {
    public func node(_ key: NodeKey) throws(NodeStoreError) -> [UInt8]? {
        try tables.tree.node(key, in: transaction)
    }

    public func withNode(_ key: NodeKey, _ body: (UnsafeRawBufferPointer?) -> Void) throws(NodeStoreError) {
        try tables.tree.withNode(key, in: transaction, body)
    }

    public func rootRecord(version: UInt64) throws(NodeStoreError) -> [UInt8]? {
        try tables.tree.rootRecord(version: version, in: transaction)
    }

    public func latestVersion() throws(NodeStoreError) -> UInt64? {
        try tables.tree.latestVersion(in: transaction)
    }

    public func versions(from start: UInt64, limit: Int) throws(NodeStoreError) -> [UInt64] {
        try tables.tree.versions(from: start, limit: limit, in: transaction)
    }

    public func staleEntries(staleSinceAtMost version: UInt64, limit: Int) throws(NodeStoreError) -> [[UInt8]] {
        try tables.tree.staleEntries(staleSinceAtMost: version, limit: limit, in: transaction)
    }
}
