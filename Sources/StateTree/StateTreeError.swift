import Sodium

/// Why a stored node could not be used.
public enum NodeCorruption: Equatable, Sendable {
    /// The bytes are not a canonical node encoding.
    case undecodable(TreeDecodingError)
    /// The node's hash differs from the hash its parent (or root record) holds for it.
    case hashMismatch(expected: Digest256, actual: Digest256)
    /// The parent says leaf and the node is internal, or the reverse.
    case kindMismatch(expectedLeaf: Bool)
    /// A leaf whose key hash does not begin with the leaf's path.
    case leafOffPath
    /// A child whose version is above the version of the node that references it.
    case childFromLaterVersion(nibble: Int, childVersion: UInt64)
}

/// A failure of a tree operation. Bad input and corrupt storage are errors, never traps and never a
/// silent "absent".
public enum StateTreeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `updates[index].key` is not strictly greater than `updates[index - 1].key` (unsorted or
    /// duplicate keys; rule ST-20).
    case updatesNotStrictlyAscending(index: Int)
    /// A key or value longer than `StateTree.maxLength` bytes.
    case entryTooLong(index: Int, field: String, length: Int)
    /// `apply` was given a version not above the latest committed one (rule ST-21).
    case versionNotIncreasing(version: UInt64, latest: UInt64)
    /// No root record exists for the version (never committed, or pruned).
    case versionNotFound(UInt64)
    /// A prune would remove the latest version (`firstRetained` above `latest`), or the store is empty.
    case invalidPruneTarget(firstRetained: UInt64, latest: UInt64?)
    /// The node `key`, referenced by the tree of `version`, is missing from the store.
    case missingNode(key: NodeKey, version: UInt64)
    /// The node `key`, read for the tree of `version`, is corrupt.
    case corruptNode(key: NodeKey, version: UInt64, reason: NodeCorruption)
    /// The root record of `version` is corrupt.
    case corruptRootRecord(version: UInt64, reason: TreeDecodingError)
    /// A stale index entry returned by the store is corrupt, or has `staleSince` above the requested
    /// bound, or entries are out of order.
    case corruptStaleEntry(bytes: [UInt8], reason: String)
    /// Two different keys with the same BLAKE2b-256 hash (never expected; refused rather than merged).
    case keyHashCollision(keyHash: Digest256)
    /// The store failed.
    case store(NodeStoreError)

    public var description: String {
        switch self {
        case .updatesNotStrictlyAscending(let index):
            return "apply: updates[\(index)].key is not strictly greater than the previous key"
        case .entryTooLong(let index, let field, let length):
            return "apply: updates[\(index)].\(field) has \(length) bytes, above the limit"
        case .versionNotIncreasing(let version, let latest):
            return "apply: version \(version) is not above the latest version \(latest)"
        case .versionNotFound(let version):
            return "no root record for version \(version) (never committed or pruned)"
        case .invalidPruneTarget(let first, let latest):
            return "prune: cannot retain from \(first) with latest version \(latest.map(String.init) ?? "none")"
        case .missingNode(let key, let version):
            return "missing \(key) in the tree of version \(version)"
        case .corruptNode(let key, let version, let reason):
            return "corrupt \(key) in the tree of version \(version): \(reason)"
        case .corruptRootRecord(let version, let reason):
            return "corrupt root record of version \(version): \(reason)"
        case .corruptStaleEntry(let bytes, let reason):
            return "corrupt stale index entry \(Hex.encode(bytes)): \(reason)"
        case .keyHashCollision(let keyHash):
            return "two keys hash to \(keyHash)"
        case .store(let error):
            return "store: \(error)"
        }
    }
}
