import LMDB
import Sodium
import StateTree

extension StateStore {
    /// Commits `version` write-behind (ADR 0027): validates like `commit`, waits for the write in
    /// flight (at most one), computes the tree's batch and root from the committed tree, hands the
    /// whole write (tree batch, flat state, round record, metadata, `store.latest`, on the first commit
    /// `store.history_start`) to the store's writer thread and returns the root before it is durable.
    ///
    /// The write commits in one LMDB transaction, exactly what `commit` would write (D8); until it
    /// has, snapshots still see the previous version. `awaitCommitted` waits for it. Call from one
    /// committing thread.
    ///
    /// - Throws: the errors of `commit` (`versionNotIncreasing`, `writesNotStrictlyAscending`,
    ///   `invalidKey`, `reservedMetadataKey`, `tree`, `storage`) with nothing handed off and nothing
    ///   written; `writeBehindFailed` when an earlier write-behind commit failed (the store then refuses
    ///   every commit until reopened).
    @discardableResult
    public func commitWriteBehind(
        version: UInt64, writes: [Write], roundRecord: [UInt8]? = nil, metadata: [Write] = []
    ) throws(StateStoreError) -> Digest256 {
        try commitWriteBehindProfiled(version: version, writes: writes, roundRecord: roundRecord, metadata: metadata).root
    }

    /// `commitWriteBehind`, also reporting the barrier wait and the time to the root. The durable
    /// latency of the write is reported later by `lastBackgroundWrite`.
    public func commitWriteBehindProfiled(
        version: UInt64, writes: [Write], roundRecord: [UInt8]? = nil, metadata: [Write] = []
    ) throws(StateStoreError) -> (root: Digest256, profile: WriteBehindProfile) {
        let start = SystemCalls.monotonicNanoseconds()
        var profile = WriteBehindProfile()
        let maxKey = maxKeySize
        try Self.validate(writes, field: "writes", maxKey: maxKey)
        try Self.validate(metadata, field: "metadata", maxKey: maxKey)
        for entry in metadata where MetaKey.isReserved(entry.key) { throw .reservedMetadataKey(entry.key) }
        try writer.awaitIdle()
        let barrierDone = SystemCalls.monotonicNanoseconds()
        profile.barrierNanoseconds = barrierDone &- start
        // Nothing is in flight: the latest version a snapshot sees is the store's latest.
        let previous = try latestVersion()
        if let latest = previous, version <= latest {
            throw .versionNotIncreasing(version: version, latest: latest)
        }
        let computation = try computeTreeBatch(version: version, writes: writes)
        let root = computation.rootHash
        let computed = SystemCalls.monotonicNanoseconds()
        profile.treeNanoseconds = computed &- barrierDone
        try writer.submit(version: version, callStarted: start) { [self] () -> StateStoreError? in
            do throws(StateStoreError) {
                // Sorted into key order here, on the writer thread (ADR 0030).
                try writeBehind(
                    version: version, previous: previous, writes: writes, batch: computation.batch,
                    roundRecord: roundRecord, metadata: metadata)
                return nil
            } catch {
                return error
            }
        }
        profile.rootNanoseconds = SystemCalls.monotonicNanoseconds() &- start
        return (root, profile)
    }

    /// Returns when no write-behind commit is in flight (its write is committed and visible to new
    /// snapshots). Throws `writeBehindFailed` when a write-behind commit failed (on every call, until
    /// the store is reopened).
    public func awaitCommitted() throws(StateStoreError) {
        try writer.awaitIdle()
    }

    /// The version whose write-behind write is in flight (root returned, not yet committed), if any.
    public var versionInFlight: UInt64? { writer.versionInFlight }

    /// The last write-behind write the writer finished: its version, the writer's time and the
    /// durable latency (call → committed).
    public var lastBackgroundWrite: BackgroundWrite? { writer.lastWrite }

    /// Waits for the store's writer at the start of `prune`, `importFlatState`, `importTree` (and
    /// `commit`); rethrows its failure.
    func awaitWriter() throws(StateStoreError) {
        try writer.awaitIdle()
    }

    /// The writer thread's part: one write transaction holding everything `commit` writes for
    /// `version`, after checking that `store.latest` is still `previous`; then the tree cache hook.
    private func writeBehind(
        version: UInt64, previous: UInt64?, writes: [Write], batch: TreeUpdateBatch, roundRecord: [UInt8]?,
        metadata: [Write]
    ) throws(StateStoreError) {
        let transaction: WriteTransaction
        do { transaction = try environment.beginWrite() } catch {
            throw .storage(operation: "commitWriteBehind", database: nil, version: version, key: nil, error: error)
        }
        var pending = PendingCommit(transaction: transaction, tables: tables)
        let latest = try pending.metaLatest(operation: "commitWriteBehind")
        guard latest == previous else {
            throw .corruptStore(
                operation: "commitWriteBehind",
                reason: "version \(version) was computed over \(previous.map(String.init) ?? "an empty store") but the store is at \(latest.map(String.init) ?? "no version")")
        }
        try Self.writeFlatState(writes, version: version, tables: tables, in: &pending.transaction)
        try tables.tree.write(batch, in: &pending.transaction)
        try Self.writeVersionRecords(
            version: version, first: previous == nil, roundRecord: roundRecord, metadata: metadata,
            operation: "commitWriteBehind", tables: tables, in: &pending.transaction)
        do { try pending.transaction.commit() } catch {
            throw .storage(operation: "commitWriteBehind", database: nil, version: version, key: nil, error: error)
        }
        treeBatchCommitted(batch)
    }

    /// The round record (appended), the shell's metadata, `store.latest` and, for the first version of
    /// an empty store, `store.history_start` (ADR 0020): what a commit writes beside the tree and the
    /// flat state.
    static func writeVersionRecords(
        version: UInt64, first: Bool, roundRecord: [UInt8]?, metadata: [Write], operation: String,
        tables: StoreTables, in txn: inout WriteTransaction
    ) throws(StateStoreError) {
        let versionKey = BigEndian.bytes(version)
        if let roundRecord {
            do { try txn.put(tables.rounds, versionKey, roundRecord, flags: .append) } catch {
                throw .storage(operation: operation, database: StoreTables.roundsName, version: version, key: versionKey, error: error)
            }
        }
        var entries = metadata
        entries.append(.put(MetaKey.latest, versionKey))
        if first { entries.append(.put(MetaKey.historyStart, versionKey)) }
        try writeMetadata(entries, operation: operation, version: version, tables: tables, in: &txn)
    }
}

/// Where the time of one `StateStore.commitWriteBehind` went until the root was returned
/// (monotonic nanoseconds; durations only). The write's own time: `StateStore.lastBackgroundWrite`.
public struct WriteBehindProfile: Equatable, Sendable {
    /// Waiting for the previous write-behind write (the barrier).
    public var barrierNanoseconds: UInt64 = 0
    /// Reading the latest version and computing the tree's batch and root (`computeTreeBatch`).
    public var treeNanoseconds: UInt64 = 0
    /// Root latency: the call → the root returned (validation, barrier, tree, hand-off).
    public var rootNanoseconds: UInt64 = 0

    public init() {}
}
