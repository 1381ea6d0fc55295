extension Environment {
    /// The environment's map and reader figures (`MDB_envinfo`).
    public struct Info: Sendable, Equatable {
        /// Size of the memory map in bytes (`me_mapsize`).
        public var mapSize: Int
        /// Number of the last used page (`me_last_pgno`); `(lastPageNumber + 1) * pageSize` bytes are in use.
        public var lastPageNumber: Int
        /// ID of the last committed transaction (`me_last_txnid`).
        public var lastTransactionID: Int
        /// Reader slots in the environment (`me_maxreaders`).
        public var maxReaders: Int
        /// Reader slots used (`me_numreaders`).
        public var readersUsed: Int
    }

    /// B-tree figures of a database or of the main database (`MDB_stat`).
    public struct Statistics: Sendable, Equatable {
        /// Page size in bytes (`ms_psize`).
        public var pageSize: Int
        /// Height of the B-tree (`ms_depth`).
        public var depth: Int
        /// Internal pages (`ms_branch_pages`).
        public var branchPages: Int
        /// Leaf pages (`ms_leaf_pages`).
        public var leafPages: Int
        /// Overflow pages for large values (`ms_overflow_pages`).
        public var overflowPages: Int
        /// Number of key/value pairs (`ms_entries`).
        public var entries: Int
    }

    /// Map size, last page, last transaction and readers (`mdb_env_info`).
    public func info() throws(LMDBError) -> Info {
        try LMDBC.envInfo(handle)
    }

    /// Statistics of the main (unnamed) database (`mdb_env_stat`).
    public func stat() throws(LMDBError) -> Statistics {
        try LMDBC.envStat(handle)
    }

    /// Bytes in use in the map: `(lastPageNumber + 1) * pageSize`.
    public func usedBytes() throws(LMDBError) -> Int {
        let info = try info()
        let pageSize = try stat().pageSize
        let (product, overflow) = (info.lastPageNumber + 1).multipliedReportingOverflow(by: pageSize)
        return overflow ? Int.max : product
    }

    /// The size of the data file on disk in bytes (`mdb_env_get_fd`, `fstat`).
    public func sizeOnDisk() throws(LMDBError) -> Int {
        try LMDBC.envDataFileSize(handle)
    }

    /// Changes the map size (`mdb_env_set_mapsize`). No transaction of this process may be open.
    /// `0` adopts the size another process set (after `.mapResized`). The size never shrinks below
    /// the data in use.
    public func setMapSize(_ bytes: Int) throws(LMDBError) {
        guard bytes >= 0 else { throw LMDBError(code: .errno(invalidArgumentErrno), operation: "mdb_env_set_mapsize") }
        try LMDBC.envSetMapSize(handle, bytes)
    }

    /// Flushes buffers to disk (`mdb_env_sync`). `force` syncs even with `noSync`/`noMetaSync`.
    public func sync(force: Bool = true) throws(LMDBError) {
        try LMDBC.envSync(handle, force: force)
    }

    /// Copies the environment to the existing, empty directory `path` (`mdb_env_copy2`), a
    /// consistent snapshot taken in a read transaction. `compact` omits free pages.
    public func copy(to path: String, compact: Bool = false) throws(LMDBError) {
        try LMDBC.envCopy(handle, to: path, flags: compact ? LMDBC.copyCompact : 0)
    }

    /// Frees reader slots left by dead processes (`mdb_reader_check`); returns how many.
    @discardableResult
    public func clearStaleReaders() throws(LMDBError) -> Int {
        try LMDBC.readerCheck(handle)
    }
}
