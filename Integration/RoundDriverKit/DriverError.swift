/// Why the driver stopped before the end (divergence and expectation mismatches are not errors: they
/// are reported and counted).
public enum DriverError: Error, Sendable, CustomStringConvertible {
    /// A round could not be planned (a scenario names something that does not exist yet, …).
    case planning(String)
    /// A plugin process could not be started, stopped or reached.
    case replica(index: Int, String)
    /// The reference replica failed (a bug: it must execute anything).
    case reference(String)
    /// Invalid options.
    case options(String)

    public var description: String {
        switch self {
        case .planning(let m): return "planning: \(m)"
        case .replica(let i, let m): return "replica \(i): \(m)"
        case .reference(let m): return "reference replica: \(m)"
        case .options(let m): return "options: \(m)"
        }
    }
}
