import LMDB

/// Schema 1 → 2: records `store.history_start` (u64 BE), the first version whose history this store
/// holds (ADR 0020). Nothing else changes: no root, node, state entry or round record is touched, so
/// every retained version keeps its root, values and proofs.
///
/// A schema-1 store does not record which versions pruning forgot, so the step takes the lowest
/// version it can prove the store committed: the lower of the oldest retained root record and the
/// oldest round record (`prune` deletes round records only when asked, so they often outlive their
/// roots). For a store that never pruned, or pruned only roots, that is the version it started at
/// (genesis, or its first round). When pruning removed both, it is the oldest retained root: versions
/// pruned before the migration then read as "never held" rather than "pruned" — the only value the
/// store can prove. An empty store gets no `history_start` (its first commit writes it).
struct MigrationV1ToV2: MigrationStep {
    let from: UInt32 = 1
    let name = "history-start"

    func apply(in transaction: inout WriteTransaction, tables: StoreTables) throws(StateStoreError) -> String {
        let oldestRoot: UInt64?
        do { oldestRoot = try tables.tree.versions(from: 0, limit: 1, in: transaction).first } catch {
            throw .tree(operation: "migrate", error: .store(error))
        }
        var oldestRecord: UInt64? = nil
        var recordKey: [UInt8]? = nil
        do {
            _ = try transaction.scan(tables.rounds, limit: 1) { key, _ in
                recordKey = [UInt8](key)
                return .stop
            }
        } catch {
            throw .storage(operation: "migrate", database: StoreTables.roundsName, version: nil, key: nil, error: error)
        }
        if let recordKey {
            guard let version = BigEndian.uint64(recordKey) else {
                throw .corruptStore(operation: "migrate", reason: "a round record key has \(recordKey.count) bytes, not 8")
            }
            oldestRecord = version
        }
        guard let oldestRoot else {
            return "empty store: no store.history_start until the first commit"
        }
        let start = min(oldestRoot, oldestRecord ?? oldestRoot)
        do {
            try transaction.put(tables.meta, MetaKey.historyStart, BigEndian.bytes(start))
        } catch {
            throw .storage(operation: "migrate", database: StoreTables.metaName, version: start, key: MetaKey.historyStart, error: error)
        }
        let record = oldestRecord.map { "oldest round record \($0)" } ?? "no round records"
        return "store.history_start = \(start) (oldest retained root \(oldestRoot), \(record))"
    }
}
