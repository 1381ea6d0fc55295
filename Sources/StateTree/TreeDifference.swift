import Sodium

/// One key whose value differs between two trees (`StateTree.diff`): present on one side only, or
/// present on both with different values.
public struct TreeDifference: Equatable, Sendable {
    /// BLAKE2b-256 of the key: the order in which differences are reported (the tree's own order).
    public let keyHash: Digest256
    /// The raw key.
    public let key: [UInt8]
    /// The leaf on the left side, or nil when the key is absent there.
    public let left: LeafNode?
    /// The leaf on the right side, or nil when the key is absent there.
    public let right: LeafNode?

    /// A difference; at least one side must hold a leaf for `key`.
    public init(keyHash: Digest256, key: [UInt8], left: LeafNode?, right: LeafNode?) {
        self.keyHash = keyHash
        self.key = key
        self.left = left
        self.right = right
    }
}

/// The outcome of `StateTree.diff`.
public struct TreeDiff: Equatable, Sendable {
    /// The differing keys in key-hash order, at most the requested limit.
    public let differences: [TreeDifference]
    /// True when more differences exist beyond `differences` (the limit was reached).
    public let truncated: Bool
    /// Nodes read from the two stores together: proportional to the number of differences times the
    /// tree depth, not to the size of the state.
    public let nodesRead: Int
    /// The root hashes compared.
    public let leftRoot: Digest256
    public let rightRoot: Digest256

    public init(differences: [TreeDifference], truncated: Bool, nodesRead: Int, leftRoot: Digest256, rightRoot: Digest256) {
        self.differences = differences
        self.truncated = truncated
        self.nodesRead = nodesRead
        self.leftRoot = leftRoot
        self.rightRoot = rightRoot
    }
}
