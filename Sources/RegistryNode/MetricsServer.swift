import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import Synchronization

/// The plugin's observability endpoint: a Hummingbird HTTP server (loopback by default) serving
/// `GET /metrics` (Prometheus text from `MetricsServer.registry`) and `GET /health` (JSON of the
/// `HealthReport` the node's closure returns). Other paths answer 404, other methods 405.
///
/// Call `MetricsServer.bootstrap()` once, early, so swift-metrics records into the registry the
/// server exports. `start()` blocks until the socket is bound (then `boundPort` is known, for the
/// readiness line) and `stop()` until the server has shut down; call them from a plain thread, not
/// from a Swift concurrency task (they wait on the server's task).
public final class MetricsServer: Sendable {
    /// The configuration the server was made with.
    public let configuration: MetricsServerConfiguration
    private let health: @Sendable () -> HealthReport
    private let logger: Logger
    private let host: HTTPServerHost

    /// - Parameters:
    ///   - configuration: where to listen; `enabled` is the caller's decision (the server starts anyway).
    ///   - health: called for every `/health` and `/metrics` request, on a server thread; must be quick
    ///     and must not block on consensus.
    ///   - logger: the server's logger (request errors at debug level).
    public init(configuration: MetricsServerConfiguration, health: @escaping @Sendable () -> HealthReport, logger: Logger) {
        self.configuration = configuration
        self.health = health
        self.logger = logger
        self.host = HTTPServerHost(name: "metrics server", logger: logger)
    }

    // MARK: Metrics back-end

    private static let bootstrapped = Mutex(false)

    /// The registry `/metrics` exports: the one `bootstrap()` installs as the swift-metrics back-end.
    public static var registry: PrometheusCollectorRegistry { PrometheusMetricsFactory.defaultRegistry }

    /// Installs swift-prometheus as the process's swift-metrics back-end (`MetricsSystem.bootstrap`),
    /// with round-latency buckets fit for sub-millisecond rounds. Idempotent: only the first call of the
    /// process installs it (swift-metrics allows one bootstrap per process). Returns the registry.
    @discardableResult
    public static func bootstrap() -> PrometheusCollectorRegistry {
        bootstrapped.withLock { done in
            guard !done else { return }
            var factory = PrometheusMetricsFactory(registry: registry)
            factory.durationHistogramBuckets[MetricsNames.roundLatency] = MetricsNames.roundLatencyBuckets
            // Write-behind (ADR 0027): the same sub-millisecond-to-seconds range.
            factory.durationHistogramBuckets[MetricsNames.backgroundWrite] = MetricsNames.roundLatencyBuckets
            factory.durationHistogramBuckets[MetricsNames.commitBarrierWait] = MetricsNames.roundLatencyBuckets
            MetricsSystem.bootstrap(factory)
            done = true
        }
        return registry
    }

    // MARK: Lifecycle

    /// The TCP port the server is bound to (the ephemeral one when configured with port 0); nil before
    /// `start()` returned or after `stop()`.
    public var boundPort: Int? { host.boundPort }

    /// `host:port` as bound, for the readiness line (`metrics=127.0.0.1:40123`); nil when not running.
    public var boundAddress: String? { host.boundAddress(host: configuration.bindHost) }

    /// Binds `configuration.host:port` and starts serving; returns once bound.
    ///
    /// - Throws: `MetricsServerError` when the configuration is invalid, the address cannot be bound
    ///   (nothing keeps running then), the bind does not happen within 10 s, or the server was started
    ///   before.
    public func start() throws(MetricsServerError) {
        do { try configuration.validate() } catch { throw .invalidConfiguration(error) }
        try host.start(
            responder: MetricsResponder(registry: Self.registry, health: health), host: configuration.bindHost,
            port: configuration.port)
    }

    /// Stops serving (graceful shutdown of the HTTP server) and waits for it, at most 10 s. Idempotent;
    /// a stopped server cannot be started again.
    public func stop() {
        host.stop()
    }
}
