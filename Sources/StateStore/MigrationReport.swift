/// What `StateStore.migrate` did (or, in a dry run, would do) to a store (ADR 0020).
public struct MigrationReport: Sendable, Equatable {
    /// One step `from` → `to` = `from + 1`.
    public struct Step: Sendable, Equatable {
        /// The schema the step read.
        public let from: UInt32
        /// The schema the step wrote.
        public let to: UInt32
        /// The step's short name (e.g. `"history-start"`).
        public let name: String
        /// One line: what the step changed (e.g. the `store.history_start` it set).
        public let summary: String
        /// Wall time of the step's transaction (monotonic clock), in nanoseconds.
        public let durationNanoseconds: UInt64
    }

    /// The data directory.
    public let directory: String
    /// The schema found before migrating.
    public let from: UInt32
    /// The schema after migrating (in a dry run: the schema the steps would reach; the store stays at
    /// `from`).
    public let to: UInt32
    /// True when nothing was committed: the steps ran in one write transaction that was aborted.
    public let dryRun: Bool
    /// The steps run, oldest first; empty when the store already had the current schema.
    public let steps: [Step]
    /// The latest committed version of the store (nil when empty); migrations never change it.
    public let latestVersion: UInt64?
    /// Wall time of the whole migration including opening and the final check, in nanoseconds.
    public let durationNanoseconds: UInt64

    /// True when the store already had the current schema: nothing to do.
    public var isNoOp: Bool { steps.isEmpty }
}
