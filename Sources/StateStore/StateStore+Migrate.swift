import LMDB

extension StateStore {
    /// The oldest schema `migrate` upgrades from; older (or 0) is `unsupportedSchema`.
    public static let oldestMigratableSchema: UInt32 = 1

    /// The steps from `oldestMigratableSchema` up to `schemaVersion`, in order: step `i` reads schema
    /// `oldestMigratableSchema + i` (ADR 0020).
    static let migrationSteps: [any MigrationStep] = [MigrationV1ToV2()]

    /// Upgrades the store in `directory` to `schemaVersion`, one step per schema, each step in one
    /// LMDB write transaction that also bumps `store.schema` (so a crash leaves the store at the last
    /// completed step; rerunning resumes from there). A store already at `schemaVersion` is left
    /// untouched (a no-op report). Afterwards the store is opened read-only with the normal checks.
    ///
    /// With `dryRun`, every step runs in one write transaction that is then aborted: the report says
    /// what would change and nothing is written (LMDB's writer lock is held meanwhile).
    ///
    /// No `StateStore` of `directory` may be open in this process (one LMDB environment per path), and
    /// no node should be running on it: stop it first. `configuration` gives the map size and reader
    /// slots; step transactions are always flushed (`.full` durability).
    ///
    /// - Throws: `unsupportedSchema` for a newer or unknown schema (nothing touched); `storage` when
    ///   the directory holds no store (`mdb_env_open` → `ENOENT`) or LMDB fails; `corruptStore`/`tree`
    ///   when the store's own data is damaged — with every completed step kept and the failed one
    ///   rolled back.
    public static func migrate(
        directory: String, configuration: Configuration = Configuration(), dryRun: Bool = false
    ) throws(StateStoreError) -> MigrationReport {
        try migrate(directory: directory, configuration: configuration, dryRun: dryRun, steps: migrationSteps)
    }

    /// `migrate` with the given steps (tests inject failing ones).
    static func migrate(
        directory: String, configuration: Configuration, dryRun: Bool, steps available: [any MigrationStep]
    ) throws(StateStoreError) -> MigrationReport {
        let started = SystemCalls.monotonicNanoseconds()
        // Inspect read-only first: creates no data file in a directory that holds none, and leaves a
        // current or newer store untouched.
        let (found, latest) = try inspectSchema(directory: directory, configuration: configuration)
        guard let found else {
            // An empty store that never recorded a schema: its first read-write open writes the current one.
            return MigrationReport(
                directory: directory, from: schemaVersion, to: schemaVersion, dryRun: dryRun, steps: [],
                latestVersion: nil, durationNanoseconds: SystemCalls.monotonicNanoseconds() &- started)
        }
        guard found >= oldestMigratableSchema, found <= schemaVersion else {
            throw .unsupportedSchema(found: found, supported: schemaVersion)
        }
        var steps: [MigrationReport.Step] = []
        if found < schemaVersion {
            steps = try runSteps(
                available, from: found, directory: directory, configuration: configuration, dryRun: dryRun)
            if !dryRun {
                // The normal opening checks, on the migrated store.
                var check = configuration
                check.readOnly = true
                check.createDirectory = false
                _ = try StateStore(directory: directory, configuration: check)
            }
        }
        return MigrationReport(
            directory: directory, from: found, to: steps.last?.to ?? found, dryRun: dryRun, steps: steps,
            latestVersion: latest, durationNanoseconds: SystemCalls.monotonicNanoseconds() &- started)
    }

    /// The schema recorded in the store in `directory` (nil when none is recorded, i.e. an empty store
    /// never opened read-write), read through a read-only environment without opening the store.
    public static func storedSchema(
        directory: String, configuration: Configuration = Configuration()
    ) throws(StateStoreError) -> UInt32? {
        try inspectSchema(directory: directory, configuration: configuration).schema
    }

