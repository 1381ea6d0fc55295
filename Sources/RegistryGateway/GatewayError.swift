import RegistryNode

/// Why `Gateway.start()` failed.
public enum GatewayError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `gateway` section is invalid (`GatewayConfiguration.validate`).
    case invalidConfiguration(ConfigurationError)
    /// The HTTP server could not bind or failed while starting (e.g. the port is in use).
    case startFailed(address: String, reason: String)
    /// The server did not report being bound within the start timeout.
    case startTimedOut(address: String, seconds: Int)
    /// `start()` was called on a gateway that is running or was stopped.
    case alreadyStarted

    public var description: String {
        switch self {
        case .invalidConfiguration(let error): return "gateway: invalid configuration: \(error)"
        case .startFailed(let address, let reason): return "gateway: cannot serve on \(address): \(reason)"
        case .startTimedOut(let address, let seconds): return "gateway: not bound on \(address) after \(seconds) s"
        case .alreadyStarted: return "gateway: start() called twice"
        }
    }
}
