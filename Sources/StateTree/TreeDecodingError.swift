/// Bytes that are not a valid canonical encoding of a state-tree type (node, node key, stale index
/// entry, root record or proof). Names the type, the field and the byte offset.
public struct TreeDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong with the bytes.
    public enum Reason: Equatable, Sendable {
        /// The field needs `needed` bytes but only `available` remain.
        case truncated(needed: Int, available: Int)
        /// Bytes remain after a complete value.
        case trailingBytes(count: Int)
        /// A tag byte that names no known variant.
        case unknownTag(UInt8)
        /// A value outside the allowed range (e.g. a nibble count above 64).
        case outOfRange(UInt64)
        /// A value that is well formed but not in canonical form (e.g. a non-zero padding nibble).
        case nonCanonical
        /// A stored hash disagrees with the bytes it covers.
        case hashMismatch
    }

    /// The type being decoded, e.g. `"LeafNode"`.
    public let type: String
    /// The field being decoded, e.g. `"keyLength"`.
    public let field: String
    /// The offset of the field in the input.
    public let offset: Int
    public let reason: Reason

    public init(type: String, field: String, offset: Int, reason: Reason) {
        self.type = type
        self.field = field
        self.offset = offset
        self.reason = reason
    }

    public var description: String {
        "cannot decode \(type).\(field) at offset \(offset): \(reason)"
    }
}
