import ZMQ

/// A failure to start the query server: the operation and the underlying error.
public enum QueryServerError: Error, Sendable, CustomStringConvertible {
    /// A ZeroMQ call failed (`zmq_bind` of the endpoint, a socket option, …).
    case socket(operation: String, endpoint: String, error: ZMQError)
    /// A thread could not be started.
    case thread(operation: String, code: Int32)
    /// The configuration is invalid (the key names the setting).
    case configuration(ConfigurationError)
    /// `start` was called twice, or after `stop`.
    case alreadyStarted

    public var description: String {
        switch self {
        case .socket(let operation, let endpoint, let error): return "query server: \(operation) \(endpoint): \(error)"
        case .thread(let operation, let code): return "query server: \(operation) failed (\(code))"
        case .configuration(let error): return "query server configuration: \(error)"
        case .alreadyStarted: return "query server: already started"
        }
    }
}
