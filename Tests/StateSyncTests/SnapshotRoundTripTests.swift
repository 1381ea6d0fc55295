import Foundation
import Sodium
import StateStore
import StateSync
import Testing

@Suite struct SnapshotRoundTripTests {
    @Test func latestRoundTrip() throws {
        var source = try SnapshotTestStore()
        try source.commit(round: 1, puts: 300, seed: 1)
        try source.commit(round: 2, puts: 200, deletes: 50, seed: 2)
        let manifest = try SnapshotExporter.export(store: source.store, round: nil, into: source.catalog)
        #expect(manifest.round == 2)
        #expect(manifest.chainID == "test-chain")
        #expect(manifest.entryCount == UInt64(source.states[2]!.count))
        #expect(manifest.chunks.count == 1)
        #expect(manifest.metadata.map(\.key) == [Array("registry.chain_id".utf8), Array("registry.genesis_round".utf8)])
        #expect(try manifest.root == source.store.snapshot().rootHash(version: 2))
        let root = try SnapshotImporter.importSnapshot(from: source.catalog, round: 2, dataDirectory: source.target(), trustedRoot: manifest.root)
        #expect(root == manifest.root)
        #expect(try source.verifyImported(at: source.target(), round: 2) == nil)
        #expect(leftovers(beside: source.target()) == ["imported"])
    }

    /// An older retained round, exported after later rounds were committed, in many small chunks.
    @Test func olderRoundInManyChunks() throws {
        var source = try SnapshotTestStore()
        try source.commit(round: 10, puts: 400, seed: 10)
        try source.commit(round: 11, puts: 100, deletes: 30, seed: 11)
        try source.commit(round: 12, puts: 100, deletes: 30, seed: 12)
        let manifest = try SnapshotExporter.export(store: source.store, round: 11, into: source.catalog, chunkBytes: 2_000)
        #expect(manifest.round == 11)
        #expect(manifest.chunks.count > 10)
        #expect(manifest.chunks.allSatisfy { $0.byteCount <= 2_000 })
        #expect(manifest.chunks.map(\.index) == Array(0..<manifest.chunks.count))
        #expect(manifest.chunks.reduce(0) { $0 + $1.entryCount } == source.states[11]!.count)
        _ = try SnapshotImporter.importSnapshot(from: source.catalog, round: 11, dataDirectory: source.target(), trustedRoot: nil)
        #expect(try source.verifyImported(at: source.target(), round: 11) == nil)
    }

    /// Rounds committed by another thread while the export runs change nothing it reads (one read
    /// transaction, MVCC): the snapshot is exactly round 11, whatever the interleaving.
    @Test func exportWhileRoundsCommit() throws {
        var source = try SnapshotTestStore()
        try source.commit(round: 10, puts: 500, seed: 30)
        try source.commit(round: 11, puts: 100, deletes: 40, seed: 31)
        let store = source.store
        let committer = DispatchQueue(label: "committer")
        let group = DispatchGroup()
        committer.async(group: group) {
            for round in UInt64(12)...40 {
                let key = Array("concurrent-\(round)".utf8)
                _ = try? store.commit(version: round, writes: [.put(key, [UInt8(truncatingIfNeeded: round)])])
            }
        }
        let manifest = try SnapshotExporter.export(store: store, round: 11, into: source.catalog, chunkBytes: 1_500)
        group.wait()
        #expect(try store.latestVersion() == 40)
        #expect(manifest.entryCount == UInt64(source.states[11]!.count))
        _ = try SnapshotImporter.importSnapshot(from: source.catalog, round: 11, dataDirectory: source.target(), trustedRoot: manifest.root)
        #expect(try source.verifyImported(at: source.target(), round: 11) == nil)
    }

    /// The imported store continues: the next round commits on top of it with the source's root.
    @Test func importedStoreCommitsNextRound() throws {
        var source = try SnapshotTestStore()
        try source.commit(round: 5, puts: 250, seed: 5)
        _ = try SnapshotExporter.export(store: source.store, round: 5, into: source.catalog, chunkBytes: 4_000)
        _ = try SnapshotImporter.importSnapshot(from: source.catalog, round: 5, dataDirectory: source.target(), trustedRoot: nil)
        let imported = try StateStore(directory: source.target())
        let writes: [StateStore.Write] = [.put([1, 2, 3], [4]), .put([9], [])]
        let expected = try source.store.commit(version: 6, writes: writes)
        #expect(try imported.commit(version: 6, writes: writes) == expected)
    }

    @Test func emptyTree() throws {
        let source = try SnapshotTestStore()
        try source.store.commit(version: 3, writes: [])
        let manifest = try SnapshotExporter.export(store: source.store, round: 3, into: source.catalog)
        #expect(manifest.entryCount == 0 && manifest.chunks.isEmpty)
        let root = try SnapshotImporter.importSnapshot(from: source.catalog, round: 3, dataDirectory: source.target(), trustedRoot: nil)
        #expect(root == manifest.root)
        #expect(try source.verifyImported(at: source.target(), round: 3) == nil)
    }

    @Test func exportRefusesUnavailableRounds() throws {
        var source = try SnapshotTestStore()
        #expect(throws: SnapshotError.roundNotAvailable(round: nil, reason: "the store is empty")) {
            try SnapshotExporter.export(store: source.store, round: nil, into: source.catalog)
        }
        try source.commit(round: 4, puts: 3, seed: 4)
        #expect {
            try SnapshotExporter.export(store: source.store, round: 3, into: source.catalog)
        } throws: { error in
            if case SnapshotError.roundNotAvailable(3, _) = error { return true }
            return false
        }
        #expect(throws: SnapshotError.invalidChunkBytes(10)) {
            try SnapshotExporter.export(store: source.store, round: 4, into: source.catalog, chunkBytes: 10)
        }
        #expect(try source.catalog.list().isEmpty)
    }

    @Test func catalogListsAndPrunes() throws {
        var source = try SnapshotTestStore()
        #expect(try source.catalog.list().isEmpty)
        for round in UInt64(1)...4 {
            try source.commit(round: round, puts: 20, seed: round)
            _ = try SnapshotExporter.export(store: source.store, round: round, into: source.catalog)
        }
        // Work in progress and stray names are not snapshots.
        try FileManager.default.createDirectory(atPath: source.catalog.directory + "/.export-x", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: source.catalog.directory + "/00000000000000000009", withIntermediateDirectories: true)
        #expect(try source.catalog.list().map(\.round) == [1, 2, 3, 4])
        let again = try SnapshotExporter.export(store: source.store, round: 4, into: source.catalog)
        #expect(try again == source.catalog.manifest(round: 4))
        try source.catalog.prune(keepLatest: 2)
        #expect(try source.catalog.list().map(\.round) == [3, 4])
        #expect(try source.catalog.manifest(round: 1) == nil)
        try source.catalog.remove(round: 3)
        #expect(try source.catalog.list().map(\.round) == [4])
        #expect(throws: SnapshotError.snapshotNotFound(round: 3)) { try source.catalog.chunk(round: 3, index: 0) }
        let chunk = try source.catalog.chunk(round: 4, index: 0)
        #expect(Blake2b.hash256(chunk) == (try source.catalog.manifest(round: 4))!.chunks[0].hash)
    }
}
