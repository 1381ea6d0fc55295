import RegistryNode
import Wire

/// An HTTP error reply of the gateway: status, a code (the query protocol's error-code name, e.g.
/// `INVALID_ARGUMENT`, or a gateway code such as `METHOD_NOT_ALLOWED`), a message and the HTTP
/// parameter to blame. Rendered as `{"error":{"code":…,"message":…,"parameter":…}}` (ADR 0021).
public struct GatewayProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status code.
    public var status: Int
    public var code: String
    public var message: String
    /// The path or query parameter at fault, when one is.
    public var parameter: String?
    /// For 429: milliseconds until a request will be admitted.
    public var retryAfterMillis: UInt64?

    public init(status: Int, code: String, message: String, parameter: String? = nil, retryAfterMillis: UInt64? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.parameter = parameter
        self.retryAfterMillis = retryAfterMillis
    }

    /// 400 INVALID_ARGUMENT naming `parameter`.
    static func invalid(_ parameter: String, _ message: String) -> GatewayProblem {
        GatewayProblem(status: 400, code: "INVALID_ARGUMENT", message: "\(parameter): \(message)", parameter: parameter)
    }

    /// The HTTP status of a query-protocol error code: bad input 400, unauthorized 403 (a token was
    /// checked and lacks a scope), not found 404, pruned 410, rate limited 429, unavailable 503,
    /// everything else 500.
    public static func httpStatus(of code: AiRegistry_V1_ErrorCode) -> Int {
        switch code {
        case .malformedRequest, .invalidArgument, .unsupportedVersion, .frameTooLarge: return 400
        case .unauthorized: return 403
        case .notFound: return 404
        case .roundPruned: return 410
        case .rateLimited: return 429
        case .unavailable: return 503
        default: return 500
        }
    }

    /// The problem of a query-service error reply on `route`: the wire field (`list_models.limit`)
    /// becomes the HTTP parameter (`limit`) when the route has one of that name.
    init(_ error: AiRegistry_V1_Error, route: GatewayRoute) {
        self.init(status: Self.httpStatus(of: error.code), code: error.code.name, message: error.message)
        if error.retryAfterMillis > 0 { retryAfterMillis = error.retryAfterMillis }
        parameter = Self.parameter(forWireField: error.field, route: route)
    }

    /// The route parameter a wire field names: its last component, with `from_round` → `from` and
    /// `proposal_id` → `id`; nil when the route has no such parameter.
    static func parameter(forWireField field: String, route: GatewayRoute) -> String? {
        guard !field.isEmpty else { return nil }
        var name = String(field.split(separator: ".").last ?? "")
        if name == "from_round" { name = "from" }
        if name == "proposal_id" { name = "id" }
        return (route.pathParameters + route.queryParameters).contains(name) ? name : nil
    }

    /// The JSON body.
    public var json: QueryJSONValue {
        var members: [(String, QueryJSONValue)] = [("code", .string(code)), ("message", .string(message))]
        if let parameter { members.append(("parameter", .string(parameter))) }
        if let retryAfterMillis { members.append(("retry_after_millis", .unsigned(retryAfterMillis))) }
        return .object([("error", .object(members))])
    }

    public var description: String { "\(status) \(code): \(message)" }
}
