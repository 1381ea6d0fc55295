/// A configuration value that is missing, of the wrong type or out of range. `key` is the full key path
/// in the configuration file (for example `consensus.max_frame_bytes`); `message` says what is wrong.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key path, dot-separated from the root of the file (`query.workers`, `consensus.curve.allowed_clients[2]`).
    public var key: String
    /// What is wrong with the value, e.g. `must be between 1024 and 268435456`.
    public var message: String

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { key.isEmpty ? message : "\(key): \(message)" }
}
