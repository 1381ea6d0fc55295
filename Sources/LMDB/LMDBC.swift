// Every call into liblmdb goes through this file (the apple/swift-system style): each Swift name
// documents the C function it calls, and a non-zero return becomes an `LMDBError` that keeps the C
// code and the C function's name. Nothing outside this file imports CLMDB.
import CLMDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The raw pointer types of liblmdb, named for readability.
typealias EnvPointer = OpaquePointer  // MDB_env *
typealias TxnPointer = OpaquePointer  // MDB_txn *
typealias CursorPointer = OpaquePointer  // MDB_cursor *

enum LMDBC {
    /// Throws `LMDBError(code, operation)` when `status` is not `MDB_SUCCESS`.
    @inline(__always)
    static func check(_ status: Int32, _ operation: StaticString) throws(LMDBError) {
        if status != MDB_SUCCESS { throw LMDBError(rawCode: status, operation: "\(operation)") }
    }

    // MARK: Constants

    static let success: Int32 = MDB_SUCCESS
    static let notFound: Int32 = MDB_NOTFOUND
    static let keyExist: Int32 = MDB_KEYEXIST
    static let pageNotFound: Int32 = MDB_PAGE_NOTFOUND
    static let corrupted: Int32 = MDB_CORRUPTED
    static let panic: Int32 = MDB_PANIC
    static let versionMismatch: Int32 = MDB_VERSION_MISMATCH
    static let invalid: Int32 = MDB_INVALID
    static let mapFull: Int32 = MDB_MAP_FULL
    static let dbsFull: Int32 = MDB_DBS_FULL
    static let readersFull: Int32 = MDB_READERS_FULL
    static let tlsFull: Int32 = MDB_TLS_FULL
    static let txnFull: Int32 = MDB_TXN_FULL
    static let cursorFull: Int32 = MDB_CURSOR_FULL
    static let pageFull: Int32 = MDB_PAGE_FULL
    static let mapResized: Int32 = MDB_MAP_RESIZED
    static let incompatible: Int32 = MDB_INCOMPATIBLE
    static let badReaderSlot: Int32 = MDB_BAD_RSLOT
    static let badTxn: Int32 = MDB_BAD_TXN
    static let badValSize: Int32 = MDB_BAD_VALSIZE
    static let badDBI: Int32 = MDB_BAD_DBI

    // Environment flags (`mdb_env_open`).
    static let flagNoSubdir = UInt32(MDB_NOSUBDIR)
    static let flagNoSync = UInt32(MDB_NOSYNC)
    static let flagReadOnly = UInt32(MDB_RDONLY)
    static let flagNoMetaSync = UInt32(MDB_NOMETASYNC)
    static let flagWriteMap = UInt32(MDB_WRITEMAP)
    static let flagMapAsync = UInt32(MDB_MAPASYNC)
    static let flagNoTLS = UInt32(MDB_NOTLS)
    static let flagNoReadAhead = UInt32(MDB_NORDAHEAD)
    static let flagNoMemInit = UInt32(MDB_NOMEMINIT)

    // Database flags (`mdb_dbi_open`).
    static let dbReverseKey = UInt32(MDB_REVERSEKEY)
    static let dbDupSort = UInt32(MDB_DUPSORT)
    static let dbCreate = UInt32(MDB_CREATE)

    // Write flags (`mdb_put`).
    static let putNoOverwrite = UInt32(MDB_NOOVERWRITE)
    static let putNoDupData = UInt32(MDB_NODUPDATA)
    static let putAppend = UInt32(MDB_APPEND)
    static let putAppendDup = UInt32(MDB_APPENDDUP)

    // Copy flags (`mdb_env_copy2`).
    static let copyCompact = UInt32(MDB_CP_COMPACT)

    // MARK: Errors and version

    /// `mdb_strerror`: the message of an MDB_* code or of an errno value.
    static func errorString(_ code: Int32) -> String {
        guard let message = mdb_strerror(code) else { return "unknown error \(code)" }
        return String(cString: message)
    }

    /// `mdb_version`: the library version string, e.g. "LMDB 0.9.24: (July 24, 2019)".
    static func version() -> String {
        guard let text = mdb_version(nil, nil, nil) else { return "LMDB (unknown version)" }
        return String(cString: text)
    }

    // MARK: Environment

    /// `mdb_env_create`
    static func envCreate() throws(LMDBError) -> EnvPointer {
        var env: EnvPointer?
        try check(mdb_env_create(&env), "mdb_env_create")
        guard let env else { throw LMDBError(rawCode: LMDBC.invalid, operation: "mdb_env_create") }
        return env
    }

    /// `mdb_env_set_mapsize`
    static func envSetMapSize(_ env: EnvPointer, _ size: Int) throws(LMDBError) {
        try check(mdb_env_set_mapsize(env, size), "mdb_env_set_mapsize")
    }

