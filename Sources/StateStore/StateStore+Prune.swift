import LMDB
import StateTree

extension StateStore {
    /// Forgets the versions outside a retention window, in one write transaction of bounded size
    /// (rule ST-14): keeps every version `v > latest − window` (a window of 0 keeps the latest only),
    /// deletes the nodes only older versions used, their stale entries and the older root records,
    /// and, with `pruneRoundRecords`, the round records of the forgotten versions. Every retained
    /// version keeps its root, values and proofs.
    ///
    /// At most `maxEntries` stale entries (so nodes), root records and round records are deleted per
    /// call; when more remain, the outcome's `isComplete` is false and the store is consistent at the
    /// outcome's `firstRetained`: call again (e.g. once per round) to continue. The flat state is not
    /// touched (it is the latest version). An empty store has nothing to prune.
    @discardableResult
    public func prune(
        retainLatest window: UInt64, maxEntries: Int, pruneRoundRecords: Bool = false
    ) throws(StateStoreError) -> PruneOutcome {
        let limit = max(maxEntries, 1)
        try awaitWriter()
        let transaction: WriteTransaction
        do { transaction = try environment.beginWrite() } catch {
            throw .storage(operation: "prune", database: nil, version: nil, key: nil, error: error)
        }
        var pending = PendingCommit(transaction: transaction, tables: tables)
        let tree = StateTree()
        let latest: UInt64?
        do { latest = try tree.latestVersion(in: pending) } catch { throw .tree(operation: "prune", error: error) }
        guard let latest else {
            return PruneOutcome(
                firstRetained: 0, nodesDeleted: 0, staleEntriesDeleted: 0, rootsDeleted: 0, roundRecordsDeleted: 0,
                isComplete: true)
        }
        // Bound the root records too: retain from the (limit+1)-th oldest version at the latest.
        var target = StateTree.firstRetained(latest: latest, window: window)
        var rootsCut = false
        let oldest: [UInt64]
        do { oldest = try pending.versions(from: 0, limit: limit + 1) } catch { throw .tree(operation: "prune", error: .store(error)) }
        if oldest.count == limit + 1, let bound = oldest.last, bound < target {
            target = bound
            rootsCut = true
        }
        let batch: PruneBatch
        do { batch = try tree.pruneBatch(firstRetained: target, limit: limit, in: pending) } catch {
            throw .tree(operation: "prune", error: error)
        }
        try tables.tree.apply(batch, in: &pending.transaction)
        var roundsDeleted = 0
        var roundsComplete = true
        if pruneRoundRecords {
            (roundsDeleted, roundsComplete) = try Self.pruneRoundRecords(
                below: batch.firstRetained, limit: limit, tables: tables, in: &pending.transaction)
        }
        do { try pending.transaction.commit() } catch {
            throw .storage(operation: "prune", database: nil, version: batch.firstRetained, key: nil, error: error)
        }
        return PruneOutcome(
            firstRetained: batch.firstRetained, nodesDeleted: batch.nodeKeys.count,
            staleEntriesDeleted: batch.staleEntries.count, rootsDeleted: batch.rootVersions.count,
            roundRecordsDeleted: roundsDeleted, isComplete: batch.isComplete && !rootsCut && roundsComplete)
    }

    /// Deletes up to `limit` round records of versions below `bound`, oldest first; reports how many
    /// and whether none below `bound` remain.
    static func pruneRoundRecords(
        below bound: UInt64, limit: Int, tables: StoreTables, in txn: inout WriteTransaction
    ) throws(StateStoreError) -> (deleted: Int, complete: Bool) {
        var keys: [[UInt8]] = []
        do {
            try txn.scan(tables.rounds, to: BigEndian.bytes(bound), limit: limit + 1) { key, _ in
                keys.append([UInt8](key))
                return .continue
            }
        } catch {
            throw .storage(operation: "prune", database: StoreTables.roundsName, version: bound, key: nil, error: error)
        }
        let complete = keys.count <= limit
        for key in keys.prefix(limit) {
            do { try txn.delete(tables.rounds, key) } catch {
                throw .storage(
                    operation: "prune", database: StoreTables.roundsName, version: BigEndian.uint64(key), key: key, error: error)
            }
        }
        return (min(keys.count, limit), complete)
    }
}
