import Foundation

/// The `gateway` section of the node configuration: the read-only HTTP/JSON gateway (target
/// `RegistryGateway`, ADR 0021, Docs/openapi.json). Docs/configuration.md documents the keys.
///
/// ```json
/// "gateway": { "enabled": true, "host": "127.0.0.1", "port": 26674, "allow_non_loopback": false,
///              "require_token": false, "cors_origins": ["https://explorer.example"],
///              "rate_limit": { "requests_per_second": 50, "burst": 100, "max_clients": 10000 } }
/// ```
public struct GatewayConfiguration: Sendable, Equatable {
    /// Whether the gateway runs (key `enabled`, default false: an operator opts in to an HTTP surface).
    public var enabled: Bool
    /// The IP address to bind (key `host`, default `127.0.0.1`); a loopback address unless
    /// `allowNonLoopback`.
    public var host: String
    /// The TCP port (key `port`, default 26674); 0 binds an ephemeral port.
    public var port: Int
    /// Permits a non-loopback `host` (key `allow_non_loopback`, default false).
    public var allowNonLoopback: Bool
    /// Requires `Authorization: Bearer <token>` with a query token (`ai-registry token issue`) checked
    /// against `query.token_key_files`, scopes as on the query endpoint (key `require_token`, default false).
    public var requireToken: Bool
    /// Origins answered with `Access-Control-Allow-Origin` (key `cors_origins`; `"*"` allows any; default none).
    public var corsOrigins: [String]
    /// The per-client-IP token bucket (key `rate_limit`; default 50 requests/s, bursts of 100, 10,000 clients).
    public var rateLimit: QueryServerConfiguration.RateLimit

    /// The section's keys, in documentation order.
    public static let keys = ["enabled", "host", "port", "allow_non_loopback", "require_token", "cors_origins", "rate_limit"]

    /// Disabled; `127.0.0.1:26674` when enabled, anonymous, no CORS, 50 requests/s per IP.
    public static let defaults = GatewayConfiguration()

    public init(
        enabled: Bool = false, host: String = "127.0.0.1", port: Int = 26674, allowNonLoopback: Bool = false,
        requireToken: Bool = false, corsOrigins: [String] = [],
        rateLimit: QueryServerConfiguration.RateLimit = .init(requestsPerSecond: 50, burst: 100, maxClients: 10_000)
    ) {
        self.enabled = enabled
        self.host = host
        self.port = port
        self.allowNonLoopback = allowNonLoopback
        self.requireToken = requireToken
        self.corsOrigins = corsOrigins
        self.rateLimit = rateLimit
    }

    /// Parses the section from a decoded JSON object, defaults for missing keys, then validates it.
    ///
    /// - Throws: `ConfigurationError` naming the key (`gateway.rate_limit.burst`) for an unknown key, a
    ///   value of the wrong JSON type or a value out of range.
    public init(json: [String: Any], path: String = "gateway") throws(ConfigurationError) {
        self.init()
        let section = ConfigurationJSON(json, path: path)
        try section.rejectUnknown(Self.keys)
        if let value = try section.bool("enabled") { enabled = value }
        if let value = try section.string("host") { host = value }
        if let value = try section.int("port") { port = value }
        if let value = try section.bool("allow_non_loopback") { allowNonLoopback = value }
        if let value = try section.bool("require_token") { requireToken = value }
        if let value = try section.strings("cors_origins") { corsOrigins = value }
        if let limit = try section.object("rate_limit") {
            try limit.rejectUnknown(["requests_per_second", "burst", "max_clients"])
            if let value = try limit.int("requests_per_second") { rateLimit.requestsPerSecond = value }
            if let value = try limit.int("burst") { rateLimit.burst = value }
            if let value = try limit.int("max_clients") { rateLimit.maxClients = value }
        }
        try validate(path: path)
    }

    /// Checks the values: port 0…65535, `host` an address literal or `localhost` and loopback unless
    /// allowed, rate limits in range (as on the query endpoint), origins non-empty without spaces.
    public func validate(path: String = "gateway") throws(ConfigurationError) {
        func check(_ ok: Bool, _ key: String, _ message: String) throws(ConfigurationError) {
            if !ok { throw ConfigurationError(key: path.isEmpty ? key : path + "." + key, message: message) }
        }
        try check((0...65_535).contains(port), "port", "must be between 0 and 65535 (0 = ephemeral), got \(port)")
        let loopback = MetricsServerConfiguration.loopback(host)
        try check(loopback != nil, "host", "must be an IPv4 or IPv6 address or \"localhost\", got \"\(host)\"")
        try check(
            loopback == true || allowNonLoopback, "host",
            "\"\(host)\" is not a loopback address; set allow_non_loopback to expose the gateway")
        try check(
            (1...1_000_000).contains(rateLimit.requestsPerSecond), "rate_limit.requests_per_second",
            "must be between 1 and 1000000 (got \(rateLimit.requestsPerSecond))")
        try check(
            (1...1_000_000).contains(rateLimit.burst), "rate_limit.burst", "must be between 1 and 1000000 (got \(rateLimit.burst))")
        try check(
            (16...1_000_000).contains(rateLimit.maxClients), "rate_limit.max_clients",
            "must be between 16 and 1000000 (got \(rateLimit.maxClients))")
        for (index, origin) in corsOrigins.enumerated() {
            try check(
                !origin.isEmpty && !origin.contains(" ") && origin.utf8.count <= 256, "cors_origins[\(index)]",
                "must be \"*\" or an origin such as https://explorer.example (got \"\(origin)\")")
        }
    }

    /// The address to bind: `localhost` resolves to `127.0.0.1`.
    public var bindHost: String { host == "localhost" ? "127.0.0.1" : host }
}
