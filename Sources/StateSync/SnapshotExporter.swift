import Sodium
import StateStore
import StateTree

/// Writes snapshots of a store's retained rounds into a catalog (ADR 0019).
public enum SnapshotExporter {
    /// The metadata key holding the chain id (RegistryNode's `ConsensusService.MetadataKey.chainID`).
    public static let chainIDMetadataKey: [UInt8] = Array("registry.chain_id".utf8)

    /// Exports `round` (nil = latest) into the catalog: writes to a temporary directory, fsyncs, renames.
    ///
    /// The leaves are read in key-hash order from one store snapshot (an LMDB read transaction), so
    /// the export is consistent while rounds continue to commit, and any retained round can be
    /// exported. Every node read is re-hashed (a damaged store is refused, not exported). The shell's
    /// metadata is that of the store's latest version. When a snapshot of the round with the same root
    /// is already in the catalog, its manifest is returned and nothing is written.
    public static func export(
        store: StateStore, round: UInt64?, into catalog: SnapshotCatalog,
        chunkBytes: Int = SnapshotFormat.maxChunkBytes
    ) throws(SnapshotError) -> SnapshotManifest {
        guard chunkBytes >= SnapshotFormat.minChunkBytes, chunkBytes <= SnapshotFormat.maxChunkBytes else {
            throw .invalidChunkBytes(chunkBytes)
        }
        let snapshot: Snapshot
        do { snapshot = try store.snapshot() } catch { throw .store(operation: "export", error: error) }
        let result: Result<SnapshotManifest, SnapshotError>
        do { result = .success(try export(snapshot: snapshot, round: round, into: catalog, chunkBytes: chunkBytes)) } catch {
            result = .failure(error)
        }
        snapshot.close()
        return try result.get()
    }

    private static func export(
        snapshot: borrowing Snapshot, round: UInt64?, into catalog: SnapshotCatalog, chunkBytes: Int
    ) throws(SnapshotError) -> SnapshotManifest {
        guard let latest = snapshot.version else { throw .roundNotAvailable(round: round, reason: "the store is empty") }
        let target = round ?? latest
        let root: RootRecord
        do { root = try snapshot.rootRecord(at: target) } catch {
            if case .tree(_, .versionNotFound) = error {
                throw .roundNotAvailable(round: target, reason: "not retained (latest \(latest)); see `snapshot list` or pick a retained round")
            }
            throw .store(operation: "export", error: error)
        }
        if let existing = try? catalog.manifest(round: target), existing.root == root.rootHash { return existing }
        let metadata: [SnapshotMetadataEntry]
        do { metadata = try snapshot.metadataEntries().map { SnapshotMetadataEntry(key: $0.key, value: $0.value) } } catch {
            throw .store(operation: "export", error: error)
        }
        let chainID = metadata.first { $0.key == chainIDMetadataKey }.map { String(decoding: $0.value, as: UTF8.self) } ?? ""

        try FileSystem.makeDirectories(catalog.directory)
        let temporary = catalog.directory + "/.export-" + SnapshotFormat.directoryName(round: target) + "-\(FileSystem.processID)"
        try FileSystem.removeTree(temporary)
        try FileSystem.makeDirectory(temporary)
        do {
            let manifest = try writeChunks(snapshot: snapshot, root: root, chainID: chainID, metadata: metadata,
                                           directory: temporary, chunkBytes: chunkBytes)
            try FileSystem.writeNewFile(temporary + "/" + SnapshotFormat.manifestFileName, manifest.encoded())
            try FileSystem.syncDirectory(temporary)
            let final = catalog.path(round: target)
            if FileSystem.exists(final) { try catalog.remove(round: target) }
            try FileSystem.renameItem(temporary, final)
            try FileSystem.syncDirectory(catalog.directory)
            return manifest
        } catch {
            try? FileSystem.removeTree(temporary)
            throw error
        }
    }

    /// Walks the leaves of `root.version` and writes the chunk files; returns the manifest.
    private static func writeChunks(
        snapshot: borrowing Snapshot, root: RootRecord, chainID: String, metadata: [SnapshotMetadataEntry],
        directory: String, chunkBytes: Int
    ) throws(SnapshotError) -> SnapshotManifest {
        let round = root.version
        var chunks: [SnapshotChunkInfo] = []
        var writer = SnapshotChunk.Writer(round: round, index: 0, capacity: chunkBytes)
        var total: UInt64 = 0
        var failure: SnapshotError? = nil

        func flush(_ writer: SnapshotChunk.Writer) throws(SnapshotError) {
            let bytes = writer.finish()
            try FileSystem.writeNewFile(directory + "/" + SnapshotFormat.chunkFileName(index: writer.index), bytes)
            chunks.append(SnapshotChunkInfo(index: writer.index, hash: Blake2b.hash256(bytes), byteCount: bytes.count,
                                            entryCount: writer.entryCount))
        }

        do throws(StateStoreError) {
            try snapshot.forEachLeaf(version: round) { leaf in
                let size = SnapshotChunk.entryBytes(keyCount: leaf.key.count, valueCount: leaf.value.count)
                guard leaf.key.count <= SnapshotFormat.maxKeyBytes,
                      SnapshotFormat.chunkHeaderBytes + size <= chunkBytes else {
                    failure = .entryTooLarge(round: round, byteCount: size, chunkBytes: chunkBytes)
                    return false
                }
                if writer.bytes.count + size > chunkBytes {
                    do throws(SnapshotError) { try flush(writer) } catch {
                        failure = error
                        return false
                    }
                    writer = SnapshotChunk.Writer(round: round, index: writer.index + 1, capacity: chunkBytes)
                }
                writer.add(key: leaf.key, value: leaf.value)
                total += 1
                return true
            }
        } catch {
            throw .store(operation: "export", error: error)
        }
        if let failure { throw failure }
        if writer.entryCount > 0 { try flush(writer) }
        return SnapshotManifest(chainID: chainID, round: round, root: root.rootHash, entryCount: total, chunks: chunks,
                                metadata: metadata)
    }
}
