/// Where the time of one `StateStore.commit` went (monotonic clock, nanoseconds), and what it wrote:
/// for metrics and the benchmark. Durations only; nothing here reaches state.
public struct CommitProfile: Equatable, Sendable {
    /// Computing the tree's batch (`StateTree.apply`, reading nodes from LMDB); with
    /// `treeOverlapped`, on a helper thread while the flat state was written.
    public var treeNanoseconds: UInt64 = 0
    /// Writing nodes, stale entries and the root record.
    public var treeWriteNanoseconds: UInt64 = 0
    /// Writing the flat state, the round record and the metadata.
    public var stateWriteNanoseconds: UInt64 = 0
    /// `mdb_txn_commit`: writing the dirty pages out and, per the durability mode, syncing.
    public var commitNanoseconds: UInt64 = 0
    /// New tree nodes written.
    public var nodesWritten: Int = 0
    /// Stale index entries written.
    public var staleEntriesWritten: Int = 0

    public init() {}

    /// The whole commit, from validation to the end of `mdb_txn_commit` (less than the sum of the
    /// phases when the tree was computed in parallel).
    public var totalNanoseconds: UInt64 = 0
    /// True when the tree's batch was computed on a helper thread, overlapping the flat state writes
    /// (`Configuration.parallelCommit`).
    public var treeOverlapped = false
}
