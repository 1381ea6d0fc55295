import LMDB
import StateTree

/// The write transaction of a commit or prune, seen by the tree as a `NodeStore`: `StateTree.apply`
/// and `pruneBatch` read the committed tree through the same transaction that then writes the batch.
/// Non-copyable: it owns the transaction, which aborts if the value is dropped before `commit`.
struct PendingCommit: ~Copyable, NodeStore {
    var transaction: WriteTransaction
    let tables: StoreTables

    func node(_ key: NodeKey) throws(NodeStoreError) -> [UInt8]? {
        try tables.tree.node(key, in: transaction)
    }

    func withNode(_ key: NodeKey, _ body: (UnsafeRawBufferPointer?) -> Void) throws(NodeStoreError) {
        try tables.tree.withNode(key, in: transaction, body)
    }

    func rootRecord(version: UInt64) throws(NodeStoreError) -> [UInt8]? {
        try tables.tree.rootRecord(version: version, in: transaction)
    }

    func latestVersion() throws(NodeStoreError) -> UInt64? {
        try tables.tree.latestVersion(in: transaction)
    }

    func versions(from start: UInt64, limit: Int) throws(NodeStoreError) -> [UInt64] {
        try tables.tree.versions(from: start, limit: limit, in: transaction)
    }

    func staleEntries(staleSinceAtMost version: UInt64, limit: Int) throws(NodeStoreError) -> [[UInt8]] {
        try tables.tree.staleEntries(staleSinceAtMost: version, limit: limit, in: transaction)
    }

    /// The latest version recorded in `meta` (`store.latest`), or nil for an empty store.
    func metaLatest(operation: String) throws(StateStoreError) -> UInt64? {
        let bytes: [UInt8]?
        do { bytes = try transaction.get(tables.meta, MetaKey.latest) } catch {
            throw .storage(operation: operation, database: StoreTables.metaName, version: nil, key: MetaKey.latest, error: error)
        }
        guard let bytes else { return nil }
        guard let latest = BigEndian.uint64(bytes) else {
            throw .corruptStore(operation: operation, reason: "meta store.latest has \(bytes.count) bytes, not 8")
        }
        return latest
    }
}