    /// `mdb_env_set_maxreaders`
    static func envSetMaxReaders(_ env: EnvPointer, _ readers: UInt32) throws(LMDBError) {
        try check(mdb_env_set_maxreaders(env, readers), "mdb_env_set_maxreaders")
    }

    /// `mdb_env_set_maxdbs`
    static func envSetMaxDatabases(_ env: EnvPointer, _ count: UInt32) throws(LMDBError) {
        try check(mdb_env_set_maxdbs(env, count), "mdb_env_set_maxdbs")
    }

    /// `mdb_env_open`
    static func envOpen(_ env: EnvPointer, path: String, flags: UInt32, mode: UInt32) throws(LMDBError) {
        try check(mdb_env_open(env, path, flags, mdb_mode_t(mode)), "mdb_env_open")
    }

    /// `mdb_env_close`
    static func envClose(_ env: EnvPointer) {
        mdb_env_close(env)
    }

    /// `mdb_env_info`
    static func envInfo(_ env: EnvPointer) throws(LMDBError) -> Environment.Info {
        var info = MDB_envinfo()
        try check(mdb_env_info(env, &info), "mdb_env_info")
        return Environment.Info(
            mapSize: info.me_mapsize, lastPageNumber: info.me_last_pgno,
            lastTransactionID: info.me_last_txnid, maxReaders: Int(info.me_maxreaders),
            readersUsed: Int(info.me_numreaders))
    }

    /// `mdb_env_stat`
    static func envStat(_ env: EnvPointer) throws(LMDBError) -> Environment.Statistics {
        var stat = MDB_stat()
        try check(mdb_env_stat(env, &stat), "mdb_env_stat")
        return statistics(stat)
    }

    /// `mdb_env_sync`
    static func envSync(_ env: EnvPointer, force: Bool) throws(LMDBError) {
        try check(mdb_env_sync(env, force ? 1 : 0), "mdb_env_sync")
    }

    /// `mdb_env_get_maxkeysize`
    static func envMaxKeySize(_ env: EnvPointer) -> Int {
        Int(mdb_env_get_maxkeysize(env))
    }

    /// `mdb_env_get_flags`
    static func envFlags(_ env: EnvPointer) throws(LMDBError) -> UInt32 {
        var flags: UInt32 = 0
        try check(mdb_env_get_flags(env, &flags), "mdb_env_get_flags")
        return flags
    }

