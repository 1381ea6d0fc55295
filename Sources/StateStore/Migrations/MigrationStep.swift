import LMDB

/// One step of the store's layout from schema `from` to `from + 1` (ADR 0020). Each step is its own
/// documented type in `Migrations/`, listed in `StateStore.migrationSteps` in order.
///
/// `apply` makes the step's changes inside the write transaction it is given; the framework then
/// writes `store.schema = to` in the same transaction and commits it, so a crash mid-step leaves the
/// store at `from`, untouched. A step must not commit, abort or begin transactions itself. A step too
/// large for one transaction would instead be split into bounded, resumable transactions that each
/// leave a store the step can resume (ADR 0020); none needs that yet.
protocol MigrationStep: Sendable {
    /// The schema this step reads; it writes `from + 1`.
    var from: UInt32 { get }
    /// A short name for reports (e.g. `"history-start"`).
    var name: String { get }
    /// Makes the step's changes in `transaction` and returns a one-line summary of what it did, for
    /// the migration report. Throws, with nothing committed, when the store's data does not allow it.
    func apply(in transaction: inout WriteTransaction, tables: StoreTables) throws(StateStoreError) -> String
}

extension MigrationStep {
    /// The schema this step writes.
    var to: UInt32 { from + 1 }
}
