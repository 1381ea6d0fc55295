import LMDB
import Sodium
import StateTree

extension StateStore {
    /// One change of the flat state and the tree: put `value` under `key`, or delete `key` when
    /// `value` is nil (the tree's `KeyUpdate`, so a batch passes to the tree without copying).
    public typealias Write = KeyUpdate

    /// Commits `version`: computes the tree's batch for `writes` (`StateTree`'s computation, reading the
    /// committed tree through read transactions begun under the writer lock, with the node cache and
    /// several threads for large batches, ADR 0028), then writes, in that one transaction,
    /// the new nodes, stale entries and root record (appended, ADR 0002), the flat state's puts and
    /// deletes, the round record, the metadata and the latest version, and commits it (D8). Returns
    /// the new root hash.
    ///
    /// - Parameters:
    ///   - version: above the latest committed version (any version on an empty store; gaps allowed).
    ///   - writes: strictly ascending by key bytes (so unique); keys of 1...`maxKeySize` bytes.
    ///   - roundRecord: an opaque record to keep with the version (e.g. the round's results), read back
    ///     with `Snapshot.roundRecord(version:)`; nil stores none.
    ///   - metadata: puts (and deletes, with a nil value) of opaque metadata, strictly ascending by
    ///     key; keys may not start with `store.`.
    /// - Throws: `versionNotIncreasing`, `writesNotStrictlyAscending`, `invalidKey`,
    ///   `reservedMetadataKey` before anything is written; `storage` (e.g. `MDB_MAP_FULL`) or `tree`
    ///   (e.g. a corrupt node met on the way) with nothing committed: the store stays exactly at the
    ///   previous version.
    @discardableResult
    public func commit(
        version: UInt64, writes: [Write], roundRecord: [UInt8]? = nil, metadata: [Write] = []
    ) throws(StateStoreError) -> Digest256 {
        try commitProfiled(version: version, writes: writes, roundRecord: roundRecord, metadata: metadata).root
    }

    /// `commit`, also reporting where the time went.
    public func commitProfiled(
        version: UInt64, writes: [Write], roundRecord: [UInt8]? = nil, metadata: [Write] = []
    ) throws(StateStoreError) -> (root: Digest256, profile: CommitProfile) {
        var profile = CommitProfile()
        let start = SystemCalls.monotonicNanoseconds()
        let maxKey = maxKeySize
        try Self.validate(writes, field: "writes", maxKey: maxKey)
        try Self.validate(metadata, field: "metadata", maxKey: maxKey)
        for entry in metadata where MetaKey.isReserved(entry.key) { throw .reservedMetadataKey(entry.key) }
        try awaitWriter()  // a write-behind write in flight commits first (ADR 0027)

        let transaction: WriteTransaction
        do { transaction = try environment.beginWrite() } catch {
            throw .storage(operation: "commit", database: nil, version: version, key: nil, error: error)
        }
        var pending = PendingCommit(transaction: transaction, tables: tables)
        let previous = try pending.metaLatest(operation: "commit")
        if let latest = previous, version <= latest {
            throw .versionNotIncreasing(version: version, latest: latest)
        }
        // The tree's batch is computed from the committed tree through read transactions begun here,
        // while this thread holds the writer lock, so they see the latest commit (`computeTree`: node
        // cache, several threads for a large batch; ADR 0028) — with `parallelCommit` on a helper
        // thread while this thread writes the flat state. Without a free reader slot it is computed
        // here through the write transaction (a commit never fails for lack of slots).
        let job = TreeJob()
        var helper: SystemCalls.HelperThread? = nil
        var helperStarted = false
        if let reader = try? environment.beginRead() {
            if configuration.parallelCommit {
                let handoff = ReaderHandoff(reader)
                helper = SystemCalls.startThread { [self] in
                    if let reader = handoff.take() { computeTree(reader, version: version, writes: writes, into: job) }
                }
                helperStarted = helper != nil
                if !helperStarted, let reader = handoff.take() {
                    computeTree(reader, version: version, writes: writes, into: job)
                }
            } else {
                computeTree(reader, version: version, writes: writes, into: job)
            }
        } else {
            let tree = commitTree, cache = nodeCache.table(), depth = nodeCache.depth
            job.run { () throws(StateStoreError) in
                do throws(StateTreeError) {
                    return try tree.compute(version: version, updates: writes, cache: cache, cacheDepth: depth, in: pending)
                } catch .versionNotIncreasing(let version, let latest) {
                    throw .versionNotIncreasing(version: version, latest: latest)
                } catch {
                    throw .tree(operation: "commit", error: error)
                }
            }
        }
        let stateStart = SystemCalls.monotonicNanoseconds()
        // Nothing may throw between starting the helper and joining it.
        var flatError: StateStoreError? = nil
        do { try Self.writeFlatState(writes, version: version, tables: tables, in: &pending.transaction) } catch {
            flatError = error
        }
        let stateWritten = SystemCalls.monotonicNanoseconds()
        if let thread = helper.take() { thread.join() }
        if let flatError { throw flatError }
        guard let computed = job.result else {
            throw .corruptStore(operation: "commit", reason: "the tree computation produced no result")
        }
        let computation = try computed.get()
        let (root, batch) = (computation.rootHash, computation.batch)
        nodeCache.stage(computation)
        let treeStart = SystemCalls.monotonicNanoseconds()
        try tables.tree.write(batch, in: &pending.transaction)
        let treeWritten = SystemCalls.monotonicNanoseconds()
        // The round record, the metadata, `store.latest` and, on the first commit of an empty store,
        // `store.history_start` (schema 2, ADR 0020): the same records the write-behind writer writes.
        try Self.writeVersionRecords(
            version: version, first: previous == nil, roundRecord: roundRecord, metadata: metadata, operation: "commit",
            tables: tables, in: &pending.transaction)
        let recordsWritten = SystemCalls.monotonicNanoseconds()
        do {
            try pending.transaction.commit()
        } catch {
            throw .storage(operation: "commit", database: nil, version: version, key: nil, error: error)
        }
        treeBatchCommitted(batch)
        let committed = SystemCalls.monotonicNanoseconds()
        profile.treeNanoseconds = job.nanoseconds
        profile.treeWriteNanoseconds = treeWritten &- treeStart
        profile.stateWriteNanoseconds = (stateWritten &- stateStart) &+ (recordsWritten &- treeWritten)
        profile.commitNanoseconds = committed &- recordsWritten
        profile.totalNanoseconds = committed &- start
        profile.treeOverlapped = helperStarted
        profile.nodesWritten = batch.nodes.count
        profile.staleEntriesWritten = batch.staleEntries.count
        return (root, profile)
    }

