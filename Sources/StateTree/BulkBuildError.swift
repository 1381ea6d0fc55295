import Sodium

/// Why `TreeBulkBuilder` refused a leaf or a call.
public enum BulkBuildError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The leaf number `index` (from 0) has a key hash not above the previous leaf's: leaves must
    /// arrive strictly ascending by key hash.
    case keyHashNotAscending(index: UInt64, keyHash: Digest256, previous: Digest256)
    /// The leaf number `index` has the same key hash as the previous leaf (a duplicate key, or two
    /// keys with the same hash).
    case duplicateKeyHash(index: UInt64, keyHash: Digest256)
    /// The leaf number `index` has a key or value longer than `StateTree.maxLength`.
    case entryTooLong(index: UInt64, field: String, length: Int)
    /// `add` or `finish` after `finish`.
    case alreadyFinished

    public var description: String {
        switch self {
        case .keyHashNotAscending(let index, let keyHash, let previous):
            return "bulk build: leaf \(index) has key hash \(keyHash), not above the previous \(previous)"
        case .duplicateKeyHash(let index, let keyHash):
            return "bulk build: leaf \(index) repeats key hash \(keyHash)"
        case .entryTooLong(let index, let field, let length):
            return "bulk build: leaf \(index) has a \(field) of \(length) bytes, above the limit"
        case .alreadyFinished:
            return "bulk build: the builder has already finished"
        }
    }
}
