import Foundation
import Sodium
import StateStore
import StateSync
import Testing

/// Every damaged input is refused with a typed error, the staging directory is removed and nothing
/// appears at the target.
@Suite struct SnapshotCorruptionTests {
    struct Fixture {
        var source: SnapshotTestStore
        let manifest: SnapshotManifest
        var chunks: [[UInt8]]
        var round: UInt64 { manifest.round }

        init() throws {
            var source = try SnapshotTestStore()
            try source.commit(round: 20, puts: 300, seed: 20)
            let manifest = try SnapshotExporter.export(store: source.store, round: 20, into: source.catalog, chunkBytes: 3_000)
            let catalog = source.catalog
            chunks = try manifest.chunks.map { try catalog.chunk(round: 20, index: $0.index) }
            self.source = source
            self.manifest = manifest
        }

        /// Runs an import of `chunks` (index, bytes) under `manifest`, expecting `body`'s error, and
        /// checks that nothing is left behind.
        func refused(
            manifest: SnapshotManifest? = nil, chunks: [(Int, [UInt8])]? = nil, trustedRoot: Digest256? = nil,
            sourceLocation: SourceLocation = #_sourceLocation, _ matches: (SnapshotError) -> Bool
        ) {
            let target = source.target()
            do {
                var importer = try SnapshotImporter(manifest: manifest ?? self.manifest, dataDirectory: target, trustedRoot: trustedRoot)
                for (index, bytes) in chunks ?? self.chunks.enumerated().map({ ($0.offset, $0.element) }) {
                    try importer.apply(chunkIndex: index, bytes: bytes)
                }
                _ = try importer.finish()
                Issue.record("the import succeeded", sourceLocation: sourceLocation)
            } catch {
                #expect(matches(error), "unexpected error: \(error)", sourceLocation: sourceLocation)
            }
            #expect(leftovers(beside: target).isEmpty, sourceLocation: sourceLocation)
        }
    }

