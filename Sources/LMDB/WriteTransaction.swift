/// The one write transaction of the environment (`mdb_txn_begin` without flags).
///
/// Non-copyable: exactly one owner, ended exactly once by `commit()` (changes become visible and
/// durable atomically) or `abort()` (changes vanish). If neither is called, destroying the value
/// aborts, so an early return or a thrown error can never leave a half-written state. Writers are
/// serialised by LMDB: `beginWrite` waits while another thread or process writes.
///
/// Not `Sendable`: end it on the thread that began it (it holds LMDB's writer mutex), and do not
/// keep it across an `await`. Use `Environment.write` for the common case.
///
/// After any failed write (e.g. `.mapFull`) LMDB marks the transaction as failed: further
/// operations and `commit()` report `.badTxn`; abort it.
public struct WriteTransaction: ~Copyable, ReadableTransaction {
    public let transactionHandle: TransactionHandle
    private var ended = false

    init(environment: Environment) throws(LMDBError) {
        try environment.checkNoWriterOnThisThread()
        let pointer = try LMDBC.txnBegin(environment.handle, readOnly: false)
        environment.writerBegan()
        transactionHandle = TransactionHandle(pointer: pointer, environment: environment)
    }

    deinit {
        if !ended {
            LMDBC.txnAbort(transactionHandle.pointer)
            transactionHandle.environment.writerEnded()
        }
    }

    /// Makes every change of the transaction visible and durable, atomically (`mdb_txn_commit`).
    /// On failure nothing was committed and the transaction is gone.
    public consuming func commit() throws(LMDBError) {
        ended = true
        defer { transactionHandle.environment.writerEnded() }
        try LMDBC.txnCommit(transactionHandle.pointer)
    }

    /// Discards every change of the transaction (`mdb_txn_abort`).
    public consuming func abort() {
        ended = true
        LMDBC.txnAbort(transactionHandle.pointer)
        transactionHandle.environment.writerEnded()
    }
}

extension Environment {
    /// Begins the write transaction (`mdb_txn_begin`). Waits while another writer is active; fails
    /// with `.errno(EACCES)` in a read-only environment and with `.errno(EDEADLK)` if this thread
    /// already has a write transaction open.
    public func beginWrite() throws(LMDBError) -> WriteTransaction {
        try WriteTransaction(environment: self)
    }

    /// Runs `body` in a write transaction: commits when `body` returns, aborts when it throws.
    ///
    /// Throws what `body` throws, or an `LMDBError` from `mdb_txn_begin` / `mdb_txn_commit`. The
    /// closure is untyped so that it can throw the caller's own errors; for an entirely typed path
    /// use `beginWrite()` and `commit()`: a transaction dropped before `commit()` aborts.
    public func write<R>(_ body: (inout WriteTransaction) throws -> R) throws -> R {
        var txn = try beginWrite()
        let result = try body(&txn)
        try txn.commit()
        return result
    }
}
