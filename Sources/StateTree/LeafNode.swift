import Sodium

/// A leaf: one key and its value (rule ST-4). The node hash covers only `keyHash` and `valueHash`
/// (rule ST-6); the raw key and value are stored so that a read at a version needs only the tree.
public struct LeafNode: Equatable, Sendable {
    /// BLAKE2b-256 of `key` (rule ST-1).
    public let keyHash: Digest256
    /// BLAKE2b-256 of `value` (rule ST-2).
    public let valueHash: Digest256
    /// The raw key bytes.
    public let key: [UInt8]
    /// The raw value bytes.
    public let value: [UInt8]

    /// A leaf for `key` and `value`, hashing both.
    public init(key: [UInt8], value: [UInt8]) {
        self.init(key: key, keyHash: TreeHash.keyHash(key), value: value, valueHash: TreeHash.valueHash(value))
    }

    /// A leaf from already computed hashes (which the caller guarantees match).
    init(key: [UInt8], keyHash: Digest256, value: [UInt8], valueHash: Digest256) {
        self.key = key
        self.keyHash = keyHash
        self.value = value
        self.valueHash = valueHash
    }

    /// The node hash (rule ST-6).
    public var hash: Digest256 { TreeHash.leaf(keyHash: keyHash, valueHash: valueHash) }

    /// The canonical bytes (rule ST-4):
    /// `0x00 ‖ keyHash (32) ‖ valueHash (32) ‖ key length (u32 BE) ‖ key ‖ value length (u32 BE) ‖ value`.
    public var encoded: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(73 + key.count + value.count)
        out.append(Node.leafTag)
        keyHash.append(to: &out)
        valueHash.append(to: &out)
        out.appendBE(UInt32(truncatingIfNeeded: key.count))
        out.append(contentsOf: key)
        out.appendBE(UInt32(truncatingIfNeeded: value.count))
        out.append(contentsOf: value)
        return out
    }

    /// Reads the fields after the tag; checks that both hashes match the bytes they cover.
    init(readingBody reader: inout ByteReader) throws(TreeDecodingError) {
        let keyHashOffset = reader.offset
        let keyHash = try reader.digest("keyHash")
        let valueHashOffset = reader.offset
        let valueHash = try reader.digest("valueHash")
        let keyLength = try reader.u32("keyLength")
        let key = try reader.take(Int(keyLength), "key")
        let valueLength = try reader.u32("valueLength")
        let value = try reader.take(Int(valueLength), "value")
        guard TreeHash.keyHash(key) == keyHash else {
            throw reader.error("keyHash", .hashMismatch, at: keyHashOffset)
        }
        guard TreeHash.valueHash(value) == valueHash else {
            throw reader.error("valueHash", .hashMismatch, at: valueHashOffset)
        }
        self.init(key: key, keyHash: keyHash, value: value, valueHash: valueHash)
    }
}
