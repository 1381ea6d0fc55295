/// Why canonical bytes could not be decoded. Decoders never trap: every malformed input is one of these.
public enum CodecError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ended before `field` was complete.
    case truncated(field: String)
    /// Bytes remained after a complete value (`count` of them).
    case trailingBytes(count: Int)
    /// A type tag other than the one expected.
    case wrongTypeTag(expected: UInt8, actual: UInt8)
    /// An enum discriminant that no case uses.
    case unknownDiscriminant(field: String, value: UInt64)
    /// A boolean or optional flag byte other than 0 or 1 (non-minimal encoding).
    case invalidFlag(field: String, value: UInt8)
    /// A length prefix larger than the field's limit.
    case lengthExceedsLimit(field: String, length: UInt64, limit: Int)
    /// Bytes of a string field that are not valid UTF-8.
    case invalidUTF8(field: String)
    /// A value that decodes but breaks an invariant of its type (e.g. unsorted set).
    case invalidValue(field: String, reason: String)

    public var description: String {
        switch self {
        case .truncated(let field): return "truncated input in \(field)"
        case .trailingBytes(let count): return "\(count) trailing bytes after the value"
        case .wrongTypeTag(let expected, let actual): return "type tag \(actual), expected \(expected)"
        case .unknownDiscriminant(let field, let value): return "unknown discriminant \(value) in \(field)"
        case .invalidFlag(let field, let value): return "flag byte \(value) in \(field) is neither 0 nor 1"
        case .lengthExceedsLimit(let field, let length, let limit):
            return "length \(length) of \(field) exceeds the limit \(limit)"
        case .invalidUTF8(let field): return "\(field) is not valid UTF-8"
        case .invalidValue(let field, let reason): return "invalid \(field): \(reason)"
        }
    }
}
