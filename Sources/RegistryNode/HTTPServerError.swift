/// Why an in-process HTTP server (`HTTPServerHost`: the metrics server, the gateway) did not start.
public enum HTTPServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server's configuration section is invalid.
    case invalidConfiguration(ConfigurationError)
    /// The HTTP server could not bind or failed while starting (e.g. the port is in use).
    case startFailed(address: String, reason: String)
    /// The server did not report being bound within the start timeout.
    case startTimedOut(address: String, seconds: Int)
    /// `start()` was called on a server that is running or was stopped.
    case alreadyStarted

    public var description: String {
        switch self {
        case .invalidConfiguration(let error): return "invalid configuration: \(error)"
        case .startFailed(let address, let reason): return "cannot serve on \(address): \(reason)"
        case .startTimedOut(let address, let seconds): return "not bound on \(address) after \(seconds) s"
        case .alreadyStarted: return "start() called twice"
        }
    }
}
