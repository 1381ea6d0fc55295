/// Why the node could not start.
public enum NodeError: Error, Sendable, CustomStringConvertible {
    /// The configuration is invalid (the key is named).
    case configuration(ConfigurationError)
    /// A component could not start: which one and why.
    case startup(component: String, reason: String)

    public var description: String {
        switch self {
        case .configuration(let error): return "configuration: \(error)"
        case .startup(let component, let reason): return "\(component): \(reason)"
        }
    }
}
