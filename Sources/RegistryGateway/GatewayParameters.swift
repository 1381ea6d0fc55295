import Foundation
import Sodium

/// The path and query parameters of one request, with typed readers whose errors are 400s naming
/// the parameter. Query parameters not accepted by the route, or given twice, are refused.
struct GatewayParameters {
    let path: [String: String]
    let query: [String: String]

    /// Checks `items` (in request order) against `route.queryParameters`.
    init(route: GatewayRoute, path: [String: String], items: [(String, String)]) throws(GatewayProblem) {
        var query: [String: String] = [:]
        for (name, value) in items {
            guard route.queryParameters.contains(name) else {
                let known = route.queryParameters.isEmpty ? "none" : route.queryParameters.joined(separator: ", ")
                throw .invalid(name, "unknown query parameter for \(route.template) (accepted: \(known))")
            }
            guard query[name] == nil else { throw .invalid(name, "given more than once") }
            query[name] = value
        }
        self.path = path
        self.query = query
    }

    /// A path or query parameter's raw text.
    func text(_ name: String) -> String? { path[name] ?? query[name] }

    /// A decimal unsigned integer of at most `max`.
    func unsigned(_ name: String, max: UInt64 = .max) throws(GatewayProblem) -> UInt64? {
        guard let text = text(name) else { return nil }
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let value = UInt64(text), value <= max else {
            throw .invalid(name, "must be a decimal integer between 0 and \(max) (got \"\(Self.clip(text))\")")
        }
        return value
    }

    /// `true` or `false`.
    func bool(_ name: String) throws(GatewayProblem) -> Bool? {
        guard let text = text(name) else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default: throw .invalid(name, "must be true or false (got \"\(Self.clip(text))\")")
        }
    }

    /// Hex bytes; `count` when given is the exact length in bytes, else 1…`maxBytes`.
    func hex(_ name: String, count: Int? = nil, maxBytes: Int = 1024) throws(GatewayProblem) -> Data? {
        guard let text = text(name) else { return nil }
        guard let bytes = Hex.decode(text), count.map({ bytes.count == $0 }) ?? (1...maxBytes).contains(bytes.count) else {
            let size = count.map { "\($0 * 2) hex characters (\($0) bytes)" } ?? "1…\(maxBytes * 2) hex characters"
            throw .invalid(name, "must be \(size) (got \"\(Self.clip(text))\")")
        }
        return Data(bytes)
    }

    /// A required path parameter (the router only matches non-empty segments).
    func required<T>(_ name: String, _ read: (String) throws(GatewayProblem) -> T?) throws(GatewayProblem) -> T {
        guard let value = try read(name) else { throw .invalid(name, "is required") }
        return value
    }

    /// At most 80 characters of `text`, for error messages.
    static func clip(_ text: String) -> String { text.count <= 80 ? text : String(text.prefix(77)) + "..." }
}
