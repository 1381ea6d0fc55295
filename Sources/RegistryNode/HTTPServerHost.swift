import Dispatch
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// The blocking start/stop lifecycle of an in-process Hummingbird server, shared by the metrics
/// server and the HTTP gateway: `start` runs the application in a detached task and waits until the
/// socket is bound (so the bound port is known for the readiness line); `stop` triggers a graceful
/// shutdown and waits for it. Call both from a plain thread, not from a Swift concurrency task (they
/// wait on the server's task).
public final class HTTPServerHost: Sendable {
    /// A short name for log lines (`metrics server`, `gateway`).
    public let name: String
    private let logger: Logger
    private let state = Mutex(RunState())
    /// Where the server's tasks run: off the Swift concurrency pool (`ServerTaskExecutor`).
    private let executor: ServerTaskExecutor

    /// How long `start()` waits for the socket to be bound.
    public static let startTimeoutSeconds = 10
    /// How long `stop()` waits for the server to finish.
    public static let stopTimeoutSeconds = 10

    struct RunState: ~Copyable {
        var started = false
        var group: ServiceGroup?
        var boundPort: Int?
        var finished: DispatchSemaphore?
    }

    public init(name: String, logger: Logger) {
        self.name = name
        self.logger = logger
        executor = ServerTaskExecutor(label: "registry.http.\(name)")
    }

    /// The TCP port the server is bound to; nil before `start` returned or after `stop`.
    public var boundPort: Int? { state.withLock { $0.boundPort } }

    /// `host:port` as bound (`[::1]:port` for IPv6), for readiness lines; nil when not running.
    public func boundAddress(host: String) -> String? {
        guard let port = boundPort else { return nil }
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Binds `host:port` (port 0: ephemeral), serves `responder`, logs `<name> listening` and returns the
    /// bound port once bound. On failure nothing keeps running.
    @discardableResult
    public func start<Responder: HTTPResponder>(
        responder: Responder, host: String, port: Int
    ) throws(HTTPServerError) -> Int where Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
        let address = "\(host):\(port)"
        let outcome = Mutex<Result<Int, HTTPServerError>?>(nil)
        let ready = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? -1
                outcome.withLock { if $0 == nil { $0 = .success(port) } }
                ready.signal()
            },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        try state.withLock { (state) throws(HTTPServerError) in
            guard !state.started else { throw .alreadyStarted }
            state.started = true
            state.group = group
            state.finished = finished
        }
        let logger = self.logger
        let name = self.name
        Task.detached(executorPreference: executor) {
            do {
                try await group.run()
            } catch {
                logger.error("\(name) stopped with an error", metadata: ["address": "\(address)", "error": "\(error)"])
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
            logger.info("\(name) listening", metadata: ["address": "\(host):\(port)"])
            return port
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

    /// Stops serving (graceful shutdown) and waits for it, at most `stopTimeoutSeconds`. Idempotent; a
    /// stopped host cannot be started again.
    public func stop() {
        let (group, finished) = state.withLock { state -> (ServiceGroup?, DispatchSemaphore?) in
            defer {
                state.started = true
                state.group = nil
                state.finished = nil
                state.boundPort = nil
            }
            return (state.group, state.finished)
        }
        guard let group, let finished else { return }
        Task.detached(executorPreference: executor) { await group.triggerGracefulShutdown() }
        if finished.wait(timeout: .now() + .seconds(Self.stopTimeoutSeconds)) == .timedOut {
            logger.warning("\(name) did not stop within \(Self.stopTimeoutSeconds) s")
        }
    }

    deinit {
        // A server that is still running keeps its task alive; ask it to stop without waiting.
        if let group = state.withLock({ $0.group }) {
            let executor = self.executor
            Task.detached(executorPreference: executor) { await group.triggerGracefulShutdown() }
        }
    }
}
