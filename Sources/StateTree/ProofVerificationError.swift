import Sodium

/// Why a proof does not prove the claimed fact (rule ST-33).
public enum ProofVerificationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The proof is consistent but leads to another root.
    case rootMismatch(expected: Digest256, computed: Digest256)
    /// The proof includes the key, with a value whose hash differs from the claimed value's.
    case valueMismatch(claimed: Digest256, proven: Digest256)
    /// A value was claimed but the proof ends on the leaf of another key.
    case leafKeyMismatch(keyHash: Digest256, leafKeyHash: Digest256)
    /// Absence was claimed but the proof includes the key.
    case keyPresent(valueHash: Digest256)
    /// A value was claimed but the proof ends on an empty slot.
    case keyAbsent
    /// A level has not as many siblings as its bitmap requires.
    case siblingCountMismatch(level: Int, expected: Int, actual: Int)
    /// The proof cannot describe a canonical tree.
    case malformed(ProofMalformation)

    public var description: String {
        switch self {
        case .rootMismatch(let expected, let computed): return "proof leads to root \(computed), expected \(expected)"
        case .valueMismatch(let claimed, let proven): return "value hash \(claimed) differs from proven \(proven)"
        case .leafKeyMismatch(let keyHash, let leaf): return "proof ends on leaf \(leaf), not on key \(keyHash)"
        case .keyPresent(let valueHash): return "absence claimed but the key is present (value hash \(valueHash))"
        case .keyAbsent: return "a value was claimed but the key is absent"
        case .siblingCountMismatch(let level, let expected, let actual):
            return "level \(level) has \(actual) siblings, its bitmap requires \(expected)"
        case .malformed(let reason): return "malformed proof: \(reason)"
        }
    }
}

/// The structural defects `verify` detects (rule ST-32).
public enum ProofMalformation: Equatable, Sendable {
    /// More than 64 levels.
    case tooManyLevels(Int)
    /// The bitmap of `level` lacks the nibble of the path although the path goes on.
    case pathNotInBitmap(level: Int, nibble: Int)
    /// The proof ends on an empty slot but the last bitmap has the path's nibble.
    case emptySlotInBitmap(level: Int, nibble: Int)
    /// A level whose node would have no children.
    case nodeWithoutChildren(level: Int)
    /// A non-inclusion leaf whose key hash does not share the path of the proof.
    case leafNotOnPath(depth: Int)
    /// A leaf that is the only child of its parent (a canonical tree lifts it).
    case leafNotCollapsed(level: Int)
}
