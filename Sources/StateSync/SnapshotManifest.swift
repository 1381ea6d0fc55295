import Sodium

/// What a snapshot of one round holds: its root, entry count, chunks (with hashes) and the shell's
/// metadata. Stored as `manifest.json`, in the canonical form `encoded()` writes (Docs/spec/snapshot.md).
public struct SnapshotManifest: Sendable, Equatable {
    /// The snapshot format (`SnapshotFormat.version`).
    public let format: UInt32
    /// The chain id the store was initialised with (empty when the store has none).
    public let chainID: String
    /// The round (tree version) the snapshot holds.
    public let round: UInt64
    /// The root hash of the tree at `round`.
    public let root: Digest256
    /// The number of key-value entries (leaves) in all chunks.
    public let entryCount: UInt64
    /// The chunks in index order.
    public let chunks: [SnapshotChunkInfo]
    /// The shell's metadata to restore, strictly ascending by key.
    public let metadata: [SnapshotMetadataEntry]

    public init(
        format: UInt32 = SnapshotFormat.version, chainID: String, round: UInt64, root: Digest256, entryCount: UInt64,
        chunks: [SnapshotChunkInfo], metadata: [SnapshotMetadataEntry]
    ) {
        self.format = format
        self.chainID = chainID
        self.round = round
        self.root = root
        self.entryCount = entryCount
        self.chunks = chunks
        self.metadata = metadata
    }

    /// The identity of the snapshot: BLAKE2b-256 of `encoded()`.
    public var id: Digest256 { Blake2b.hash256(encoded()) }

    /// The total size of the chunks in bytes.
    public var totalChunkBytes: Int { chunks.reduce(0) { $0 + $1.byteCount } }
}
