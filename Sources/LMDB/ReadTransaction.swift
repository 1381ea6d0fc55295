/// A read-only snapshot of the environment (`mdb_txn_begin` with `MDB_RDONLY`).
///
/// Non-copyable: exactly one owner, and the transaction ends exactly once, by `commit()`,
/// `abort()`, or, if neither was called, when the value is destroyed (`mdb_txn_abort` in deinit).
/// It sees the data as of its beginning, whatever writers commit meanwhile. Keep it short: an open
/// reader stops LMDB from reusing pages freed after its snapshot, so the file grows.
///
/// Not `Sendable`; with `MDB_NOTLS` (always on) it may still be handed to another thread as a
/// `sending` value, as long as one thread uses it at a time.
public struct ReadTransaction: ~Copyable, ReadableTransaction {
    public let transactionHandle: TransactionHandle
    private var ended = false

    init(environment: Environment) throws(LMDBError) {
        let pointer = try LMDBC.txnBegin(environment.handle, readOnly: true)
        transactionHandle = TransactionHandle(pointer: pointer, environment: environment)
    }

    deinit {
        if !ended { LMDBC.txnAbort(transactionHandle.pointer) }
    }

    /// Ends the transaction (`mdb_txn_commit`). For a reader this only matters to keep database
    /// handles opened in it; otherwise it is the same as `abort()`.
    public consuming func commit() throws(LMDBError) {
        ended = true
        try LMDBC.txnCommit(transactionHandle.pointer)
    }

    /// Ends the transaction (`mdb_txn_abort`).
    public consuming func abort() {
        ended = true
        LMDBC.txnAbort(transactionHandle.pointer)
    }
}

extension Environment {
    /// Begins a read transaction (`mdb_txn_begin` with `MDB_RDONLY`). Fails with `.readersFull`
    /// when `maxReaders` transactions are open, `.mapResized` after another process grew the map.
    public func beginRead() throws(LMDBError) -> ReadTransaction {
        try ReadTransaction(environment: self)
    }

    /// Runs `body` in a read transaction and ends it afterwards, whether `body` returns or throws.
    ///
    /// Throws what `body` throws, or an `LMDBError` from `mdb_txn_begin` (the closure is untyped so
    /// that it can throw the caller's own errors; the operations inside throw `LMDBError`).
    public func read<R>(_ body: (borrowing ReadTransaction) throws -> R) throws -> R {
        let txn = try beginRead()
        let result = try body(txn)
        txn.abort()
        return result
    }
}
