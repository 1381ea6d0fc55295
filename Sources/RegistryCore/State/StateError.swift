/// An infrastructure failure while reading state: the round cannot be executed and the plugin must stop
/// rather than diverge (D5).
public struct StateError: Error, Sendable, CustomStringConvertible {
    /// What failed, e.g. "mdb_get".
    public let operation: String
    /// The key involved, hex.
    public let key: String
    /// The underlying failure, as text.
    public let reason: String

    public init(operation: String, key: [UInt8], reason: String) {
        self.operation = operation
        self.key = Hex.encode(key)
        self.reason = reason
    }

    public var description: String { "\(operation) on key \(key): \(reason)" }
}

import Sodium
