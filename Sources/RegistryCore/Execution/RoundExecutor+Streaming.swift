/// Supplies a round's prepared transactions to the executor one at a time, in index order, so that the
/// shell can verify signatures on other threads while the executor applies earlier transactions
/// (ADR 0025). The core stays pure: the implementation (threads, atomics, waiting) lives in the shell.
///
/// A source must return, for each index, exactly `TransactionPreparer.prepare(transactions[index],
/// chainID:maxBytes:)` of the round being executed. The executor still checks each entry against the
/// bytes (id, size, size limit) and prepares the transaction itself when it does not match, so a wrong
/// source can cost time but never change an outcome (D1).
public protocol PreparedTransactionSource {
    /// The prepared form of transaction `index` (0-based) of the round; may block until it is ready.
    /// Called at most once per index, in increasing order, on the executing thread.
    func prepared(at index: Int) -> PreparedTransaction
}

/// A source over an array prepared beforehand (the `execute(_:state:prepared:)` path).
struct PreparedArraySource: PreparedTransactionSource {
    let values: [PreparedTransaction]

    func prepared(at index: Int) -> PreparedTransaction { values[index] }
}

extension RoundExecutor {
    /// Executes `input` over `state`, pulling transaction `i`'s preparation from `source` just before
    /// applying it (streaming: verification of later transactions overlaps execution of earlier ones).
    /// The outcome is identical to `execute(_:state:prepared:)` for every input and every source timing.
    public func execute(_ input: RoundInput, state: any StateReader,
                        source: some PreparedTransactionSource) throws(StateError) -> RoundOutcome {
        try execute(input, state: state, preparedSource: source)
    }
}
