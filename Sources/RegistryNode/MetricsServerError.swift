/// Why `MetricsServer.start()` failed.
public enum MetricsServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The configuration is invalid (`MetricsServerConfiguration.validate`).
    case invalidConfiguration(ConfigurationError)
    /// The HTTP server could not bind or failed while starting (e.g. the port is in use).
    case startFailed(address: String, reason: String)
    /// The server did not report being bound within the start timeout.
    case startTimedOut(address: String, seconds: Int)
    /// `start()` was called on a server that is running or was stopped.
    case alreadyStarted

    public var description: String {
        switch self {
        case .invalidConfiguration(let error): return "metrics server: invalid configuration: \(error)"
        case .startFailed(let address, let reason): return "metrics server: cannot serve on \(address): \(reason)"
        case .startTimedOut(let address, let seconds): return "metrics server: not bound on \(address) after \(seconds) s"
        case .alreadyStarted: return "metrics server: start() called twice"
        }
    }
}
