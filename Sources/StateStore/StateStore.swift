import LMDB
import Sodium
import StateTree

/// The LMDB-backed store of the registry state: the versioned authenticated tree (`StateTree`) and,
/// beside it, the flat key-value state of the latest version, per-round records and metadata, all in
/// one LMDB environment (ADR 0007).
///
/// - `commit` writes a round atomically: the tree's node batch, the flat state changes, the round's
///   record and the latest version, in one LMDB write transaction (D8). A crash leaves the store at
///   the previous or the new version, never between.
/// - Snapshots (`snapshot()`, `withSnapshot`) read one committed version consistently, on any thread,
///   concurrently with a commit (LMDB MVCC; readers never block the writer).
/// - The flat state (`Snapshot.value`, `Snapshot.scan`) holds only the **latest** version. Values of
///   earlier retained versions come from the tree: `Snapshot.get(key, version:)`, with a proof.
/// - `prune` forgets versions outside a retention window, in bounded steps.
///
/// One `StateStore` per directory per process (an LMDB rule); share it. Commits are serialised by
/// LMDB's writer lock. Durability per `Configuration.durability` (ADR 0008).
public final class StateStore: Sendable {
    /// The data directory (`data.mdb`, `lock.mdb`).
    public let path: String
    /// The options the store was opened with.
    public let configuration: Configuration
    /// The layout version this code reads and writes (`meta` key `store.schema`). Schema 2 adds
    /// `store.history_start` (ADR 0020); `StateStore.migrate` upgrades older stores.
    public static let schemaVersion: UInt32 = 2
    /// The schema of the store as opened: `schemaVersion`, or an older migratable schema when opened
    /// read-only for inspection (ADR 0020).
    public let schema: UInt32

    let environment: Environment
    let tables: StoreTables
    /// The tree as `commit` uses it (with `configuration.commitVerification`).
    let commitTree: StateTree
    /// The write-behind writer thread (ADR 0027), started by the first `commitWriteBehind`.
    let writer = CommitWriter()
    /// The commit path's node cache (ADR 0028).
    let nodeCache: NodeCache
    /// The tree computation's helper threads (ADR 0028), started by the first parallel computation.
    let treeWorkers: TreeWorkerPool

    /// Opens the store in `directory`, creating the directory (if `configuration.createDirectory`),
    /// the LMDB environment and its databases as needed, and checks the schema and that the latest
    /// version recorded in `meta` matches the last root record (and, schema 2, that
    /// `store.history_start` is at most the latest version).
    ///
    /// - Throws: `schemaNeedsMigration` for an older schema opened read-write (read-only opens of a
    ///   schema `migrate` upgrades are allowed, for inspection); `unsupportedSchema` for a newer or
    ///   unknown one; `corruptStore` when the store's own metadata disagrees.
    public init(directory: String, configuration: Configuration = Configuration()) throws(StateStoreError) {
        if configuration.createDirectory && !configuration.readOnly {
            try SystemCalls.createDirectories(directory)
        }
        var flags = configuration.durability.flags
        if configuration.readOnly { flags.insert(.readOnly) }
        if configuration.writeMap && !configuration.readOnly { flags.insert(.writeMap) }
        let environment: Environment
        do {
            environment = try Environment(
                path: directory, mapSize: configuration.mapSize, maxReaders: configuration.maxReaders,
                maxDatabases: StoreTables.count + 2, flags: flags)
        } catch {
            throw .storage(operation: "open", database: nil, version: nil, key: nil, error: error)
        }
        let tables = try StoreTables(opening: environment, create: !configuration.readOnly)
        // Reader slots of processes that died (e.g. killed mid-read) would pin old pages forever.
        do { try environment.clearStaleReaders() } catch {
            throw .storage(operation: "open", database: nil, version: nil, key: nil, error: error)
        }
        self.schema = try Self.checkSchemaAndLatest(
            path: directory, environment: environment, tables: tables, readOnly: configuration.readOnly)
        self.path = directory
        self.configuration = configuration
        self.environment = environment
        self.tables = tables
        self.commitTree = StateTree(applyVerification: configuration.commitVerification)
        self.nodeCache = NodeCache(depth: configuration.readOnly ? -1 : configuration.nodeCacheDepth)
        self.treeWorkers = TreeWorkerPool(helpers: min(max(configuration.treeThreads, 1), 16) - 1)
    }

    /// Stops the write-behind writer's thread. A write in flight holds the store, so the store is
    /// released only once that write has committed (then possibly on the writer thread): call `close()`
    /// first to make that moment deterministic, e.g. before opening the directory again in-process.
    deinit {
        writer.shutdown()
        treeWorkers.shutdown()
    }

    /// Waits for the write-behind write in flight (ADR 0027), then stops the writer thread: call before
    /// releasing the store at shutdown. Later write-behind commits are refused (synchronous ones still
    /// work). Throws the writer's failure, if one poisoned the store.
    public func close() throws(StateStoreError) {
        defer {
            writer.shutdown()
            treeWorkers.shutdown()
        }
        try writer.awaitIdle()
    }

