/// An LMDB environment: one memory-mapped data file (`data.mdb` and `lock.mdb` in a directory, or a
/// single file with `noSubdir`) holding the main database and up to `maxDatabases` named ones.
///
/// Thread safety: an `MDB_env` may be used from any thread. The wrapper always opens with
/// `MDB_NOTLS`, so read transactions belong to the `ReadTransaction` value rather than to the
/// thread, and a thread may hold several read transactions (e.g. a read inside a write). A write
/// transaction must end on the thread that began it (it holds LMDB's writer mutex); beginning a
/// second write transaction on a thread that already has one throws `EDEADLK` instead of hanging.
///
/// The environment is closed (`mdb_env_close`) when the last reference goes away. Transactions
/// keep a reference, so it cannot close under them. Do not open the same path twice in one process
/// (an LMDB rule): keep one `Environment` per path and share it.
public final class Environment: @unchecked Sendable {
    // @unchecked Sendable: `handle` is thread-safe per LMDB's contract; `writerThread` is guarded
    // by `writerLock`; everything else is immutable.

    let handle: EnvPointer
    /// The path given to `init`.
    public let path: String
    /// The flags the environment was opened with (without the always-on `MDB_NOTLS`).
    public let flags: Flags

    /// Serialises `mdb_dbi_open`, which LMDB requires to be called by one transaction at a time.
    let databaseLock = PthreadMutex()
    private let writerLock = PthreadMutex()
    private var writerThread: ThreadID?

    /// Opens (and with write access, creates) the environment at `path` (`mdb_env_create`,
    /// `mdb_env_set_mapsize`, `mdb_env_set_maxreaders`, `mdb_env_set_maxdbs`, `mdb_env_open`).
    ///
    /// - Parameters:
    ///   - path: an existing directory (or, with `.noSubdir`, the data file's path). A missing
    ///     directory fails with `.errno(ENOENT)` from `mdb_env_open`; it is not created here.
    ///   - mapSize: the maximum size of the data in bytes (rounded up to whole pages). Exceeding it
    ///     fails writes with `.mapFull`; `setMapSize` raises it.
    ///   - maxReaders: the most read transactions open at once across all processes.
    ///   - maxDatabases: the most named databases (0 allows only the unnamed main database).
    ///   - flags: see `Environment.Flags`.
    ///   - mode: permission bits of new files (0o600: owner only).
    public init(
        path: String, mapSize: Int = 1 << 30, maxReaders: Int = 126, maxDatabases: Int = 16,
        flags: Flags = [], mode: UInt32 = 0o600
    ) throws(LMDBError) {
        guard mapSize >= 0 else { throw LMDBError(code: .errno(invalidArgumentErrno), operation: "mdb_env_set_mapsize") }
        guard maxReaders > 0, let readers = UInt32(exactly: maxReaders) else {
            throw LMDBError(code: .errno(invalidArgumentErrno), operation: "mdb_env_set_maxreaders")
        }
        guard let databases = UInt32(exactly: maxDatabases) else {
            throw LMDBError(code: .errno(invalidArgumentErrno), operation: "mdb_env_set_maxdbs")
        }
        let env = try LMDBC.envCreate()
        do {
            try LMDBC.envSetMapSize(env, mapSize)
            try LMDBC.envSetMaxReaders(env, readers)
            try LMDBC.envSetMaxDatabases(env, databases)
            try LMDBC.envOpen(env, path: path, flags: flags.rawValue | LMDBC.flagNoTLS, mode: mode & 0o7777)
        } catch {
            // mdb_env_close must be called even when mdb_env_open failed.
            LMDBC.envClose(env)
            throw error
        }
        self.handle = env
        self.path = path
        self.flags = flags
    }

    deinit {
        LMDBC.envClose(handle)
    }

    /// Whether the environment was opened read-only.
    public var isReadOnly: Bool { flags.contains(.readOnly) }

    /// The largest key (and `dupSort` value) in bytes (`mdb_env_get_maxkeysize`), 511 by default.
    public var maxKeySize: Int { LMDBC.envMaxKeySize(handle) }

    /// The liblmdb version string (`mdb_version`).
    public static var libraryVersion: String { LMDBC.version() }

    // MARK: Writer bookkeeping

    /// Refuses a second write transaction on the thread that already holds one (it would wait for
    /// itself forever on LMDB's writer mutex).
    func checkNoWriterOnThisThread() throws(LMDBError) {
        let current = ThreadID.current
        let mine = writerLock.withLock { writerThread == current }
        if mine { throw LMDBError(code: .errno(deadlockErrno), operation: "mdb_txn_begin") }
    }

    func writerBegan() {
        let current = ThreadID.current
        writerLock.withLock { writerThread = current }
    }

    func writerEnded() {
        writerLock.withLock { writerThread = nil }
    }
}
