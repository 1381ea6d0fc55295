import Foundation
import LMDB
import RegistryWorkload
import Sodium
@testable import StateStore
import StateTree
import TestSupport
import Testing

/// Schema versions and migrations (ADR 0020), against the committed schema-1 fixture
/// `Tests/Fixtures/store-v1` (see its README) and stores downgraded to schema 1 by hand.
@Suite("Schema migrations")
struct MigrationTests {
    /// The fixture's directory in the source tree.
    static let fixturePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/store-v1").path

    /// A copy of the fixture's `data.mdb` in a fresh directory (the store directory is `path/store`).
    static func fixtureCopy() throws -> (TemporaryDirectory, String) {
        let directory = TemporaryDirectory(prefix: "migration-test")
        let store = directory.path + "/store"
        try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: false)
        try FileManager.default.copyItem(atPath: fixturePath + "/data.mdb", toPath: store + "/data.mdb")
        return (directory, store)
    }

    /// `roots.txt`: version → root, as the schema-1 writer printed them.
    static func fixtureRoots() throws -> [(version: UInt64, root: String)] {
        let text = try String(contentsOfFile: fixturePath + "/roots.txt", encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let parts = line.split(separator: " ")
            return (try #require(UInt64(parts[0])), String(parts[1]))
        }
    }

    static func readOnly() -> StateStore.Configuration {
        StateStore.Configuration(durability: .noSync, createDirectory: false, readOnly: true)
    }

    static func dataFile(_ store: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: store + "/data.mdb"))
    }

    @Test("the schema-1 fixture is refused read-write, readable read-only, migrated with every root, value and proof kept; a second migrate is a no-op")
    func migratesFixture() throws {
        let (directory, store) = try Self.fixtureCopy()
        defer { withExtendedLifetime(directory) {} }
        let roots = try Self.fixtureRoots()
        #expect(roots.count == 36)

        // Refused read-write, with the command that upgrades it.
        #expect(throws: StateStoreError.schemaNeedsMigration(path: store, found: 1, current: 2)) {
            try StateStore(directory: store, configuration: StateStore.Configuration(durability: .noSync))
        }
        let message = StateStoreError.schemaNeedsMigration(path: store, found: 1, current: 2).description
        #expect(message.contains("ai-registry migrate --data-dir \(store)"))
        // Readable read-only, for inspection.
        do {
            let old = try StateStore(directory: store, configuration: Self.readOnly())
            #expect(old.schema == 1)
            let snapshot = try old.snapshot()
            #expect(snapshot.version == 36)
            #expect(try snapshot.historyStart() == nil)
            #expect(try snapshot.latestRootHash()?.hex == roots.last?.root)
            snapshot.close()
        }
        #expect(try StateStore.storedSchema(directory: store) == 1)

        // A dry run reports the step and writes nothing.
        let before = try Self.dataFile(store)
        let dry = try StateStore.migrate(directory: store, dryRun: true)
        #expect(dry.dryRun && dry.from == 1 && dry.to == 2 && dry.latestVersion == 36)
        #expect(dry.steps.map(\.name) == ["history-start"])
        #expect(dry.steps.first?.summary.contains("store.history_start = 1 ") == true)
        #expect(try StateStore.storedSchema(directory: store) == 1)
        #expect(try Self.dataFile(store) == before)

        let report = try StateStore.migrate(directory: store)
        #expect(!report.dryRun && report.from == 1 && report.to == 2 && report.latestVersion == 36)
        #expect(report.steps.map { [$0.from, $0.to] } == [[1, 2]])
        #expect(try StateStore.storedSchema(directory: store) == 2)

        try Self.checkFixtureContents(store: store, roots: roots)

        // Again: nothing to do, not a byte changed.
        let migrated = try Self.dataFile(store)
        let again = try StateStore.migrate(directory: store)
        #expect(again.isNoOp && again.from == 2 && again.to == 2)
        #expect(try Self.dataFile(store) == migrated)
    }

    /// The migrated fixture against the recorded roots and an in-memory replay of the same rounds.
    static func checkFixtureContents(store path: String, roots: [(version: UInt64, root: String)]) throws {
        let store = try StateStore(directory: path, configuration: StateStore.Configuration(durability: .noSync))
        #expect(store.schema == 2)
        var replay = Replay()
        var states: [UInt64: [[UInt8]: [UInt8]]] = [:]
        var touched: [UInt64: [[UInt8]]] = [:]
        for (version, _) in roots {
            let writes = StoreRounds.writes(round: version, keysPerRound: 16)
            try replay.apply(version: version, writes.map { StateStore.Write(key: $0.key, value: $0.value) })
            states[version] = replay.flat
            touched[version] = writes.map(\.key)
        }
        let allKeys = replay.flat.keys.sorted { $0.lexicographicallyPrecedes($1) }
        let snapshot = try store.snapshot()
        #expect(try snapshot.historyStart() == 1)
        #expect(try snapshot.retainedVersions() == roots.map(\.version))
        for (version, root) in roots {
            let stored = try snapshot.rootHash(version: version)
            #expect(stored.hex == root, "root of version \(version)")
            #expect(stored == replay.roots[version], "replayed root of version \(version)")
            #expect(try snapshot.roundRecord(version: version) == StoreRounds.record(round: version))
            let state = try #require(states[version])
            let sample = (touched[version] ?? []) + stride(from: 0, to: allKeys.count, by: 17).map { allKeys[$0] }
            for key in sample {
                let (value, proof) = try snapshot.get(key, version: version)
                #expect(value == state[key], "value of \(String(decoding: key, as: UTF8.self)) at \(version)")
                try StateTree.verify(proof: proof, root: stored, key: key, value: value)
            }
        }
        #expect(try snapshot.scan() == replay.entries)
        snapshot.close()
    }

    @Test("a store written by a newer schema is refused by open and migrate, and left untouched")
    func newerSchemaRefused() throws {
        let (directory, store) = try Self.fixtureCopy()
        defer { withExtendedLifetime(directory) {} }
        try RawStore.replaceMeta(at: store, b("store.schema"), with: [0, 0, 0, 99])
        let before = try Self.dataFile(store)
        let refusal = StateStoreError.unsupportedSchema(found: 99, supported: StateStore.schemaVersion)
        #expect(refusal.description.contains("written by a newer release"))
        #expect(throws: refusal) { try StateStore(directory: store, configuration: StateStore.Configuration(durability: .noSync)) }
        #expect(throws: refusal) { try StateStore(directory: store, configuration: Self.readOnly()) }
        #expect(throws: refusal) { try StateStore.migrate(directory: store) }
        #expect(throws: refusal) { try StateStore.migrate(directory: store, dryRun: true) }
        #expect(try Self.dataFile(store) == before)
        #expect(try StateStore.storedSchema(directory: store) == 99)
        // Schema 0 is unknown, not "older".
        try RawStore.replaceMeta(at: store, b("store.schema"), with: [0, 0, 0, 0])
        #expect(throws: StateStoreError.unsupportedSchema(found: 0, supported: StateStore.schemaVersion)) {
            try StateStore.migrate(directory: store)
        }
    }

    @Test("a step that fails rolls back: the store stays at schema 1 without history_start")
    func failedStepRollsBack() throws {
        let (directory, store) = try Self.fixtureCopy()
        defer { withExtendedLifetime(directory) {} }
        #expect(throws: StateStoreError.corruptStore(operation: "migrate", reason: "injected failure")) {
            try StateStore.migrate(
                directory: store, configuration: StateStore.Configuration(), dryRun: false, steps: [FailingStep()])
        }
        #expect(try StateStore.storedSchema(directory: store) == 1)
        let old = try StateStore(directory: store, configuration: Self.readOnly())
        #expect(try old.withSnapshot { try $0.historyStart() } == nil)
    }

    @Test("history_start of a pruned schema-1 store: the oldest round record, else the oldest retained root")
    func prunedHistoryStart() throws {
        for pruneRecords in [false, true] {
            let fixture = StoreFixture()
            var replay = Replay()
            do {
                let store = try fixture.open()
                for version in UInt64(5)...24 {
                    let writes = StoreRounds.writes(round: version, keysPerRound: 8).map { StateStore.Write(key: $0.key, value: $0.value) }
                    let expected = try replay.apply(version: version, writes)
                    #expect(try store.commit(version: version, writes: writes, roundRecord: StoreRounds.record(round: version)) == expected)
                }
                #expect(try store.withSnapshot { try $0.historyStart() } == 5)
                var outcome = try store.prune(retainLatest: 10, maxEntries: 1_000, pruneRoundRecords: pruneRecords)
                while !outcome.isComplete { outcome = try store.prune(retainLatest: 10, maxEntries: 1_000, pruneRoundRecords: pruneRecords) }
                #expect(try store.withSnapshot { try $0.retainedVersions().first } == 15)
            }
            // What a schema-1 release would have left.
            try RawStore.replaceMeta(at: fixture.path, b("store.schema"), with: [0, 0, 0, 1])
            try RawStore.replaceMeta(at: fixture.path, b("store.history_start"), with: nil)
            let report = try StateStore.migrate(directory: fixture.path)
            #expect(report.from == 1 && report.to == 2)
            let store = try fixture.open()
            let snapshot = try store.snapshot()
            #expect(try snapshot.historyStart() == (pruneRecords ? 15 : 5), "pruneRoundRecords \(pruneRecords)")
            for version in UInt64(15)...24 {
                #expect(try snapshot.rootHash(version: version) == replay.roots[version])
            }
            snapshot.close()
        }
    }

    @Test("new stores record history_start at their first commit; the open check refuses a missing or too-high one")
    func historyStartOfNewStores() throws {
        let fixture = StoreFixture()
        do {
            let store = try fixture.open()
            #expect(store.schema == StateStore.schemaVersion)
            #expect(try store.withSnapshot { try $0.historyStart() } == nil)
            try store.commit(version: 7, writes: writes([("a", "1")]))
            try store.commit(version: 9, writes: writes([("b", "2")]))
            #expect(try store.withSnapshot { try $0.historyStart() } == 7)
        }
        #expect(try fixture.open().withSnapshot { try $0.historyStart() } == 7)
        try RawStore.replaceMeta(at: fixture.path, b("store.history_start"), with: [0, 0, 0, 0, 0, 0, 0, 10])
        #expect(throws: StateStoreError.corruptStore(operation: "open", reason: "meta store.history_start is 10, above the latest version 9")) {
            try fixture.open()
        }
        try RawStore.replaceMeta(at: fixture.path, b("store.history_start"), with: [0, 0, 7])
        #expect(throws: StateStoreError.corruptStore(operation: "historyStart", reason: "meta store.history_start has 3 bytes, not 8")) {
            try fixture.open()
        }
        try RawStore.replaceMeta(at: fixture.path, b("store.history_start"), with: nil)
        #expect(throws: StateStoreError.corruptStore(operation: "open", reason: "meta store.history_start is missing from a schema-2 store with data")) {
            try fixture.open()
        }
    }

    @Test("migrate refuses a directory without a store and creates nothing there")
    func noStore() throws {
        let directory = TemporaryDirectory(prefix: "migration-test")
        #expect {
            try StateStore.migrate(directory: directory.path)
        } throws: { error in
            guard case .storage("migrate", nil, nil, nil, let lmdb) = error as? StateStoreError else { return false }
            return lmdb.operation == "mdb_env_open"
        }
        #expect(!FileManager.default.fileExists(atPath: directory.file("data.mdb")))
    }

    @Test("the steps form one chain from the oldest migratable schema to the current one")
    func stepsChain() {
        let steps = StateStore.migrationSteps
        #expect(steps.map(\.from) == Array(StateStore.oldestMigratableSchema..<StateStore.schemaVersion))
        #expect(steps.last?.to == StateStore.schemaVersion)
    }
}

/// A v1 → v2 step that writes, then fails: nothing of it may stay.
struct FailingStep: MigrationStep {
    let from: UInt32 = 1
    let name = "failing"

    func apply(in transaction: inout WriteTransaction, tables: StoreTables) throws(StateStoreError) -> String {
        do { try transaction.put(tables.meta, MetaKey.historyStart, BigEndian.bytes(UInt64(1))) } catch {
            throw .storage(operation: "migrate", database: nil, version: nil, key: nil, error: error)
        }
        throw .corruptStore(operation: "migrate", reason: "injected failure")
    }
}
