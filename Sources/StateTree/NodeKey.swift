import Sodium

/// The storage key of a node: the version that created it and its nibble path (rule ST-9).
///
/// Encoded as `version (8 bytes, big-endian) ‖ nibble count (1 byte) ‖ packed nibbles`, so all nodes
/// of a version sort after those of earlier versions and a store can append them (ADR 0002).
public struct NodeKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The version (round) in which the node was written.
    public let version: UInt64
    /// The position of the node in the tree.
    public let path: NibblePath

    public init(version: UInt64, path: NibblePath) {
        self.version = version
        self.path = path
    }

    /// The root position at `version`.
    public static func root(_ version: UInt64) -> NodeKey {
        NodeKey(version: version, path: NibblePath())
    }

    /// The length in bytes of the encoding of a key whose path has `nibbleCount` nibbles.
    public static func encodedCount(nibbleCount: Int) -> Int { 9 + (nibbleCount + 1) / 2 }

    /// The canonical bytes (rule ST-9).
    public var encoded: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(NodeKey.encodedCount(nibbleCount: path.count))
        append(to: &out)
        return out
    }

    /// Appends the canonical bytes to `out`.
    public func append(to out: inout [UInt8]) {
        // version ‖ count ‖ the packed words (big-endian, w0 first), of which ⌈count/2⌉ bytes are kept;
        // written from the words through a stack buffer, without a temporary array.
        let count = path.count
        let packed = path.packed
        withUnsafeTemporaryAllocation(byteCount: 41, alignment: 8) { raw in
            raw.storeBytes(of: version.bigEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: UInt8(truncatingIfNeeded: count), toByteOffset: 8, as: UInt8.self)
            packed.store(to: raw.baseAddress! + 9)
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[0..<(9 + (count + 1) / 2)]))
        }
    }

    /// Decodes the canonical bytes; rejects a count above 64, a non-zero padding nibble, and missing or
    /// trailing bytes.
    public init(decoding bytes: [UInt8]) throws(TreeDecodingError) {
        var reader = ByteReader(bytes, type: "NodeKey")
        try self.init(reading: &reader)
        try reader.finish()
    }

    init(reading reader: inout ByteReader) throws(TreeDecodingError) {
        let version = try reader.u64("version")
        let countOffset = reader.offset
        let count = Int(try reader.u8("nibbleCount"))
        guard count <= NibblePath.maxCount else {
            throw reader.error("nibbleCount", .outOfRange(UInt64(count)), at: countOffset)
        }
        let pathOffset = reader.offset
        let packed = try reader.take((count + 1) / 2, "nibbles")
        if count % 2 == 1, packed[packed.count - 1] & 0x0F != 0 {
            throw reader.error("nibbles", .nonCanonical, at: pathOffset + packed.count - 1)
        }
        var full = [UInt8](repeating: 0, count: 32)
        full.replaceSubrange(0..<packed.count, with: packed)
        let digest = full.withUnsafeBytes { Digest256(unsafeRaw: $0.baseAddress!) }
        self.init(version: version, path: NibblePath(prefixOf: digest, count: count))
    }

    /// Orders by version, then path: the order of the encoded bytes.
    public static func < (a: NodeKey, b: NodeKey) -> Bool {
        if a.version != b.version { return a.version < b.version }
        return a.path < b.path
    }

    public var description: String { "node(version \(version), path \"\(path)\")" }
}
