import Sodium

/// A proof that a key has a value, or has none, in the tree with a given root (rules ST-30 to ST-33).
///
/// `levels[i]` describes the internal node at depth `i` on the path of the key hash: its child bitmap
/// and the hashes of its children other than the one on the path (in nibble order). `terminal` is
/// what the path ends on: a leaf, or an empty slot (or the empty tree when there are no levels).
public struct StateProof: Equatable, Sendable {
    /// One internal node on the path.
    public struct Level: Equatable, Sendable {
        /// The node's child bitmap (rule ST-5).
        public var bitmap: UInt16
        /// The hashes of the children other than the one on the path, in ascending nibble order.
        public var siblings: [Digest256]

        public init(bitmap: UInt16, siblings: [Digest256]) {
            self.bitmap = bitmap
            self.siblings = siblings
        }
    }

    /// Where the path ends.
    public enum Terminal: Equatable, Sendable {
        /// An empty slot under the last level, or the empty tree when there are no levels.
        case empty
        /// A leaf: the key itself (inclusion) or another key sharing the path (non-inclusion).
        case leaf(keyHash: Digest256, valueHash: Digest256)
    }

    public var levels: [Level]
    public var terminal: Terminal

    public init(levels: [Level], terminal: Terminal) {
        self.levels = levels
        self.terminal = terminal
    }

    /// True when the proof ends on the leaf of `key` (an inclusion proof for that key).
    public func isInclusion(of key: [UInt8]) -> Bool {
        if case .leaf(let keyHash, _) = terminal { return keyHash == TreeHash.keyHash(key) }
        return false
    }
}
