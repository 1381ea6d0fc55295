/// The raw transaction behind a `ReadTransaction` or `WriteTransaction`. Opaque: it only lets the
/// shared read operations of `ReadableTransaction` reach the C handle.
public struct TransactionHandle {
    let pointer: TxnPointer
    let environment: Environment
}

/// What both transaction kinds can do: point reads, range scans, cursors and statistics.
///
/// Generic code reads from either kind with `func f<T: ReadableTransaction & ~Copyable>(_ txn: borrowing T)`.
/// Only this module's `ReadTransaction` and `WriteTransaction` provide a handle.
public protocol ReadableTransaction: ~Copyable {
    /// The underlying transaction, for the operations in this module's extensions.
    var transactionHandle: TransactionHandle { get }
}

extension ReadableTransaction where Self: ~Copyable {
    var pointer: TxnPointer { transactionHandle.pointer }

    /// The environment this transaction reads.
    public var environment: Environment { transactionHandle.environment }

    /// The transaction's ID (`mdb_txn_id`): for a read transaction, the ID of the snapshot it sees.
    public var id: Int { LMDBC.txnID(pointer) }

    /// A copy of the value stored under `key`, or nil when there is none (`mdb_get`; `MDB_NOTFOUND`
    /// is not an error here).
    public func get(_ db: Database, _ key: [UInt8]) throws(LMDBError) -> [UInt8]? {
        try withBytes(key) { (key) throws(LMDBError) -> [UInt8]? in
            guard let value = try LMDBC.get(pointer, db.dbi, key: key) else { return nil }
            return [UInt8](value)
        }
    }

    /// A copy of the value stored under the key in `key`'s memory, or nil when there is none (`mdb_get`):
    /// `get(_:_:)` for a key built in a stack buffer, without allocating an array for it.
    public func get(_ db: Database, rawKey key: UnsafeRawBufferPointer) throws(LMDBError) -> [UInt8]? {
        guard let value = try LMDBC.get(pointer, db.dbi, key: key) else { return nil }
        return [UInt8](value)
    }

    /// Calls `body` with the value's memory inside the map, without copying, or with nil when the
    /// key is absent (`mdb_get`). The memory is valid only during `body`; do not let it escape.
    /// To fail from `body`, return a `Result` or an optional.
    public func withValue<R>(
        _ db: Database, _ key: [UInt8], _ body: (UnsafeRawBufferPointer?) -> R
    ) throws(LMDBError) -> R {
        try withBytes(key) { (key) throws(LMDBError) -> R in
            body(try LMDBC.get(pointer, db.dbi, key: key))
        }
    }

    /// `withValue(_:_:_:)` for a key built in a stack buffer, without allocating an array for it; not
    /// generic, so a caller in another module pays no generic dispatch (`body` keeps what it needs).
    public func withValue(
        _ db: Database, rawKey key: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer?) -> Void
    ) throws(LMDBError) {
        body(try LMDBC.get(pointer, db.dbi, key: key))
    }

    /// Whether `key` has a value (`mdb_get`).
    public func contains(_ db: Database, _ key: [UInt8]) throws(LMDBError) -> Bool {
        try withValue(db, key) { $0 != nil }
    }

    /// B-tree statistics of `db` as this transaction sees it, including its entry count (`mdb_stat`).
    public func stat(_ db: Database) throws(LMDBError) -> Environment.Statistics {
        try LMDBC.dbStat(pointer, db.dbi)
    }

    /// Opens a cursor on `db` (`mdb_cursor_open`) for the duration of `body`, then closes it
    /// (`mdb_cursor_close`). Throws an `LMDBError` from `mdb_cursor_open`, or what `body` throws.
    public func withCursor<R>(_ db: Database, _ body: (inout Cursor) throws -> R) throws -> R {
        var cursor = Cursor(pointer: try LMDBC.cursorOpen(pointer, db.dbi))
        return try body(&cursor)
    }
}
