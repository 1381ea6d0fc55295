/// A key-value pair of state.
public struct KeyValue: Equatable, Sendable {
    public let key: [UInt8]
    public let value: [UInt8]

    public init(key: [UInt8], value: [UInt8]) {
        self.key = key
        self.value = value
    }
}

/// Read access to the committed state of the last round: point reads and ordered range scans over the
/// raw keys (LMDB key order, D4). Implemented by the shell over LMDB and by `MemoryState` in tests.
public protocol StateReader {
    /// The value stored under `key`, or nil.
    func value(for key: [UInt8]) throws(StateError) -> [UInt8]?

    /// Pairs with `lower <= key < upper` (byte order), ascending or descending, at most `limit` of them.
    func scan(from lower: [UInt8], to upper: [UInt8], reverse: Bool, limit: Int) throws(StateError) -> [KeyValue]
}

extension StateReader {
    /// All pairs whose key starts with `prefix`, ascending, at most `limit`.
    public func scan(prefix: [UInt8], limit: Int) throws(StateError) -> [KeyValue] {
        try scan(from: prefix, to: StateKey.prefixEnd(prefix), reverse: false, limit: limit)
    }
}
