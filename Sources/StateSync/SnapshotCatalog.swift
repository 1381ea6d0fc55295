import Sodium

/// The snapshots kept in one directory: `<directory>/<round, 20 digits>/manifest.json` and
/// `chunk-000000.bin`, `chunk-000001.bin`, …. A snapshot directory appears complete, by rename, or
/// not at all; names starting with `.` are work in progress and ignored.
public struct SnapshotCatalog: Sendable {
    /// The catalog's directory.
    public let directory: String

    /// A catalog in `directory` (created by the first export).
    public init(directory: String) {
        self.directory = directory
    }

    /// The directory of the snapshot of `round`.
    public func path(round: UInt64) -> String {
        directory + "/" + SnapshotFormat.directoryName(round: round)
    }

    /// The manifests of the complete snapshots, ascending by round. Directories that are not named as
    /// a round, or whose manifest is missing, undecodable or of another round, are skipped.
    public func list() throws(SnapshotError) -> [SnapshotManifest] {
        guard let names = try FileSystem.list(directory) else { return [] }
        var out: [SnapshotManifest] = []
        for name in names where name.utf8.count == 20 && name.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            guard let round = UInt64(name) else { continue }
            guard let manifest = try? manifest(round: round) else { continue }
            out.append(manifest)
        }
        return out
    }

    /// The manifest of the snapshot of `round`, or nil when there is none. Throws when it exists but
    /// is invalid or names another round.
    public func manifest(round: UInt64) throws(SnapshotError) -> SnapshotManifest? {
        let file = path(round: round) + "/" + SnapshotFormat.manifestFileName
        guard let bytes = try FileSystem.readFile(file, maxBytes: 64 << 20) else { return nil }
        let manifest = try SnapshotManifest(decoding: bytes)
        guard manifest.round == round else {
            throw .manifestInvalid(field: "round", reason: "is \(manifest.round) in the directory of round \(round)")
        }
        return manifest
    }

    /// The bytes of chunk `index` of the snapshot of `round`, checked against the manifest's size and
    /// hash before they are returned.
    public func chunk(round: UInt64, index: Int) throws(SnapshotError) -> [UInt8] {
        guard let manifest = try manifest(round: round) else { throw .snapshotNotFound(round: round) }
        return try chunk(of: manifest, index: index)
    }

    /// `chunk(round:index:)` with the manifest already read.
    public func chunk(of manifest: SnapshotManifest, index: Int) throws(SnapshotError) -> [UInt8] {
        let round = manifest.round
        guard index >= 0, index < manifest.chunks.count else {
            throw .chunkIndexOutOfRange(round: round, index: index, chunkCount: manifest.chunks.count)
        }
        let info = manifest.chunks[index]
        let bytes = try rawChunk(round: round, index: index)
        guard bytes.count == info.byteCount else {
            throw .chunkSizeMismatch(round: round, index: index, expected: info.byteCount, actual: bytes.count)
        }
        let hash = Blake2b.hash256(bytes)
        guard hash == info.hash else { throw .chunkHashMismatch(round: round, index: index, expected: info.hash, actual: hash) }
        return bytes
    }

    /// The bytes of a chunk file, unchecked (the importer checks them itself).
    func rawChunk(round: UInt64, index: Int) throws(SnapshotError) -> [UInt8] {
        let file = path(round: round) + "/" + SnapshotFormat.chunkFileName(index: index)
        guard let bytes = try FileSystem.readFile(file, maxBytes: SnapshotFormat.maxChunkBytes + 1) else {
            throw .io(operation: "open", path: file, errno: 2)
        }
        return bytes
    }

    /// Removes the snapshot of `round`: renamed out of sight first (atomic), then deleted. Absent is fine.
    public func remove(round: UInt64) throws(SnapshotError) {
        let target = path(round: round)
        guard FileSystem.exists(target) else { return }
        let trash = directory + "/.removing-" + SnapshotFormat.directoryName(round: round) + "-\(FileSystem.processID)"
        try FileSystem.removeTree(trash)
        try FileSystem.renameItem(target, trash)
        try FileSystem.removeTree(trash)
    }

    /// Removes every snapshot but the `keepLatest` most recent ones (0 removes all).
    public func prune(keepLatest: Int) throws(SnapshotError) {
        let rounds = try list().map(\.round)
        let keep = max(keepLatest, 0)
        guard rounds.count > keep else { return }
        for round in rounds.prefix(rounds.count - keep) { try remove(round: round) }
    }
}
