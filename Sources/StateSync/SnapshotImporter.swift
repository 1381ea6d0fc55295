import Sodium
import StateStore
import StateTree

/// Rebuilds a store from a snapshot (ADR 0019): chunks are checked and streamed, in order, into a
/// bulk tree builder and the flat state of a fresh store in a staging directory beside the target;
/// `finish` checks the rebuilt root, writes the tree and moves the store into place. A failure at any
/// step removes the staging directory: nothing ever appears at the target from a partial import.
public struct SnapshotImporter: ~Copyable {
    /// The snapshot being imported.
    public let manifest: SnapshotManifest
    /// Where the store appears after `finish`.
    public let dataDirectory: String
    /// The directory the store is built in: `<parent>/.<name>.importing`.
    public let stagingDirectory: String
    let trustedRoot: Digest256?
    var store: StateStore?
    var builder: TreeBulkBuilder
    /// The nodes emitted so far, one list per path length (each in node key order).
    var nodeGroups: [[NodeWrite]]
    /// The entries so far, in key-hash order; written to the flat state, sorted by key, by `finish`.
    var entries: [StateStore.Write] = []
    /// The index of the next chunk due.
    public private(set) var nextChunk = 0
    var ended = false

    /// Starts an import into `dataDirectory`, which must not exist or be empty. Work happens in a
    /// sibling staging directory; nothing appears at `dataDirectory` until `finish` succeeds.
    /// `trustedRoot`, when given, must equal the manifest's root (checked now and at `finish`).
    public init(manifest: SnapshotManifest, dataDirectory: String, trustedRoot: Digest256?) throws(SnapshotError) {
        guard manifest.format == SnapshotFormat.version else {
            throw .unsupportedFormat(found: manifest.format, supported: SnapshotFormat.version)
        }
        if let trustedRoot, trustedRoot != manifest.root {
            throw .untrustedRoot(round: manifest.round, trusted: trustedRoot, manifest: manifest.root)
        }
        if FileSystem.exists(dataDirectory) {
            guard FileSystem.isDirectory(dataDirectory), try FileSystem.list(dataDirectory)?.isEmpty == true else {
                throw .dataDirectoryNotEmpty(path: dataDirectory)
            }
        }
        let (parent, name) = FileSystem.split(dataDirectory)
        let staging = parent + "/." + name + ".importing"
        try FileSystem.makeDirectories(parent)
        try FileSystem.removeTree(staging)
        let store: StateStore
        do {
            store = try StateStore(directory: staging, configuration: .init(durability: .noSync, createDirectory: true))
        } catch {
            try? FileSystem.removeTree(staging)
            throw .store(operation: "import", error: error)
        }
        self.manifest = manifest
        self.dataDirectory = dataDirectory
        self.stagingDirectory = staging
        self.trustedRoot = trustedRoot
        self.store = store
        self.builder = TreeBulkBuilder(version: manifest.round)
        self.nodeGroups = Array(repeating: [], count: NibblePath.maxCount + 1)
        self.entries.reserveCapacity(Int(min(manifest.entryCount, 1 << 22)))  // bounded: the manifest is not trusted yet
    }

    deinit {
        if !ended { abandon() }
    }

    /// Chunks in index order; each is hash-checked, decoded strictly (order, no duplicates, bounds),
    /// streamed into the builder.
    public mutating func apply(chunkIndex: Int, bytes: [UInt8]) throws(SnapshotError) {
        guard !ended, let store else { throw .importAborted(round: manifest.round) }
        do {
            try apply(chunkIndex: chunkIndex, bytes: bytes, store: store)
        } catch {
            abandon()
            ended = true
            throw error
        }
    }

    private mutating func apply(chunkIndex: Int, bytes: [UInt8], store: StateStore) throws(SnapshotError) {
        let round = manifest.round
        guard chunkIndex >= 0, chunkIndex < manifest.chunks.count else {
            throw .chunkIndexOutOfRange(round: round, index: chunkIndex, chunkCount: manifest.chunks.count)
        }
        guard chunkIndex == nextChunk else { throw .chunkOutOfOrder(round: round, expected: nextChunk, received: chunkIndex) }
        let info = manifest.chunks[chunkIndex]
        guard bytes.count == info.byteCount else {
            throw .chunkSizeMismatch(round: round, index: chunkIndex, expected: info.byteCount, actual: bytes.count)
        }
        let (hash, decoded) = SnapshotChunk.hashAndDecode(bytes, round: round, index: chunkIndex, expectedEntries: info.entryCount)
        guard hash == info.hash else { throw .chunkHashMismatch(round: round, index: chunkIndex, expected: info.hash, actual: hash) }
        let (spans, leaves) = try decoded.get()
        var builder = self.builder
        try SnapshotChunk.checkOrder(leaves, spans: spans, after: builder.lastKeyHash, round: round, index: chunkIndex)
        var flat = self.entries
        self.entries = []
        for leaf in leaves {
            flat.append(.put(leaf.key, leaf.value))
            do throws(BulkBuildError) { try builder.add(leaf) } catch {
                throw .entriesNotAscending(round: round, index: chunkIndex, offset: 0, reason: error.description)
            }
        }
        for write in builder.takeNodes() { nodeGroups[write.key.path.count].append(write) }
        self.builder = builder
        self.entries = flat
        nextChunk += 1
    }

