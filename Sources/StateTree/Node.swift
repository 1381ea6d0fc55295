import Sodium

/// A node of the tree as stored under its `NodeKey` (rules ST-4, ST-5).
public enum Node: Equatable, Sendable {
    case leaf(LeafNode)
    case `internal`(InternalNode)

    /// The tag byte of a leaf encoding (and of a leaf child's kind).
    public static let leafTag: UInt8 = 0x00
    /// The tag byte of an internal-node encoding (and of an internal child's kind).
    public static let internalTag: UInt8 = 0x01

    /// The node hash (rules ST-6, ST-7).
    public var hash: Digest256 {
        switch self {
        case .leaf(let leaf): return leaf.hash
        case .internal(let node): return node.hash
        }
    }

    /// True for a leaf.
    public var isLeaf: Bool {
        if case .leaf = self { return true }
        return false
    }

    /// The canonical bytes.
    public var encoded: [UInt8] {
        switch self {
        case .leaf(let leaf): return leaf.encoded
        case .internal(let node): return node.encoded
        }
    }

    /// Decodes and checks a stored node: known tag, exact length, leaf hashes matching the key and
    /// value, canonical internal shape.
    public init(decoding bytes: [UInt8]) throws(TreeDecodingError) {
        try self.init(decoding: bytes, checkingHashes: true)
    }

    /// Decodes a stored node; `checkingHashes: false` skips the leaf's key and value hash checks.
    init(decoding bytes: [UInt8], checkingHashes: Bool) throws(TreeDecodingError) {
        var reader = ByteReader(bytes, type: "Node")
        let tag = try reader.u8("tag")
        switch tag {
        case Node.leafTag:
            reader = ByteReader(bytes, type: "LeafNode")
            _ = try reader.u8("tag")
            self = .leaf(try LeafNode(readingBody: &reader, checkingHashes: checkingHashes))
        case Node.internalTag:
            reader = ByteReader(bytes, type: "InternalNode")
            _ = try reader.u8("tag")
            self = .internal(try InternalNode(readingBody: &reader))
        default:
            throw reader.error("tag", .unknownTag(tag), at: 0)
        }
        try reader.finish()
    }
}