    /// Reads `store.schema` and `store.latest` through a read-only environment (closed on return).
    private static func inspectSchema(
        directory: String, configuration: Configuration
    ) throws(StateStoreError) -> (schema: UInt32?, latest: UInt64?) {
        let environment = try openEnvironment(directory: directory, configuration: configuration, readOnly: true)
        let tables = try StoreTables(opening: environment, create: false)
        let transaction: ReadTransaction
        do { transaction = try environment.beginRead() } catch {
            throw .storage(operation: "migrate", database: nil, version: nil, key: nil, error: error)
        }
        let snapshot = try Snapshot(transaction: transaction, tables: tables)
        let schemaBytes = try snapshot.rawMeta(MetaKey.schema, operation: "migrate")
        let latest = snapshot.version
        snapshot.close()
        guard let schemaBytes else {
            guard latest == nil else {
                throw .corruptStore(operation: "migrate", reason: "meta store.schema is missing from a store with data")
            }
            return (nil, nil)
        }
        guard let schema = BigEndian.uint32(schemaBytes) else {
            throw .corruptStore(operation: "migrate", reason: "meta store.schema has \(schemaBytes.count) bytes, not 4")
        }
        return (schema, latest)
    }

    /// Runs the steps from schema `found` to `schemaVersion`: each in its own committed transaction,
    /// or (dry run) all in one aborted transaction.
    private static func runSteps(
        _ available: [any MigrationStep], from found: UInt32, directory: String, configuration: Configuration, dryRun: Bool
    ) throws(StateStoreError) -> [MigrationReport.Step] {
        let environment = try openEnvironment(directory: directory, configuration: configuration, readOnly: false)
        let tables = try StoreTables(opening: environment, create: false)
        let pending = available.filter { $0.from >= found }
        guard pending.first?.from == found, pending.last?.to == schemaVersion else {
            throw .unsupportedSchema(found: found, supported: schemaVersion)
        }
        var report: [MigrationReport.Step] = []
        var transaction: WriteTransaction? = nil
        for step in pending {
            let stepStarted = SystemCalls.monotonicNanoseconds()
            var txn: WriteTransaction
            if let open = transaction.take() {
                txn = open
            } else {
                do { txn = try environment.beginWrite() } catch {
                    throw .storage(operation: "migrate", database: nil, version: nil, key: nil, error: error)
                }
            }
            // The schema is re-read under the writer lock: a concurrent migration may have run.
            let current: [UInt8]?
            do { current = try txn.get(tables.meta, MetaKey.schema) } catch {
                throw .storage(operation: "migrate", database: StoreTables.metaName, version: nil, key: MetaKey.schema, error: error)
            }
            guard let current, BigEndian.uint32(current) == step.from else {
                throw .corruptStore(
                    operation: "migrate",
                    reason: "store.schema changed during the migration (expected \(step.from) before step \(step.name))")
            }
            let summary = try step.apply(in: &txn, tables: tables)
            do { try txn.put(tables.meta, MetaKey.schema, BigEndian.bytes(step.to)) } catch {
                throw .storage(operation: "migrate", database: StoreTables.metaName, version: nil, key: MetaKey.schema, error: error)
            }
            if dryRun {
                transaction = consume txn
            } else {
                do { try txn.commit() } catch {
                    throw .storage(operation: "migrate", database: nil, version: nil, key: nil, error: error)
                }
            }
            report.append(MigrationReport.Step(
                from: step.from, to: step.to, name: step.name, summary: summary,
                durationNanoseconds: SystemCalls.monotonicNanoseconds() &- stepStarted))
        }
        transaction.take()?.abort()
        return report
    }

    /// An environment on `directory` as the store opens it (never creating the directory), flushing
    /// every commit.
    private static func openEnvironment(
        directory: String, configuration: Configuration, readOnly: Bool
    ) throws(StateStoreError) -> Environment {
        do {
            return try Environment(
                path: directory, mapSize: configuration.mapSize, maxReaders: configuration.maxReaders,
                maxDatabases: StoreTables.count + 2, flags: readOnly ? .readOnly : [])
        } catch {
            throw .storage(operation: "migrate", database: nil, version: nil, key: nil, error: error)
        }
    }
}
