import Foundation
import Hummingbird
import Logging
import RegistryNode
import StateStore
import Wire

/// Answers the gateway's HTTP requests: routing (unknown path 404, a method other than `GET` 405 with
/// `Allow: GET`, CORS preflight `OPTIONS` 204 for configured origins), the per-IP rate limit (429 with
/// `Retry-After`), bearer tokens (401 / 403), parameters (400), then `GatewayHandler`. Every reply is
/// JSON; errors are `{"error":{"code","message","parameter"?}}`.
struct GatewayResponder: HTTPResponder {
    typealias Context = GatewayRequestContext

    let configuration: GatewayConfiguration
    let handler: GatewayHandler
    let limiter: RateLimiter
    let verifier: QueryTokenVerifier
    let clock: QueryClock
    let logger: Logger
    /// Where refusals are audited (throttled per client and kind), if anywhere.
    let audit: ThrottledAuditRecorder?

    /// The audit endpoint name of gateway records.
    static let auditEndpoint = "gateway"

    func respond(to request: Request, context: Context) async throws -> Response {
        let origin = request.headers[.origin]
        let client = context.remoteIP ?? "unknown"
        var response: Response
        do throws(GatewayProblem) {
            response = try answer(request, client: client, origin: origin)
        } catch {
            logger.debug("gateway request refused", metadata: ["path": "\(request.uri.path)", "problem": "\(error)"])
            if let kind = Self.auditKind(error), let audit {
                audit.record(kind, client: "addr:" + client, detail: "\(request.method) \(GatewayParameters.clip(request.uri.path)): \(error)",
                             now: clock.monotonicNanoseconds())
            }
            response = Self.problem(error)
        }
        if let allowed = allowedOrigin(origin) {
            response.headers[.accessControlAllowOrigin] = allowed
            if allowed != "*" { response.headers[.vary] = "Origin" }
        }
        return response
    }

    func answer(_ request: Request, client: String, origin: String?) throws(GatewayProblem) -> Response {
        guard let (route, pathParameters) = GatewayRoute.find(request.uri.path) else {
            throw GatewayProblem(
                status: 404, code: "NOT_FOUND",
                message: "no route \(GatewayParameters.clip(request.uri.path)) (see Docs/openapi.json; routes start with /v1/)")
        }
        guard request.method == .get else {
            if request.method == .options, allowedOrigin(origin) != nil {
                var response = Response(status: .noContent)
                response.headers[.accessControlAllowMethods] = "GET"
                response.headers[.accessControlAllowHeaders] = "Authorization"
                response.headers[.accessControlMaxAge] = "600"
                return response
            }
            throw GatewayProblem(
                status: 405, code: "METHOD_NOT_ALLOWED", message: "\(request.method) \(route.template): the gateway is read-only, only GET is served")
        }
        if case .limited(let retryAfter) = limiter.acquire(client: "addr:" + client, now: clock.monotonicNanoseconds()) {
            throw GatewayProblem(
                status: 429, code: "RATE_LIMITED",
                message: "rate limit of \(configuration.rateLimit.requestsPerSecond) requests/s (burst \(configuration.rateLimit.burst)) per client exceeded; retry after \(retryAfter) ms",
                retryAfterMillis: retryAfter)
        }
        let scopes = try authenticate(request, route: route)
        let items = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
        let parameters = try GatewayParameters(route: route, path: pathParameters, items: items)
        let bodies = try handler.requests(route, parameters)
        if route.kind != .health {
            for body in bodies {
                for scope in QueryRequestKind.requiredScopes(body) where !scopes.contains(scope) {
                    throw GatewayProblem(
                        status: 403, code: "UNAUTHORIZED",
                        message: "\(route.template) needs scope \"\(scope.rawValue)\"; the token has [\(scopes)]")
                }
            }
        }
        let json = try handler.answer(route, parameters, bodies)
        return Self.json(status: .ok, json)
    }

    /// The scopes of the request: a presented bearer token must verify (401 otherwise) and gives its
    /// scopes; without one, every scope unless `require_token` is set (401). `/v1/health` needs none.
    func authenticate(_ request: Request, route: GatewayRoute) throws(GatewayProblem) -> QueryScope.Set {
        guard let header = request.headers[.authorization] else {
            if configuration.requireToken && route.kind != .health {
                throw GatewayProblem(
                    status: 401, code: "UNAUTHORIZED",
                    message: "this gateway requires Authorization: Bearer <token> (ai-registry token issue)")
            }
            return .all
        }
        guard header.hasPrefix("Bearer "), header.count > 7 else {
            throw GatewayProblem(status: 401, code: "UNAUTHORIZED", message: "the Authorization header must be \"Bearer <token>\"")
        }
        switch verifier.verify(String(header.dropFirst(7)), now: clock.wallSeconds()) {
        case .success(let token): return token.scopes
        case .failure(let error): throw GatewayProblem(status: 401, code: "UNAUTHORIZED", message: error.description)
        }
    }

    /// The `Access-Control-Allow-Origin` value for `origin`: `*` when configured, the origin when
    /// listed, else nil.
    func allowedOrigin(_ origin: String?) -> String? {
        guard let origin, !configuration.corsOrigins.isEmpty else { return nil }
        if configuration.corsOrigins.contains("*") { return "*" }
        return configuration.corsOrigins.contains(origin) ? origin : nil
    }

    /// The audit kind of a refusal worth a record: bad input, failed or insufficient credentials, rate
    /// limits and internal errors (not 404/405, which any crawler causes).
    static func auditKind(_ problem: GatewayProblem) -> AuditKind? {
        switch problem.status {
        case 400: return .malformedRequest
        case 401: return .authenticationFailed
        case 403: return .unauthorized
        case 429: return .rateLimited
        case 500...: return .internalError
        default: return nil
        }
    }

    static func json(status: HTTPResponse.Status, _ value: QueryJSONValue) -> Response {
        var response = Response(status: status, body: .init(byteBuffer: ByteBuffer(string: value.rendered(pretty: false) + "\n")))
        response.headers[.contentType] = "application/json; charset=utf-8"
        response.headers[.cacheControl] = "no-store"
        return response
    }

    static func problem(_ problem: GatewayProblem) -> Response {
        var response = json(status: .init(code: problem.status), problem.json)
        switch problem.status {
        case 405: response.headers[.allow] = "GET"
        case 401: response.headers[.wwwAuthenticate] = "Bearer"
        case 429: response.headers[.retryAfter] = String(((problem.retryAfterMillis ?? 1000) + 999) / 1000)
        default: break
        }
        return response
    }
}