    /// `computeTree` into `job`, timed.
    private func computeTree(_ reader: consuming ReadTransaction, version: UInt64, writes: [Write], into job: TreeJob) {
        let started = SystemCalls.monotonicNanoseconds()
        do throws(StateStoreError) {
            job.result = .success(try computeTree(reader, version: version, writes: writes))
        } catch {
            job.result = .failure(error)
        }
        job.nanoseconds = SystemCalls.monotonicNanoseconds() &- started
    }

    /// Puts and deletes of the flat state (`state`). The puts go through one cursor
    /// (`mdb_cursor_put`): the writes are in key order, and LMDB skips the descent from the root when
    /// the next key falls in the page the cursor is on.
    static func writeFlatState(
        _ writes: [Write], version: UInt64, tables: StoreTables, in txn: inout WriteTransaction
    ) throws(StateStoreError) {
        var failedKey: [UInt8] = []
        do {
            try txn.withCursor(tables.state) { cursor in
                for write in writes {
                    failedKey = write.key
                    if let value = write.value {
                        try cursor.put(write.key, value)
                    } else {
                        try cursor.delete(write.key)
                    }
                }
            }
        } catch let error as LMDBError {
            throw .storage(operation: "commit", database: StoreTables.stateName, version: version, key: failedKey, error: error)
        } catch {
            throw .corruptStore(operation: "commit", reason: "\(StoreTables.stateName): unexpected error \(error)")
        }
    }

    /// Puts and deletes in `meta` (the shell's metadata and the store's own keys); a failure names the
    /// key and the calling `operation`.
    static func writeMetadata(
        _ entries: [Write], operation: String, version: UInt64, tables: StoreTables, in txn: inout WriteTransaction
    ) throws(StateStoreError) {
        for entry in entries {
            do {
                if let value = entry.value {
                    try txn.put(tables.meta, entry.key, value)
                } else {
                    try txn.delete(tables.meta, entry.key)
                }
            } catch {
                throw .storage(operation: operation, database: StoreTables.metaName, version: version, key: entry.key, error: error)
            }
        }
    }

    /// Keys strictly ascending, of 1...maxKey bytes.
    static func validate(_ writes: [Write], field: String, maxKey: Int) throws(StateStoreError) {
        var previous: [UInt8]? = nil
        for (index, write) in writes.enumerated() {
            let count = write.key.count
            guard count >= 1, count <= maxKey else {
                throw .invalidKey(field: field, index: index, length: count, maxLength: maxKey)
            }
            if let previous, !KeyUpdate.keyPrecedes(previous, write.key) {
                throw .writesNotStrictlyAscending(field: field, index: index)
            }
            previous = write.key
        }
    }
}

/// The tree's computation for a commit, made on the committing thread or on the helper thread and read
/// back after `join` (which orders the helper's writes before the committer's reads).
final class TreeJob: @unchecked Sendable {
    var result: Result<TreeComputation, StateStoreError>?
    var nanoseconds: UInt64 = 0

    /// Runs `body` on this thread, keeping its result and duration.
    func run(_ body: () throws(StateStoreError) -> TreeComputation) {
        let started = SystemCalls.monotonicNanoseconds()
        do { result = .success(try body()) } catch { result = .failure(error) }
        nanoseconds = SystemCalls.monotonicNanoseconds() &- started
    }
}

/// Moves a read transaction begun on the committing thread to the helper thread. LMDB allows it: the
/// environment runs with `MDB_NOTLS`, and one thread at a time uses the transaction (ADR 0003).
final class ReaderHandoff: @unchecked Sendable {
    private var reader: ReadTransaction?

    init(_ reader: consuming ReadTransaction) { self.reader = consume reader }

    /// The transaction, once; nil afterwards.
    func take() -> ReadTransaction? { reader.take() }
}
