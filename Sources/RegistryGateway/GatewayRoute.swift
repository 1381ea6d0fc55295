/// One `GET` route of the gateway: its path template (as written in Docs/openapi.json, e.g.
/// `/v1/models/{id}`), what it answers and the query parameters it accepts (any other is a 400).
public struct GatewayRoute: Sendable, Equatable {
    /// What a route answers; each maps to one or two query-service requests (`GatewayHandler`).
    public enum Kind: String, Sendable, CaseIterable {
        case health
        case listModels, getModel, modelStatistics
        case listProposals, getProposal, getVote
        case getAccount, accountFees
        case parameters, statistics, feeStatistics
        case roots, roundResult, schedule, key
    }

    /// The path template, `{name}` for a path parameter.
    public let template: String
    public let kind: Kind
    /// The query parameters accepted, in documentation order.
    public let queryParameters: [String]

    /// The template's segments: a literal or a path parameter's name.
    enum Segment: Equatable {
        case literal(String)
        case parameter(String)
    }

    var segments: [Segment] {
        template.split(separator: "/").map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? .parameter(String(part.dropFirst().dropLast())) : .literal(String(part))
        }
    }

    /// The names of the path parameters, in order.
    public var pathParameters: [String] {
        segments.compactMap { if case .parameter(let name) = $0 { return name } else { return nil } }
    }

    init(_ template: String, _ kind: Kind, _ queryParameters: [String] = []) {
        self.template = template
        self.kind = kind
        self.queryParameters = queryParameters
    }

    /// The path parameters when `path` matches the template (segment count and literals), else nil.
    /// A parameter segment must be non-empty.
    func match(_ path: String) -> [String: String]? {
        guard path.hasPrefix("/") else { return nil }
        let parts = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        let segments = self.segments
        guard parts.count == segments.count else { return nil }
        var values: [String: String] = [:]
        for (part, segment) in zip(parts, segments) {
            switch segment {
            case .literal(let text): guard part == text else { return nil }
            case .parameter(let name):
                guard !part.isEmpty else { return nil }
                values[name] = String(part)
            }
        }
        return values
    }

    static let read = ["round", "prove"]

    /// Every route the gateway serves, all `GET`.
    public static let all: [GatewayRoute] = [
        GatewayRoute("/v1/health", .health),
        GatewayRoute("/v1/models", .listModels, ["status", "owner", "category", "tag", "name_prefix", "limit", "cursor"]),
        GatewayRoute("/v1/models/{id}", .getModel, read),
        GatewayRoute("/v1/models/{id}/statistics", .modelStatistics),
        GatewayRoute("/v1/proposals", .listProposals, ["status", "limit", "cursor"]),
        GatewayRoute("/v1/proposals/{id}", .getProposal, read),
        GatewayRoute("/v1/proposals/{id}/votes/{voter}", .getVote, read),
        GatewayRoute("/v1/accounts/{account}", .getAccount, read),
        GatewayRoute("/v1/accounts/{account}/fees", .accountFees),
        GatewayRoute("/v1/parameters", .parameters, read),
        GatewayRoute("/v1/statistics", .statistics),
        GatewayRoute("/v1/fees/statistics", .feeStatistics),
        GatewayRoute("/v1/roots", .roots, ["from", "limit"]),
        GatewayRoute("/v1/rounds/{round}", .roundResult),
        GatewayRoute("/v1/schedule", .schedule, ["queue", "from", "limit"]),
        GatewayRoute("/v1/keys/{key}", .key, read),
    ]

    /// The route `path` matches and its path parameters, or nil.
    public static func find(_ path: String) -> (route: GatewayRoute, parameters: [String: String])? {
        for route in all {
            if let parameters = route.match(path) { return (route, parameters) }
        }
        return nil
    }
}
