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
        LeafNode.encode(keyHash: keyHash, valueHash: valueHash, key: key, value: value)
    }

    /// The canonical bytes of a leaf from its parts (rule ST-4).
    static func encode(keyHash: Digest256, valueHash: Digest256, key: [UInt8], value: [UInt8]) -> [UInt8] {
        let total = 73 + key.count + value.count
        return [UInt8](unsafeUninitializedCapacity: total) { buffer, count in
            write(keyHash: keyHash, valueHash: valueHash, key: key, value: value, to: UnsafeMutableRawPointer(buffer.baseAddress!))
            count = total
        }
    }

    /// Appends the canonical bytes of a leaf from its parts to `out` (see `encode(keyHash:valueHash:key:value:)`).
    static func encode(keyHash: Digest256, valueHash: Digest256, key: [UInt8], value: [UInt8], appendingTo out: inout [UInt8]) {
        let total = 73 + key.count + value.count
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: total))
        out.withUnsafeMutableBytes { raw in
            write(keyHash: keyHash, valueHash: valueHash, key: key, value: value, to: raw.baseAddress! + start)
        }
    }

    /// Writes the `73 + key.count + value.count` canonical bytes of a leaf at `base`.
    private static func write(
        keyHash: Digest256, valueHash: Digest256, key: [UInt8], value: [UInt8], to base: UnsafeMutableRawPointer
    ) {
        base.storeBytes(of: Node.leafTag, as: UInt8.self)
        keyHash.store(to: base + 1)
        valueHash.store(to: base + 33)
        base.storeBytes(of: UInt32(truncatingIfNeeded: key.count).bigEndian, toByteOffset: 65, as: UInt32.self)
        key.withUnsafeBytes { if let source = $0.baseAddress { (base + 69).copyMemory(from: source, byteCount: $0.count) } }
        let valueOffset = 69 + key.count
        base.storeBytes(of: UInt32(truncatingIfNeeded: value.count).bigEndian, toByteOffset: valueOffset, as: UInt32.self)
        value.withUnsafeBytes { if let source = $0.baseAddress { (base + valueOffset + 4).copyMemory(from: source, byteCount: $0.count) } }
    }

    /// Reads the fields after the tag; checks that both hashes match the bytes they cover.
    init(readingBody reader: inout ByteReader, checkingHashes: Bool = true) throws(TreeDecodingError) {
        let keyHashOffset = reader.offset
        let keyHash = try reader.digest("keyHash")
        let valueHashOffset = reader.offset
        let valueHash = try reader.digest("valueHash")
        let keyLength = try reader.u32("keyLength")
        let key = try reader.take(Int(keyLength), "key")
        let valueLength = try reader.u32("valueLength")
        let value = try reader.take(Int(valueLength), "value")
        guard !checkingHashes || TreeHash.keyHash(key) == keyHash else {
            throw reader.error("keyHash", .hashMismatch, at: keyHashOffset)
        }
        guard !checkingHashes || TreeHash.valueHash(value) == valueHash else {
            throw reader.error("valueHash", .hashMismatch, at: valueHashOffset)
        }
        self.init(key: key, keyHash: keyHash, value: value, valueHash: valueHash)
    }
}