    /// Checks the rebuilt root against the manifest (and trustedRoot), commits, moves the store into place.
    public consuming func finish() throws(SnapshotError) -> Digest256 {
        guard !ended, store != nil else { throw .importAborted(round: manifest.round) }
        do throws(SnapshotError) {
            let root = try completeAndClose()
            if FileSystem.exists(dataDirectory) {
                guard try FileSystem.list(dataDirectory)?.isEmpty == true else { throw .dataDirectoryNotEmpty(path: dataDirectory) }
                try FileSystem.removeTree(dataDirectory)
            }
            try FileSystem.renameItem(stagingDirectory, dataDirectory)
            try FileSystem.syncDirectory(FileSystem.split(dataDirectory).parent)
            ended = true
            return root
        } catch {
            self.store = nil
            abandon()
            ended = true
            throw error
        }
    }

    /// Checks the root, writes the tree and closes the store (its environment is closed on return,
    /// before the move).
    private mutating func completeAndClose() throws(SnapshotError) -> Digest256 {
        guard let store = self.store else { throw .importAborted(round: manifest.round) }
        self.store = nil
        let round = manifest.round
        guard nextChunk == manifest.chunks.count else {
            throw .missingChunks(round: round, applied: nextChunk, expected: manifest.chunks.count)
        }
        let root: RootRecord
        do { root = try builder.finish() } catch {
            throw .entriesNotAscending(round: round, index: nextChunk, offset: 0, reason: error.description)
        }
        for write in builder.takeNodes() { nodeGroups[write.key.path.count].append(write) }
        guard root.rootHash == manifest.root else {
            throw .rootMismatch(round: round, expected: manifest.root, actual: root.rootHash)
        }
        if let trustedRoot, trustedRoot != root.rootHash {
            throw .untrustedRoot(round: round, trusted: trustedRoot, manifest: manifest.root)
        }
        let metadata = manifest.metadata.map { StateStore.Write.put($0.key, $0.value) }
        do {
            try store.importFlatState(Self.sortedByKey(entries), appending: true)
            entries = []
            try store.importTree(root: root, nodeGroups: nodeGroups, metadata: metadata)
            try store.sync()
        } catch {
            throw .store(operation: "import", error: error)
        }
        nodeGroups = []
        return root.rootHash
    }

    /// The entries in ascending key order: sorts (first 8 key bytes, position) pairs of plain integers,
    /// comparing whole keys only on equal prefixes.
    static func sortedByKey(_ entries: [StateStore.Write]) -> [StateStore.Write] {
        var order: [(prefix: UInt64, index: Int)] = []
        order.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            var prefix: UInt64 = 0
            for position in 0..<8 {
                prefix = prefix << 8 | UInt64(position < entry.key.count ? entry.key[position] : 0)
            }
            order.append((prefix, index))
        }
        order.sort {
            if $0.prefix != $1.prefix { return $0.prefix < $1.prefix }
            return entries[$0.index].key.lexicographicallyPrecedes(entries[$1.index].key)
        }
        return order.map { entries[$0.index] }
    }

    /// Removes the staging directory (best effort: the import has already failed or been dropped).
    private func abandon() {
        try? FileSystem.removeTree(stagingDirectory)
    }

    /// Convenience: imports a snapshot from a local catalog.
    public static func importSnapshot(
        from catalog: SnapshotCatalog, round: UInt64, dataDirectory: String, trustedRoot: Digest256?
    ) throws(SnapshotError) -> Digest256 {
        guard let manifest = try catalog.manifest(round: round) else { throw .snapshotNotFound(round: round) }
        var importer = try SnapshotImporter(manifest: manifest, dataDirectory: dataDirectory, trustedRoot: trustedRoot)
        for index in manifest.chunks.indices {
            try importer.apply(chunkIndex: index, bytes: try catalog.rawChunk(round: round, index: index))
        }
        return try importer.finish()
    }
}
