import LMDB
import StateTree

extension StateStore {
    /// When a commit reaches the disk (ADR 0008).
    public enum Durability: String, Sendable, Equatable, CaseIterable {
        /// `fdatasync` of the data pages and again of the meta page at every commit: a committed round
        /// survives a power loss. Two flushes per commit.
        case full
        /// `MDB_NOMETASYNC`: the data pages are flushed at every commit, the meta page at the next
        /// commit (or by the OS). A power loss may undo the last committed round but never corrupts
        /// the store; a process crash loses nothing. One flush per commit. The default (ADR 0008).
        case noMetaSync
        /// `MDB_NOSYNC`: nothing is flushed at commit; the OS writes back when it likes. A process
        /// crash loses nothing, a power loss may lose several rounds and, on file systems that reorder
        /// writes, damage the store. For tests, benchmarks and throw-away replicas only.
        case noSync

        var flags: Environment.Flags {
            switch self {
            case .full: return []
            case .noMetaSync: return .noMetaSync
            case .noSync: return .noSync
            }
        }
    }

    /// How a store is opened. The defaults suit a validator; see ADR 0007 and ADR 0008.
    public struct Configuration: Sendable, Equatable {
        /// The largest size of the data file in bytes (`mdb_env_set_mapsize`): address space reserved
        /// up front, not disk. A commit that would exceed it fails with `MDB_MAP_FULL` and changes
        /// nothing; `StateStore.setMapSize` raises it. Default 64 GiB.
        public var mapSize: Int
        /// The most snapshots (read transactions) open at once across processes
        /// (`mdb_env_set_maxreaders`). Default 126.
        public var maxReaders: Int
        /// When commits are flushed to disk. Default `.noMetaSync` (ADR 0008).
        public var durability: Durability
        /// Create the data directory (and missing parents) if it does not exist. Default true.
        public var createDirectory: Bool
        /// The checks `commit` makes on the nodes it reads from this store while computing the new
        /// version. Default `.full` (ADR 0007): a damaged node stops the commit (fail-stop) instead of
        /// flowing into a wrong root or a wrong stored leaf; `.structural` saves about 9% of the commit's
        /// CPU time. `get` always checks fully.
        public var commitVerification: StateTree.NodeVerification
        /// Open read-only (`MDB_RDONLY`): snapshots only; `commit` and `prune` fail with `EACCES`.
        public var readOnly: Bool
        /// `MDB_WRITEMAP`: commits write pages in place in a writable shared map instead of `pwrite`
        /// (ADR 0008). Default false.
        public var writeMap: Bool
        /// Compute the tree's batch on a helper thread (through a read transaction begun under the
        /// writer lock) while the committing thread writes the flat state into the write transaction.
        /// Same result; it can shorten a commit by the flat-state writes when a core is free, which the
        /// shared 2-core benchmark machine could not show (ADR 0007). Without a free reader slot the
        /// commit falls back to computing the tree on its own thread. Default false.
        public var parallelCommit: Bool
        /// Threads that compute a commit's tree (ADR 0028): the root's 16 subtrees are split into this
        /// many groups balanced by update count, each computed through its own read transaction, and
        /// merged; the batch is byte-identical to the one-thread computation. 1 computes on the
        /// committing thread only. Default: the number of online cores, at most 4.
        public var treeThreads: Int
        /// Batches with fewer updates than this are computed on one thread (starting threads costs
        /// more than it saves). Default 256.
        public var parallelTreeThreshold: Int
        /// The node cache of the commit path (ADR 0028) keeps the decoded internal nodes of the latest
        /// tree at paths of at most this many nibbles (4: up to 69,905 nodes in 816-byte slots, about
        /// 57 MB when the tree has 1M keys; ADR 0031); a cached node is not read, copied, decoded or
        /// re-hashed again. At most 5 (`NodeCacheTable.maxDepth`: larger values are clamped); -1 turns
        /// the cache off. Default 4.
        public var nodeCacheDepth: Int

        /// The default `treeThreads`: the online cores, between 1 and 4.
        public static var defaultTreeThreads: Int { min(max(TreeThreads.onlineCores(), 1), 4) }

        public init(
            mapSize: Int = 64 << 30, maxReaders: Int = 126, durability: Durability = .noMetaSync,
            createDirectory: Bool = true, commitVerification: StateTree.NodeVerification = .full,
            readOnly: Bool = false, writeMap: Bool = false, parallelCommit: Bool = false,
            treeThreads: Int = Configuration.defaultTreeThreads, parallelTreeThreshold: Int = 256,
            nodeCacheDepth: Int = 4
        ) {
            self.treeThreads = treeThreads
            self.parallelTreeThreshold = parallelTreeThreshold
            self.nodeCacheDepth = nodeCacheDepth
            self.mapSize = mapSize
            self.maxReaders = maxReaders
            self.durability = durability
            self.createDirectory = createDirectory
            self.commitVerification = commitVerification
            self.readOnly = readOnly
            self.writeMap = writeMap
            self.parallelCommit = parallelCommit
        }
    }
}
