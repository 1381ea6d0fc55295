extension Environment {
    /// Options of `mdb_env_open`. `MDB_NOTLS` is always added by the wrapper (see `Environment`).
    public struct Flags: OptionSet, Sendable, Hashable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// `MDB_RDONLY`: no write transactions; beginning one fails with `.errno(EACCES)`.
        public static let readOnly = Flags(rawValue: LMDBC.flagReadOnly)
        /// `MDB_NOSUBDIR`: `path` is the data file itself; the lock file is `path-lock`.
        public static let noSubdir = Flags(rawValue: LMDBC.flagNoSubdir)
        /// `MDB_NOSYNC`: no fsync at commit. A crash may lose the last transactions (never corrupts
        /// with the default read-write map); call `sync(force: true)` at safe points.
        public static let noSync = Flags(rawValue: LMDBC.flagNoSync)
        /// `MDB_NOMETASYNC`: fsync data but not the meta page at commit; a crash may lose the last
        /// transaction but keeps durability of earlier ones.
        public static let noMetaSync = Flags(rawValue: LMDBC.flagNoMetaSync)
        /// `MDB_WRITEMAP`: write through a writable memory map (faster, less protection against
        /// stray pointer writes).
        public static let writeMap = Flags(rawValue: LMDBC.flagWriteMap)
        /// `MDB_MAPASYNC`: with `writeMap`, flush asynchronously.
        public static let mapAsync = Flags(rawValue: LMDBC.flagMapAsync)
        /// `MDB_NORDAHEAD`: no OS read-ahead (helps random reads of databases larger than RAM).
        public static let noReadAhead = Flags(rawValue: LMDBC.flagNoReadAhead)
        /// `MDB_NOMEMINIT`: do not zero malloc'd pages before writing them.
        public static let noMemInit = Flags(rawValue: LMDBC.flagNoMemInit)
    }
}