    /// `mdb_env_get_fd` then `fstat`: the size of the data file in bytes.
    static func envDataFileSize(_ env: EnvPointer) throws(LMDBError) -> Int {
        var fd: mdb_filehandle_t = -1
        try check(mdb_env_get_fd(env, &fd), "mdb_env_get_fd")
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw LMDBError(rawCode: errno, operation: "fstat") }
        return Int(info.st_size)
    }

    /// `mdb_env_copy2`
    static func envCopy(_ env: EnvPointer, to path: String, flags: UInt32) throws(LMDBError) {
        try check(mdb_env_copy2(env, path, flags), "mdb_env_copy2")
    }

    /// `mdb_reader_check`: clears reader slots of dead processes; returns how many were cleared.
    static func readerCheck(_ env: EnvPointer) throws(LMDBError) -> Int {
        var dead: Int32 = 0
        try check(mdb_reader_check(env, &dead), "mdb_reader_check")
        return Int(dead)
    }

    // MARK: Transactions

    /// `mdb_txn_begin` (no parent; `MDB_RDONLY` for a read transaction).
    static func txnBegin(_ env: EnvPointer, readOnly: Bool) throws(LMDBError) -> TxnPointer {
        var txn: TxnPointer?
        try check(mdb_txn_begin(env, nil, readOnly ? UInt32(MDB_RDONLY) : 0, &txn), "mdb_txn_begin")
        guard let txn else { throw LMDBError(rawCode: LMDBC.badTxn, operation: "mdb_txn_begin") }
        return txn
    }

    /// `mdb_txn_commit` (frees the transaction whether or not it succeeds).
    static func txnCommit(_ txn: TxnPointer) throws(LMDBError) {
        try check(mdb_txn_commit(txn), "mdb_txn_commit")
    }

    /// `mdb_txn_abort` (frees the transaction).
    static func txnAbort(_ txn: TxnPointer) {
        mdb_txn_abort(txn)
    }

    /// `mdb_txn_id`
    static func txnID(_ txn: TxnPointer) -> Int {
        Int(mdb_txn_id(txn))
    }

    // MARK: Databases

    /// `mdb_dbi_open`
    static func dbiOpen(_ txn: TxnPointer, name: String?, flags: UInt32) throws(LMDBError) -> UInt32 {
        var dbi: MDB_dbi = 0
        let status: Int32
        if let name {
            status = mdb_dbi_open(txn, name, flags, &dbi)
        } else {
            status = mdb_dbi_open(txn, nil, flags, &dbi)
        }
        try check(status, "mdb_dbi_open")
        return dbi
    }

    /// `mdb_stat`
    static func dbStat(_ txn: TxnPointer, _ dbi: UInt32) throws(LMDBError) -> Environment.Statistics {
        var stat = MDB_stat()
        try check(mdb_stat(txn, dbi, &stat), "mdb_stat")
        return statistics(stat)
    }

    private static func statistics(_ stat: MDB_stat) -> Environment.Statistics {
        Environment.Statistics(
            pageSize: Int(stat.ms_psize), depth: Int(stat.ms_depth), branchPages: stat.ms_branch_pages,
            leafPages: stat.ms_leaf_pages, overflowPages: stat.ms_overflow_pages, entries: stat.ms_entries)
    }

    /// `mdb_drop` (`delete: true` removes the database, otherwise empties it).
    static func drop(_ txn: TxnPointer, _ dbi: UInt32, delete: Bool) throws(LMDBError) {
        try check(mdb_drop(txn, dbi, delete ? 1 : 0), "mdb_drop")
    }

    // MARK: Data

    /// `mdb_get`: the value's memory (owned by LMDB, valid until the transaction ends or writes),
    /// or nil for `MDB_NOTFOUND`.
    static func get(_ txn: TxnPointer, _ dbi: UInt32, key: UnsafeRawBufferPointer) throws(LMDBError)
        -> UnsafeRawBufferPointer?
    {
        var keyVal = value(key)
        var data = MDB_val()
        let status = mdb_get(txn, dbi, &keyVal, &data)
        if status == MDB_NOTFOUND { return nil }
        try check(status, "mdb_get")
        return buffer(data)
    }

    /// `mdb_put`
    static func put(
        _ txn: TxnPointer, _ dbi: UInt32, key: UnsafeRawBufferPointer, value data: UnsafeRawBufferPointer,
        flags: UInt32
    ) throws(LMDBError) {
        var keyVal = value(key)
        var dataVal = value(data)
        try check(mdb_put(txn, dbi, &keyVal, &dataVal, flags), "mdb_put")
    }

    /// `mdb_put` with `MDB_RESERVE`: LMDB allocates `count` bytes for the value and `fill` writes them.
    static func putReserve(
        _ txn: TxnPointer, _ dbi: UInt32, key: UnsafeRawBufferPointer, count: Int, flags: UInt32,
        fill: (UnsafeMutableRawBufferPointer) -> Void
    ) throws(LMDBError) {
        var keyVal = value(key)
        var dataVal = MDB_val(mv_size: count, mv_data: nil)
        try check(mdb_put(txn, dbi, &keyVal, &dataVal, flags | UInt32(MDB_RESERVE)), "mdb_put")
        fill(UnsafeMutableRawBufferPointer(start: dataVal.mv_data, count: dataVal.mv_size))
    }

    /// `mdb_del`: false for `MDB_NOTFOUND`. With `value` only that duplicate is deleted (`MDB_DUPSORT`).
    static func delete(
        _ txn: TxnPointer, _ dbi: UInt32, key: UnsafeRawBufferPointer, value data: UnsafeRawBufferPointer?
    ) throws(LMDBError) -> Bool {
        var keyVal = value(key)
        let status: Int32
        if let data {
            var dataVal = value(data)
            status = mdb_del(txn, dbi, &keyVal, &dataVal)
        } else {
            status = mdb_del(txn, dbi, &keyVal, nil)
        }
        if status == MDB_NOTFOUND { return false }
        try check(status, "mdb_del")
        return true
    }

    /// `mdb_cmp`: compares two keys with the database's key order (<0, 0, >0).
    static func compare(
        _ txn: TxnPointer, _ dbi: UInt32, _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer
    ) -> Int32 {
        var aVal = value(a)
        var bVal = value(b)
        return mdb_cmp(txn, dbi, &aVal, &bVal)
    }

    // MARK: Cursors

    /// `mdb_cursor_open`
    static func cursorOpen(_ txn: TxnPointer, _ dbi: UInt32) throws(LMDBError) -> CursorPointer {
        var cursor: CursorPointer?
        try check(mdb_cursor_open(txn, dbi, &cursor), "mdb_cursor_open")
        guard let cursor else { throw LMDBError(rawCode: LMDBC.invalid, operation: "mdb_cursor_open") }
        return cursor
    }

    /// `mdb_cursor_close`
    static func cursorClose(_ cursor: CursorPointer) {
        mdb_cursor_close(cursor)
    }

    /// `mdb_cursor_get`: the key and value at the new position, or nil for `MDB_NOTFOUND`.
    static func cursorGet(
        _ cursor: CursorPointer, _ op: CursorOp, key: UnsafeRawBufferPointer?, value data: UnsafeRawBufferPointer?
    ) throws(LMDBError) -> (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)? {
        var keyVal = key.map(value) ?? MDB_val()
        var dataVal = data.map(value) ?? MDB_val()
        let status = mdb_cursor_get(cursor, &keyVal, &dataVal, op.c)
        if status == MDB_NOTFOUND { return nil }
        try check(status, "mdb_cursor_get")
        return (buffer(keyVal), buffer(dataVal))
    }

    /// `mdb_cursor_put`: stores the pair at or after the cursor's position; with `MDB_APPEND` the key
    /// must sort after every key in the database, and a positioned cursor saves the descent from the root.
    static func cursorPut(
        _ cursor: CursorPointer, key: UnsafeRawBufferPointer, value data: UnsafeRawBufferPointer, flags: UInt32
    ) throws(LMDBError) {
        var keyVal = value(key)
        var dataVal = value(data)
        try check(mdb_cursor_put(cursor, &keyVal, &dataVal, flags), "mdb_cursor_put")
    }

    /// `mdb_cursor_del` (the item at the cursor's position).
    static func cursorDelete(_ cursor: CursorPointer) throws(LMDBError) {
        try check(mdb_cursor_del(cursor, 0), "mdb_cursor_del")
    }

    /// The positioning operations of `mdb_cursor_get` this wrapper uses.
    enum CursorOp {
        case first, last, next, prev, getCurrent, set, setKey, setRange
        case firstDup, lastDup, nextDup, prevDup, nextNoDup, prevNoDup, getBoth, getBothRange

        var c: MDB_cursor_op {
            switch self {
            case .first: return MDB_FIRST
            case .last: return MDB_LAST
            case .next: return MDB_NEXT
            case .prev: return MDB_PREV
            case .getCurrent: return MDB_GET_CURRENT
            case .set: return MDB_SET
            case .setKey: return MDB_SET_KEY
            case .setRange: return MDB_SET_RANGE
            case .firstDup: return MDB_FIRST_DUP
            case .lastDup: return MDB_LAST_DUP
            case .nextDup: return MDB_NEXT_DUP
            case .prevDup: return MDB_PREV_DUP
            case .nextNoDup: return MDB_NEXT_NODUP
            case .prevNoDup: return MDB_PREV_NODUP
            case .getBoth: return MDB_GET_BOTH
            case .getBothRange: return MDB_GET_BOTH_RANGE
            }
        }
    }

    // MARK: MDB_val conversion

    /// A non-null address for empty inputs: LMDB may `memcpy` zero bytes from it.
    private nonisolated(unsafe) static let emptyByte = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)

    /// An `MDB_val` that points at `bytes`. LMDB does not write through it except with `MDB_RESERVE`.
    @inline(__always)
    private static func value(_ bytes: UnsafeRawBufferPointer) -> MDB_val {
        MDB_val(mv_size: bytes.count, mv_data: UnsafeMutableRawPointer(mutating: bytes.baseAddress) ?? emptyByte)
    }

    @inline(__always)
    private static func buffer(_ val: MDB_val) -> UnsafeRawBufferPointer {
        guard let data = val.mv_data else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: data, count: val.mv_size)
    }
}

