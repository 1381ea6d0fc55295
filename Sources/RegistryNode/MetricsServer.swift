import Dispatch
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
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
    private let state = Mutex(RunState())

    /// How long `start()` waits for the socket to be bound.
    static let startTimeoutSeconds = 10
    /// How long `stop()` waits for the server to finish.
    static let stopTimeoutSeconds = 10

    struct RunState: ~Copyable {
        var phase = Phase.idle
        var group: ServiceGroup?
        var boundPort: Int?
        var finished: DispatchSemaphore?
    }

    enum Phase { case idle, running, stopped }

    /// - Parameters:
    ///   - configuration: where to listen; `enabled` is the caller's decision (the server starts anyway).
    ///   - health: called for every `/health` and `/metrics` request, on a server thread; must be quick
    ///     and must not block on consensus.
    ///   - logger: the server's logger (request errors at debug level).
    public init(configuration: MetricsServerConfiguration, health: @escaping @Sendable () -> HealthReport, logger: Logger) {
        self.configuration = configuration
        self.health = health
        self.logger = logger
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
            MetricsSystem.bootstrap(factory)
            done = true
        }
        return registry
    }

    // MARK: Lifecycle

    /// The TCP port the server is bound to (the ephemeral one when configured with port 0); nil before
    /// `start()` returned or after `stop()`.
    public var boundPort: Int? { state.withLock { $0.boundPort } }

    /// `host:port` as bound, for the readiness line (`metrics=127.0.0.1:40123`); nil when not running.
    public var boundAddress: String? {
        guard let port = boundPort else { return nil }
        let host = configuration.bindHost
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Binds `configuration.host:port` and starts serving; returns once bound.
    ///
    /// - Throws: `MetricsServerError` when the configuration is invalid, the address cannot be bound
    ///   (nothing keeps running then), the bind does not happen within 10 s, or the server was started
    ///   before.
    public func start() throws(MetricsServerError) {
        do { try configuration.validate() } catch { throw .invalidConfiguration(error) }
        let address = "\(configuration.bindHost):\(configuration.port)"
        let outcome = Mutex<Result<Int, MetricsServerError>?>(nil)
        let ready = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let app = Application(
            responder: MetricsResponder(registry: Self.registry, health: health),
            configuration: .init(address: .hostname(configuration.bindHost, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? -1
                outcome.withLock { if $0 == nil { $0 = .success(port) } }
                ready.signal()
            },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        try state.withLock { (state) throws(MetricsServerError) in
            guard case .idle = state.phase else { throw .alreadyStarted }
            state.phase = .running
            state.group = group
            state.finished = finished
        }
        let logger = self.logger
        Task.detached {
            do {
                try await group.run()
            } catch {
                logger.error("metrics server stopped with an error", metadata: ["address": "\(address)", "error": "\(error)"])
                outcome.withLock { if $0 == nil { $0 = .failure(.startFailed(address: address, reason: "\(error)")) } }
            }
            outcome.withLock { if $0 == nil { $0 = .failure(.startFailed(address: address, reason: "the server exited")) } }
            ready.signal()
            finished.signal()
        }
        let waited = ready.wait(timeout: .now() + .seconds(Self.startTimeoutSeconds))
        let result = outcome.withLock { $0 }
        switch (waited, result) {
        case (.success, .success(let port)?) where port > 0:
            state.withLock { $0.boundPort = port }
            logger.info("metrics server listening", metadata: ["address": "\(configuration.bindHost):\(port)"])
        case (.success, .success?):
            stop()
            throw .startFailed(address: address, reason: "the bound port is unknown")
        case (.success, .failure(let error)?):
            stop()
            throw error
        default:
            stop()
            throw .startTimedOut(address: address, seconds: Self.startTimeoutSeconds)
        }
    }

    /// Stops serving (graceful shutdown of the HTTP server) and waits for it, at most 10 s. Idempotent;
    /// a stopped server cannot be started again.
    public func stop() {
        let (group, finished) = state.withLock { state -> (ServiceGroup?, DispatchSemaphore?) in
            defer {
                state.phase = .stopped
                state.group = nil
                state.finished = nil
                state.boundPort = nil
            }
            return (state.group, state.finished)
        }
        guard let group, let finished else { return }
        Task.detached { await group.triggerGracefulShutdown() }
        if finished.wait(timeout: .now() + .seconds(Self.stopTimeoutSeconds)) == .timedOut {
            logger.warning("metrics server did not stop within \(Self.stopTimeoutSeconds) s")
        }
    }

    deinit {
        // A server that is still running keeps its task alive; ask it to stop without waiting.
        if let group = state.withLock({ $0.group }) {
            Task.detached { await group.triggerGracefulShutdown() }
        }
    }
}
