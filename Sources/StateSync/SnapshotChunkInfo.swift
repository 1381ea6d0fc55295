import Sodium

/// One chunk as the manifest lists it.
public struct SnapshotChunkInfo: Sendable, Equatable {
    /// The chunk's position (0, 1, …): chunks are applied in this order.
    public let index: Int
    /// BLAKE2b-256 of the whole chunk file.
    public let hash: Digest256
    /// The chunk file's size in bytes.
    public let byteCount: Int
    /// The number of key-value entries in the chunk.
    public let entryCount: Int

    public init(index: Int, hash: Digest256, byteCount: Int, entryCount: Int) {
        self.index = index
        self.hash = hash
        self.byteCount = byteCount
        self.entryCount = entryCount
    }
}