// MARK: Threads (pthread), for the wrapper's own bookkeeping

/// A mutex over `pthread_mutex_t` (kept here so all C calls of the module stay in one file).
final class PthreadMutex: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        // pthread_mutex_init with default attributes cannot fail on Linux or Darwin.
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// `pthread_mutex_lock`
    func lock() { pthread_mutex_lock(mutex) }

    /// `pthread_mutex_unlock`
    func unlock() { pthread_mutex_unlock(mutex) }

    /// `pthread_mutex_lock` / `pthread_mutex_unlock` around `body`.
    func withLock<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

/// The calling thread's identity (`pthread_self`), comparable with `pthread_equal`.
struct ThreadID: Equatable, @unchecked Sendable {
    private let raw: pthread_t

    /// `pthread_self`
    static var current: ThreadID { ThreadID(raw: pthread_self()) }

    /// `pthread_equal`
    static func == (a: ThreadID, b: ThreadID) -> Bool { pthread_equal(a.raw, b.raw) != 0 }
}

/// `EDEADLK`, reported when a thread would begin a second write transaction and wait for itself.
let deadlockErrno: Int32 = EDEADLK
/// `EINVAL`, reported for arguments rejected before reaching LMDB (negative sizes).
let invalidArgumentErrno: Int32 = EINVAL
