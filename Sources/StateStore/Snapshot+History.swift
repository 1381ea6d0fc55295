extension Snapshot {
    /// The first version whose history this store holds (`store.history_start`, schema 2, ADR 0020):
    /// the version of the store's first commit (genesis for a store that replayed from genesis), or
    /// the snapshot round of a store imported by state sync. A retained-version query below it was
    /// never held by this store; between it and the oldest retained root, the version was pruned.
    /// Nil for an empty store, and for a schema-1 store opened read-only before migrating.
    public func historyStart() throws(StateStoreError) -> UInt64? {
        guard let bytes = try rawMeta(MetaKey.historyStart, operation: "historyStart") else { return nil }
        guard let start = BigEndian.uint64(bytes) else {
            throw .corruptStore(operation: "historyStart", reason: "meta store.history_start has \(bytes.count) bytes, not 8")
        }
        return start
    }
}
