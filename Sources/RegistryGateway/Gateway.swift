import Logging
import RegistryNode
import StateStore

/// The read-only HTTP/JSON gateway (ADR 0021, Docs/openapi.json): `GET /v1/...` routes over the query
/// logic (`QueryService`) and the store the node commits to. It never writes state; transactions go
/// through the host node. `start()` blocks until bound (`boundAddress` is then known for the readiness
/// line) and `stop()` until the server has shut down; call them from a plain thread.
public final class Gateway: Sendable {
    /// The configuration the gateway was made with (`enabled` is the caller's decision).
    public let configuration: GatewayConfiguration
    private let responder: GatewayResponder
    private let host: HTTPServerHost
    private let logger: Logger

    /// - Parameters:
    ///   - store: the node's store, only read (one LMDB read transaction per request).
    ///   - tokenKeys: the keys bearer tokens are checked against (`query.token_key_files`).
    ///   - clock: wall clock for token validity, monotonic clock for the rate limit.
    ///   - audit: where refusals (400, 401, 403, 429, 500) are recorded as endpoint `gateway`, at most
    ///     `auditPerClientPerMinute` per client IP and kind; nil records nothing.
    public init(
        configuration: GatewayConfiguration, store: StateStore, tokenKeys: [QueryTokenKey] = [],
        tokenClockSkewSeconds: Int = 60, clock: QueryClock = .system, service: QueryService = QueryService(),
        audit: AuditLog? = nil, auditPerClientPerMinute: Int = 20, logger: Logger
    ) {
        self.configuration = configuration
        self.logger = logger
        responder = GatewayResponder(
            configuration: configuration, handler: GatewayHandler(store: store, service: service),
            limiter: RateLimiter(configuration.rateLimit),
            verifier: QueryTokenVerifier(keys: tokenKeys, clockSkewSeconds: UInt64(max(0, tokenClockSkewSeconds))),
            clock: clock, logger: logger,
            audit: audit.map {
                ThrottledAuditRecorder(audit: $0, endpoint: GatewayResponder.auditEndpoint, perMinute: auditPerClientPerMinute,
                                       maxEntries: configuration.rateLimit.maxClients)
            })
        host = HTTPServerHost(name: "gateway", logger: logger)
    }

    /// The bound TCP port; nil before `start()` or after `stop()`.
    public var boundPort: Int? { host.boundPort }

    /// `host:port` as bound, for the readiness line (`gateway=127.0.0.1:26674`); nil when not running.
    public var boundAddress: String? { host.boundAddress(host: configuration.bindHost) }

    /// Validates the configuration, binds and serves; returns once bound.
    public func start() throws(GatewayError) {
        do { try configuration.validate() } catch { throw .invalidConfiguration(error) }
        try host.start(responder: responder, host: configuration.bindHost, port: configuration.port)
    }

    /// Stops serving and waits (at most 10 s). Idempotent; a stopped gateway cannot be restarted.
    public func stop() {
        host.stop()
    }
}