    /// The latest committed version, or nil for an empty store (reads a fresh snapshot).
    public func latestVersion() throws(StateStoreError) -> UInt64? {
        let snapshot = try snapshot()
        return snapshot.version
    }

    /// A snapshot of the latest committed version: an LMDB read transaction, owned by the returned
    /// value and ended when it is closed or destroyed. Keep it short-lived: an open snapshot keeps
    /// LMDB from reusing pages freed after it began, so the file grows while it lives.
    public func snapshot() throws(StateStoreError) -> Snapshot {
        let transaction: ReadTransaction
        do { transaction = try environment.beginRead() } catch {
            throw .storage(operation: "snapshot", database: nil, version: nil, key: nil, error: error)
        }
        return try Snapshot(transaction: transaction, tables: tables)
    }

    /// Runs `body` with a snapshot of the latest committed version and ends the snapshot afterwards,
    /// whether `body` returns or throws. Throws what `body` throws, or a `StateStoreError` when the
    /// snapshot cannot begin.
    @discardableResult
    public func withSnapshot<R>(_ body: (borrowing Snapshot) throws -> R) throws -> R {
        let snapshot = try snapshot()
        let result = try body(snapshot)
        snapshot.close()
        return result
    }

    /// Raises (or lowers, not below the data in use) the map size (`mdb_env_set_mapsize`), e.g. after a
    /// commit failed with `MDB_MAP_FULL`. No snapshot or commit of this process may be open meanwhile.
    public func setMapSize(_ bytes: Int) throws(StateStoreError) {
        do { try environment.setMapSize(bytes) } catch {
            throw .storage(operation: "setMapSize", database: nil, version: nil, key: nil, error: error)
        }
    }

    /// Flushes everything committed to disk (`mdb_env_sync` with force), whatever the durability mode:
    /// call it at shutdown with `.noSync`, or to make the last round durable under `.noMetaSync`.
    public func sync() throws(StateStoreError) {
        do { try environment.sync(force: true) } catch {
            throw .storage(operation: "sync", database: nil, version: nil, key: nil, error: error)
        }
    }

    /// The largest key the flat state, the metadata and LMDB accept (`mdb_env_get_maxkeysize`).
    public var maxKeySize: Int { environment.maxKeySize }

    // MARK: Opening checks

    /// Checks the schema (writing the current one into a new, empty store), that `store.latest`
    /// matches the last root record and, from schema 2, that `store.history_start` is present in a
    /// store with data and at most `store.latest`. Returns the schema found.
    private static func checkSchemaAndLatest(
        path: String, environment: Environment, tables: StoreTables, readOnly: Bool
    ) throws(StateStoreError) -> UInt32 {
        let transaction: ReadTransaction
        do { transaction = try environment.beginRead() } catch {
            throw .storage(operation: "open", database: nil, version: nil, key: nil, error: error)
        }
        let snapshot = try Snapshot(transaction: transaction, tables: tables)
        let schemaBytes = try snapshot.rawMeta(MetaKey.schema, operation: "open")
        let latest = snapshot.version
        let lastRoot: UInt64?
        do { lastRoot = try tables.tree.latestVersion(in: snapshot.transaction) } catch {
            throw .tree(operation: "open", error: .store(error))
        }
        let historyStart = try snapshot.historyStart()
        snapshot.close()
        var schema = schemaVersion
        if let schemaBytes {
            guard let found = BigEndian.uint32(schemaBytes) else {
                throw .corruptStore(operation: "open", reason: "meta store.schema has \(schemaBytes.count) bytes, not 4")
            }
            guard found >= oldestMigratableSchema, found <= schemaVersion else {
                throw .unsupportedSchema(found: found, supported: schemaVersion)
            }
            guard found == schemaVersion || readOnly else {
                throw .schemaNeedsMigration(path: path, found: found, current: schemaVersion)
            }
            schema = found
        } else {
            guard latest == nil, lastRoot == nil else {
                throw .corruptStore(operation: "open", reason: "meta store.schema is missing from a store with data")
            }
            if !readOnly { try writeSchema(environment: environment, tables: tables) }
        }
        guard latest == lastRoot else {
            throw .corruptStore(
                operation: "open",
                reason: "meta store.latest is \(latest.map(String.init) ?? "absent") but the last root record is \(lastRoot.map(String.init) ?? "absent")")
        }
        if schema >= 2, let latest {
            guard let historyStart else {
                throw .corruptStore(operation: "open", reason: "meta store.history_start is missing from a schema-\(schema) store with data")
            }
            guard historyStart <= latest else {
                throw .corruptStore(
                    operation: "open", reason: "meta store.history_start is \(historyStart), above the latest version \(latest)")
            }
        }
        return schema
    }

    private static func writeSchema(environment: Environment, tables: StoreTables) throws(StateStoreError) {
        do {
            var txn = try environment.beginWrite()
            if try txn.get(tables.meta, MetaKey.schema) == nil {
                try txn.put(tables.meta, MetaKey.schema, BigEndian.bytes(StateStore.schemaVersion))
            }
            try txn.commit()
        } catch {
            throw .storage(operation: "open", database: StoreTables.metaName, version: nil, key: MetaKey.schema, error: error)
        }
    }
}
