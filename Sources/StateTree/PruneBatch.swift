/// Everything a store must delete, atomically, to prune versions below `firstRetained` (rule ST-14).
public struct PruneBatch: Equatable, Sendable {
    /// Every version at or above this one keeps its root and proofs after the batch is applied.
    public let firstRetained: UInt64
    /// The nodes to delete, ascending (one per stale entry).
    public let nodeKeys: [NodeKey]
    /// The stale index entries to delete, ascending.
    public let staleEntries: [StaleNodeIndex]
    /// The versions whose root records to delete, ascending.
    public let rootVersions: [UInt64]
    /// False when a `limit` cut the batch short: run `pruneBatch` again for the rest.
    public let isComplete: Bool

    public init(
        firstRetained: UInt64, nodeKeys: [NodeKey], staleEntries: [StaleNodeIndex], rootVersions: [UInt64],
        isComplete: Bool
    ) {
        self.firstRetained = firstRetained
        self.nodeKeys = nodeKeys
        self.staleEntries = staleEntries
        self.rootVersions = rootVersions
        self.isComplete = isComplete
    }

    /// True when there is nothing to delete.
    public var isEmpty: Bool { nodeKeys.isEmpty && staleEntries.isEmpty && rootVersions.isEmpty }
}
