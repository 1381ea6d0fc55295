import Sodium

/// The hash functions of the tree (rules ST-1, ST-2, ST-6, ST-7, ST-8). All are BLAKE2b-256.
public enum TreeHash {
    /// Domain tag of a leaf hash preimage (rule ST-6).
    public static let leafTag: UInt8 = 0x00
    /// Domain tag of an internal-node hash preimage (rule ST-7).
    public static let internalTag: UInt8 = 0x01
    /// The ASCII string whose BLAKE2b-256 is the root of the empty tree (rule ST-8).
    public static let emptyRootDomain = "ai-registry/state-tree/v1/empty"

    /// The root of the empty tree: BLAKE2b-256 of `emptyRootDomain` (rule ST-8).
    public static let emptyRoot: Digest256 = Blake2b.hash256(Array(emptyRootDomain.utf8))

    /// The key hash: BLAKE2b-256 of the raw key bytes (rule ST-1).
    @inline(__always)
    public static func keyHash(_ key: [UInt8]) -> Digest256 { Blake2b.hash256(key) }

    /// The value hash: BLAKE2b-256 of the raw value bytes (rule ST-2).
    @inline(__always)
    public static func valueHash(_ value: [UInt8]) -> Digest256 { Blake2b.hash256(value) }

    /// The hash of a leaf: BLAKE2b-256(0x00 ‖ keyHash ‖ valueHash) (rule ST-6).
    public static func leaf(keyHash: Digest256, valueHash: Digest256) -> Digest256 {
        withUnsafeTemporaryAllocation(byteCount: 65, alignment: 8) { buffer in
            let base = buffer.baseAddress!
            base.storeBytes(of: leafTag, as: UInt8.self)
            keyHash.store(to: base + 1)
            valueHash.store(to: base + 33)
            return Blake2b.hash256(raw: UnsafeRawBufferPointer(buffer))
        }
    }

    /// The hash of an internal node: BLAKE2b-256(0x01 ‖ bitmap (2 bytes, big-endian) ‖ the hashes of the
    /// present children in ascending nibble order) (rule ST-7). `hashes` must hold exactly one hash per
    /// set bit of `bitmap`, in nibble order.
    public static func `internal`(bitmap: UInt16, hashes: UnsafeBufferPointer<Digest256>) -> Digest256 {
        withUnsafeTemporaryAllocation(byteCount: 3 + 32 * 16, alignment: 8) { buffer in
            let base = buffer.baseAddress!
            base.storeBytes(of: internalTag, as: UInt8.self)
            base.storeBytes(of: UInt8(truncatingIfNeeded: bitmap >> 8), toByteOffset: 1, as: UInt8.self)
            base.storeBytes(of: UInt8(truncatingIfNeeded: bitmap), toByteOffset: 2, as: UInt8.self)
            let count = min(hashes.count, 16)
            for i in 0..<count { hashes[i].store(to: base + 3 + 32 * i) }
            return Blake2b.hash256(raw: UnsafeRawBufferPointer(rebasing: buffer[0..<(3 + 32 * count)]))
        }
    }

    /// The hash of an internal node from an array of child hashes (see `internal(bitmap:hashes:)`).
    public static func `internal`(bitmap: UInt16, hashes: [Digest256]) -> Digest256 {
        hashes.withUnsafeBufferPointer { `internal`(bitmap: bitmap, hashes: $0) }
    }
}
