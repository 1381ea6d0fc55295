import LMDB
import StateStore
import StateTree
import TestSupport
import Testing

/// The shared behaviour suite against the LMDB tables `StateStore` keeps the tree in (`TreeTables`:
/// `nodes`, `stale`, `roots`), in a temporary directory: the same scenarios as `MemoryNodeStore`.
@Suite("State tree behaviour · LMDB (TreeTables)")
struct LMDBNodeStoreTests {
    @Test(arguments: StateTreeBehaviourSuite.allCases)
    func behaviour(_ scenario: StateTreeBehaviourSuite) throws {
        try scenario.run { try LMDBHarness() }
    }
}

/// A read view of the committed tree: a read transaction owned by a class, so the view can be a
/// copyable `NodeStore` as the harness needs. The transaction ends when the last reference goes.
final class LMDBSnapshotStore: NodeStore {
    let transaction: ReadTransaction
    let tables: TreeTables

    init(environment: Environment, tables: TreeTables) throws {
        transaction = try environment.beginRead()
        self.tables = tables
    }

    func node(_ key: NodeKey) throws(NodeStoreError) -> [UInt8]? { try tables.node(key, in: transaction) }
    func rootRecord(version: UInt64) throws(NodeStoreError) -> [UInt8]? { try tables.rootRecord(version: version, in: transaction) }
    func latestVersion() throws(NodeStoreError) -> UInt64? { try tables.latestVersion(in: transaction) }
    func versions(from start: UInt64, limit: Int) throws(NodeStoreError) -> [UInt64] {
        try tables.versions(from: start, limit: limit, in: transaction)
    }
    func staleEntries(staleSinceAtMost version: UInt64, limit: Int) throws(NodeStoreError) -> [[UInt8]] {
        try tables.staleEntries(staleSinceAtMost: version, limit: limit, in: transaction)
    }
}

/// Commits batches with `TreeTables.write` (nodes appended with `MDB_APPEND`) and prunes with
/// `TreeTables.apply`, each in one write transaction; `store` is a snapshot taken after the last write.
struct LMDBHarness: NodeStoreHarness {
    let directory = TemporaryDirectory(prefix: "state-tree-lmdb")
    let environment: Environment
    let tables: TreeTables
    private(set) var store: LMDBSnapshotStore

    init() throws {
        environment = try Environment(path: directory.path, mapSize: 256 << 20, maxDatabases: 4, flags: .noSync)
        tables = try TreeTables(opening: environment)
        store = try LMDBSnapshotStore(environment: environment, tables: tables)
    }

    mutating func commit(_ batch: TreeUpdateBatch) throws {
        var txn = try environment.beginWrite()
        try tables.write(batch, in: &txn)
        try txn.commit()
        store = try LMDBSnapshotStore(environment: environment, tables: tables)
    }

    mutating func prune(_ batch: PruneBatch) throws {
        var txn = try environment.beginWrite()
        try tables.apply(batch, in: &txn)
        try txn.commit()
        store = try LMDBSnapshotStore(environment: environment, tables: tables)
    }

    func storedNodeKeys() throws -> [NodeKey]? {
        let entries: [Entry] = try store.transaction.scan(tables.nodes)
        return try entries.map { try NodeKey(decoding: $0.key) }
    }
}
