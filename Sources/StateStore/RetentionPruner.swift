/// The retention policy applied after each committed round (ADR 0023): while more than `window`
/// versions are retained, one bounded `StateStore.prune` step (at most `batchEntries` entries,
/// round records included) per call. It remembers the oldest retained version so that, once the
/// window is reached, rounds that have nothing to forget open no write transaction.
///
/// Used by the plugin's consensus service and by `registry-bench retention`, so the benchmark
/// measures the policy the plugin runs. Not thread-safe: the single writer owns it.
public struct RetentionPruner: Sendable, Equatable {
    /// Versions kept (roots, proofs, round records); 0 keeps every version.
    public let window: UInt64
    /// The most entries one step deletes.
    public let batchEntries: Int
    /// The oldest retained version as of the last complete step (nil: unknown, prune at the next call).
    public private(set) var earliestRetained: UInt64?

    public init(window: UInt64, batchEntries: Int) {
        self.window = window
        self.batchEntries = batchEntries
    }

    /// Whether a step is due after committing `latest`.
    public func isDue(latest: UInt64) -> Bool {
        guard window > 0 else { return false }
        if let earliest = earliestRetained, latest < earliest || latest - earliest < window { return false }
        return true
    }

    /// After committing version `latest`: one prune step if due (nil when none was). A failed step
    /// changes nothing in the store; the next call tries again.
    @discardableResult
    public mutating func afterCommit(latest: UInt64, store: StateStore) throws(StateStoreError) -> PruneOutcome? {
        guard isDue(latest: latest) else { return nil }
        do {
            let outcome = try store.prune(retainLatest: window, maxEntries: batchEntries, pruneRoundRecords: true)
            earliestRetained = outcome.isComplete ? outcome.firstRetained : nil
            return outcome
        } catch {
            earliestRetained = nil
            throw error
        }
    }
}
