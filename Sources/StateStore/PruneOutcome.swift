/// What one `StateStore.prune` call deleted.
public struct PruneOutcome: Equatable, Sendable {
    /// Every version at or above this one keeps its root, values and proofs. Versions below it are
    /// gone (or were never committed).
    public var firstRetained: UInt64
    /// Tree nodes deleted.
    public var nodesDeleted: Int
    /// Stale index entries deleted.
    public var staleEntriesDeleted: Int
    /// Root records deleted (versions forgotten).
    public var rootsDeleted: Int
    /// Round records deleted.
    public var roundRecordsDeleted: Int
    /// False when `maxEntries` cut the work short: call `prune` again for the rest.
    public var isComplete: Bool

    public init(
        firstRetained: UInt64, nodesDeleted: Int, staleEntriesDeleted: Int, rootsDeleted: Int,
        roundRecordsDeleted: Int, isComplete: Bool
    ) {
        self.firstRetained = firstRetained
        self.nodesDeleted = nodesDeleted
        self.staleEntriesDeleted = staleEntriesDeleted
        self.rootsDeleted = rootsDeleted
        self.roundRecordsDeleted = roundRecordsDeleted
        self.isComplete = isComplete
    }
}