    /// A chunk file from explicit entries (the byte format of Docs/spec/snapshot.md).
    static func chunkBytes(round: UInt64, index: UInt32, entries: [(key: [UInt8], value: [UInt8])]) -> [UInt8] {
        func be<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }
        var out = Array("AIRS".utf8) + be(UInt32(1)) + be(round) + be(index) + be(UInt32(entries.count))
        for entry in entries { out += be(UInt32(entry.key.count)) + entry.key + be(UInt32(entry.value.count)) + entry.value }
        return out
    }

    /// The entries of a chunk (trusting its format).
    static func entries(of chunk: [UInt8]) -> [(key: [UInt8], value: [UInt8])] {
        func u32(_ at: Int) -> Int { chunk[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        var out: [(key: [UInt8], value: [UInt8])] = []
        var offset = 24
        while offset < chunk.count {
            let keyCount = u32(offset)
            let key = Array(chunk[(offset + 4)..<(offset + 4 + keyCount)])
            offset += 4 + keyCount
            let valueCount = u32(offset)
            out.append((key, Array(chunk[(offset + 4)..<(offset + 4 + valueCount)])))
            offset += 4 + valueCount
        }
        return out
    }

    /// `manifest` with chunk `index` replaced by `bytes` (hash, size and entry count).
    static func replacing(_ manifest: SnapshotManifest, index: Int, with bytes: [UInt8], entries: Int, root: Digest256? = nil) -> SnapshotManifest {
        var chunks = manifest.chunks
        chunks[index] = SnapshotChunkInfo(index: index, hash: Blake2b.hash256(bytes), byteCount: bytes.count, entryCount: entries)
        let total = chunks.reduce(UInt64(0)) { $0 + UInt64($1.entryCount) }
        return SnapshotManifest(chainID: manifest.chainID, round: manifest.round, root: root ?? manifest.root, entryCount: total,
                                chunks: chunks, metadata: manifest.metadata)
    }

    @Test func encoderMatchesSpec() throws {
        let fixture = try Fixture()
        #expect(fixture.chunks.count >= 3)
        let rebuilt = Self.chunkBytes(round: 20, index: 1, entries: Self.entries(of: fixture.chunks[1]))
        #expect(rebuilt == fixture.chunks[1])
    }

    @Test func corruptChunk() throws {
        let fixture = try Fixture()
        var bad = fixture.chunks
        bad[1][bad[1].count / 2] ^= 0x01
        fixture.refused(chunks: bad.enumerated().map { ($0.offset, $0.element) }) {
            if case .chunkHashMismatch(20, 1, fixture.manifest.chunks[1].hash, _) = $0 { return true }
            return false
        }
    }

    @Test func truncatedChunk() throws {
        let fixture = try Fixture()
        let chunks = [(0, fixture.chunks[0]), (1, Array(fixture.chunks[1].dropLast(5)))]
        fixture.refused(chunks: chunks) {
            $0 == .chunkSizeMismatch(round: 20, index: 1, expected: fixture.chunks[1].count, actual: fixture.chunks[1].count - 5)
        }
    }

    @Test func reorderedAndDuplicatedChunks() throws {
        let fixture = try Fixture()
        fixture.refused(chunks: [(1, fixture.chunks[1]), (0, fixture.chunks[0])]) {
            $0 == .chunkOutOfOrder(round: 20, expected: 0, received: 1)
        }
        fixture.refused(chunks: [(0, fixture.chunks[0]), (0, fixture.chunks[0])]) {
            $0 == .chunkOutOfOrder(round: 20, expected: 1, received: 0)
        }
        fixture.refused(chunks: [(0, fixture.chunks[0]), (99, fixture.chunks[1])]) {
            $0 == .chunkIndexOutOfRange(round: 20, index: 99, chunkCount: fixture.chunks.count)
        }
    }

    /// A chunk of another snapshot: refused by hash; and, with a manifest forged to list its hash, by
    /// its header.
    @Test func foreignChunk() throws {
        var fixture = try Fixture()
        try fixture.source.commit(round: 21, puts: 10, seed: 21)
        let other = try SnapshotExporter.export(store: fixture.source.store, round: 21, into: fixture.source.catalog, chunkBytes: 3_000)
        let foreign = try fixture.source.catalog.chunk(round: 21, index: 0)
        fixture.refused(chunks: [(0, foreign)]) {
            if case .chunkSizeMismatch(20, 0, _, _) = $0 { return true }
            if case .chunkHashMismatch(20, 0, _, _) = $0 { return true }
            return false
        }
        let forged = Self.replacing(fixture.manifest, index: 0, with: foreign, entries: other.chunks[0].entryCount)
        fixture.refused(manifest: forged, chunks: [(0, foreign)]) {
            if case .chunkMalformed(20, 0, 8, _) = $0 { return true }
            return false
        }
    }

    /// Chunks that hash right (manifest forged to match) but break the format's rules.
    @Test func malformedEntries() throws {
        let fixture = try Fixture()
        let entries = Self.entries(of: fixture.chunks[0])
        // Two entries swapped: not in key-hash order.
        var swapped = entries
        swapped.swapAt(0, 1)
        let swappedBytes = Self.chunkBytes(round: 20, index: 0, entries: swapped)
        fixture.refused(manifest: Self.replacing(fixture.manifest, index: 0, with: swappedBytes, entries: entries.count),
                        chunks: [(0, swappedBytes)]) {
            if case .entriesNotAscending(20, 0, _, _) = $0 { return true }
            return false
        }
        // An entry repeated.
        let repeated = [entries[0]] + entries
        let repeatedBytes = Self.chunkBytes(round: 20, index: 0, entries: repeated)
        fixture.refused(manifest: Self.replacing(fixture.manifest, index: 0, with: repeatedBytes, entries: repeated.count),
                        chunks: [(0, repeatedBytes)]) {
            let second = 24 + 8 + entries[0].key.count + entries[0].value.count  // the repeat is entry 1
            if case .entriesNotAscending(20, 0, second, let reason) = $0 { return reason.contains("repeats") }
            return false
        }
        // The last entry of chunk 0 repeated at the start of chunk 1 (across chunks).
        let second = [entries[entries.count - 1]] + Self.entries(of: fixture.chunks[1])
        let secondBytes = Self.chunkBytes(round: 20, index: 1, entries: second)
        fixture.refused(manifest: Self.replacing(fixture.manifest, index: 1, with: secondBytes, entries: second.count),
                        chunks: [(0, fixture.chunks[0]), (1, secondBytes)]) {
            if case .entriesNotAscending(20, 1, 24, _) = $0 { return true }
            return false
        }
        // Trailing bytes after the last entry, and a key length of zero.
        let trailing = fixture.chunks[0] + [0]
        fixture.refused(manifest: Self.replacing(fixture.manifest, index: 0, with: trailing, entries: entries.count),
                        chunks: [(0, trailing)]) {
            if case .chunkMalformed(20, 0, fixture.chunks[0].count, _) = $0 { return true }
            return false
        }
        let emptyKey = Self.chunkBytes(round: 20, index: 0, entries: [([], [1])])
        fixture.refused(manifest: Self.replacing(fixture.manifest, index: 0, with: emptyKey, entries: 1),
                        chunks: [(0, emptyKey)]) {
            if case .chunkMalformed(20, 0, 24, _) = $0 { return true }
            return false
        }
    }

    @Test func wrongRootAndUntrustedRoot() throws {
        let fixture = try Fixture()
        let wrongRoot = Blake2b.hash256([0xBA, 0xD])
        let forged = SnapshotManifest(chainID: fixture.manifest.chainID, round: 20, root: wrongRoot, entryCount: fixture.manifest.entryCount,
                                      chunks: fixture.manifest.chunks, metadata: fixture.manifest.metadata)
        fixture.refused(manifest: forged) { $0 == .rootMismatch(round: 20, expected: wrongRoot, actual: fixture.manifest.root) }
        fixture.refused(trustedRoot: wrongRoot) {
            $0 == .untrustedRoot(round: 20, trusted: wrongRoot, manifest: fixture.manifest.root)
        }
    }

    @Test func missingChunksAndAbortedImport() throws {
        let fixture = try Fixture()
        fixture.refused(chunks: [(0, fixture.chunks[0])]) {
            $0 == .missingChunks(round: 20, applied: 1, expected: fixture.chunks.count)
        }
        var importer = try SnapshotImporter(manifest: fixture.manifest, dataDirectory: fixture.source.target(), trustedRoot: nil)
        #expect(throws: SnapshotError.chunkOutOfOrder(round: 20, expected: 0, received: 1)) {
            try importer.apply(chunkIndex: 1, bytes: fixture.chunks[1])
        }
        #expect(throws: SnapshotError.importAborted(round: 20)) { try importer.apply(chunkIndex: 0, bytes: fixture.chunks[0]) }
        #expect(leftovers(beside: fixture.source.target()).isEmpty)
    }

    /// An importer dropped midway removes its staging directory.
    @Test func droppedImportLeavesNothing() throws {
        let fixture = try Fixture()
        do {
            var importer = try SnapshotImporter(manifest: fixture.manifest, dataDirectory: fixture.source.target(), trustedRoot: nil)
            try importer.apply(chunkIndex: 0, bytes: fixture.chunks[0])
            #expect(FileManager.default.fileExists(atPath: importer.stagingDirectory))
        }
        #expect(leftovers(beside: fixture.source.target()).isEmpty)
    }

    @Test func targetNotEmpty() throws {
        let fixture = try Fixture()
        let target = fixture.source.target()
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: target + "/something", contents: Data([1]))
        #expect(throws: SnapshotError.dataDirectoryNotEmpty(path: target)) {
            _ = try SnapshotImporter(manifest: fixture.manifest, dataDirectory: target, trustedRoot: nil)
        }
        // An existing empty directory is fine.
        let empty = fixture.source.target("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        _ = try SnapshotImporter.importSnapshot(from: fixture.source.catalog, round: 20, dataDirectory: empty, trustedRoot: fixture.manifest.root)
        #expect(try fixture.source.verifyImported(at: empty, round: 20) == nil)
    }

    /// Edited manifests are refused, whether or not they still parse.
    @Test func editedManifest() throws {
        let fixture = try Fixture()
        let text = String(decoding: fixture.manifest.encoded(), as: UTF8.self)
        func refused(_ edited: String, _ matches: (SnapshotError) -> Bool) {
            do {
                _ = try SnapshotManifest(decoding: Array(edited.utf8))
                Issue.record("accepted: \(edited.prefix(80))")
            } catch {
                #expect(matches(error), "\(error)")
            }
        }
        refused(text.replacingOccurrences(of: "\"round\":20", with: "\"round\": 20")) {
            if case .manifestInvalid("", _) = $0 { return true }
            return false
        }
        refused(text.replacingOccurrences(of: "\"round\":20", with: "\"round\":20,\"extra\":1")) {
            $0 == .manifestInvalid(field: "extra", reason: "unknown field")
        }
        refused(text.replacingOccurrences(of: "\"format\":1", with: "\"format\":2")) {
            $0 == .unsupportedFormat(found: 2, supported: 1)
        }
        refused(text.replacingOccurrences(of: "\"round\":20", with: "\"round\":-20")) {
            if case .manifestInvalid("round", _) = $0 { return true }
            return false
        }
        refused(text.replacingOccurrences(of: "\"entry_count\":\(fixture.manifest.entryCount)", with: "\"entry_count\":\(fixture.manifest.entryCount + 1)")) {
            if case .manifestInvalid("entry_count", _) = $0 { return true }
            return false
        }
        refused(text.replacingOccurrences(of: "\"index\":1,", with: "\"index\":2,")) {
            if case .manifestInvalid("chunks[1].index", _) = $0 { return true }
            return false
        }
        refused(String(text.dropLast(10))) {
            if case .manifestInvalid("", _) = $0 { return true }
            return false
        }
        refused(text.replacingOccurrences(of: "\"root\":\"", with: "\"root\":\"00")) {
            if case .manifestInvalid("root", _) = $0 { return true }
            return false
        }
        // An edited manifest inside the catalog: reading it fails, so listing skips it.
        let file = fixture.source.catalog.path(round: 20) + "/manifest.json"
        try Data(text.replacingOccurrences(of: "\"round\":20", with: "\"round\":21").utf8).write(to: URL(fileURLWithPath: file))
        #expect(throws: SnapshotError.manifestInvalid(field: "round", reason: "is 21 in the directory of round 20")) {
            try fixture.source.catalog.manifest(round: 20)
        }
        #expect(try fixture.source.catalog.list().isEmpty)
    }
}
