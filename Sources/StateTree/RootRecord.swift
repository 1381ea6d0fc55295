import Sodium

/// The root of one version (rule ST-10): stored under the key `version (u64 BE)`.
///
/// The value is `0x00` for the empty tree, or `0x01 ‖ root node version (u64 BE) ‖ root hash (32)`:
/// the root node is the node at the empty path with that version (a version whose batch changed
/// nothing points at an earlier version's root node).
public struct RootRecord: Equatable, Sendable, CustomStringConvertible {
    /// The version this record describes.
    public let version: UInt64
    /// The version of the root node's key, or nil when the tree is empty.
    public let rootNodeVersion: UInt64?
    /// The root hash (`TreeHash.emptyRoot` for the empty tree).
    public let rootHash: Digest256

    /// The record of an empty tree at `version`.
    public static func empty(version: UInt64) -> RootRecord {
        RootRecord(version: version, rootNodeVersion: nil, rootHash: TreeHash.emptyRoot)
    }

    /// A record whose root node is `NodeKey.root(rootNodeVersion)` with hash `rootHash`.
    public init(version: UInt64, rootNodeVersion: UInt64?, rootHash: Digest256) {
        self.version = version
        self.rootNodeVersion = rootNodeVersion
        self.rootHash = rootNodeVersion == nil ? TreeHash.emptyRoot : rootHash
    }

    /// The key of the root node, or nil for the empty tree.
    public var rootNodeKey: NodeKey? { rootNodeVersion.map(NodeKey.root) }

    /// The store key of the record of `version`: 8 bytes big-endian.
    public static func key(version: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(8)
        out.appendBE(version)
        return out
    }

    /// The store key of this record.
    public var key: [UInt8] { RootRecord.key(version: version) }

    /// The canonical value bytes (rule ST-10).
    public var encoded: [UInt8] {
        guard let nodeVersion = rootNodeVersion else { return [0x00] }
        var out: [UInt8] = []
        out.reserveCapacity(41)
        out.append(0x01)
        out.appendBE(nodeVersion)
        rootHash.append(to: &out)
        return out
    }

    /// Decodes the value stored for `version`; rejects unknown tags, a root node version above
    /// `version`, and missing or trailing bytes.
    public init(version: UInt64, decoding bytes: [UInt8]) throws(TreeDecodingError) {
        var reader = ByteReader(bytes, type: "RootRecord")
        let tag = try reader.u8("tag")
        switch tag {
        case 0x00:
            try reader.finish()
            self = .empty(version: version)
        case 0x01:
            let nodeVersionOffset = reader.offset
            let nodeVersion = try reader.u64("rootNodeVersion")
            guard nodeVersion <= version else {
                throw reader.error("rootNodeVersion", .outOfRange(nodeVersion), at: nodeVersionOffset)
            }
            let hash = try reader.digest("rootHash")
            try reader.finish()
            self.init(version: version, rootNodeVersion: nodeVersion, rootHash: hash)
        default:
            throw reader.error("tag", .unknownTag(tag), at: 0)
        }
    }

    public var description: String {
        if let nodeVersion = rootNodeVersion {
            return "root(version \(version), node version \(nodeVersion), \(rootHash))"
        }
        return "root(version \(version), empty)"
    }
}
