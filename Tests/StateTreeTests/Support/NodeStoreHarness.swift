import StateTree

/// A node store under test plus the means to commit to it. The behaviour suite is generic over this,
/// so the same scenarios run against `MemoryNodeStore` and, later, the LMDB store.
protocol NodeStoreHarness {
    associatedtype Store: NodeStore
    /// A read view of everything committed so far.
    var store: Store { get }
    /// Commits a version atomically.
    mutating func commit(_ batch: TreeUpdateBatch) throws
    /// Applies a prune batch atomically.
    mutating func prune(_ batch: PruneBatch) throws
    /// Every stored node key, ascending, or nil if the store cannot list them.
    func storedNodeKeys() throws -> [NodeKey]?
}

/// The in-memory harness.
struct MemoryHarness: NodeStoreHarness {
    var store = MemoryNodeStore()
    mutating func commit(_ batch: TreeUpdateBatch) throws { try store.commit(batch) }
    mutating func prune(_ batch: PruneBatch) throws { try store.apply(batch) }
    func storedNodeKeys() throws -> [NodeKey]? { store.nodeKeys }
}
