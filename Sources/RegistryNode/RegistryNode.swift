import Foundation
import Logging
import StateStore
import StateSync
import Synchronization
import ZMQ

/// The plugin process as a service object: `ai-registry run` builds it from a `NodeConfiguration`.
/// `init` opens the store and the audit log and reads the last committed round; `start` binds and
/// starts the consensus endpoint (with the event publisher), the query server and the metrics server;
/// `stop` lets the request in progress finish (a round commits completely or not at all), stops every
/// endpoint, flushes and closes LMDB.
public final class RegistryNode: Sendable {
    /// The configuration the node runs with.
    public let configuration: NodeConfiguration
    /// The store (shared with the query side, which only reads).
    public let store: StateStore
    /// The audit log.
    public let audit: AuditLog
    /// The consensus side's progress, for health and tests.
    public let status: ConsensusStatus
    private let logger: Logger
    private let consensusContext: Context
    private let queryContext: Context
    private let consensus: ConsensusEndpoint
    /// Periodic snapshots into the catalog the query endpoint serves (ADR 0022).
    private let snapshots: SnapshotScheduler
    private let parts = Mutex(Parts())

    private struct Parts: @unchecked Sendable {
        var query: QueryServer?
        var metrics: MetricsServer?
        var started = false
        var stopped = false
    }

    /// The conventional directory of key files: `<data_dir>/keys`.
    public static func keysDirectory(dataDirectory: String) -> String {
        (dataDirectory as NSString).appendingPathComponent("keys")
    }

    /// Opens the data directory (creating it with mode 0700), the store and the audit log.
    public init(configuration: NodeConfiguration, logger: Logger) throws(NodeError) {
        do { try configuration.validate() } catch { throw .configuration(error) }
        self.configuration = configuration
        self.logger = logger
        let directory = configuration.dataDirectory
        if !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw .startup(component: "data directory", reason: "cannot create \(directory): \(error.localizedDescription)")
            }
        }
        do {
            audit = try AuditLog(path: configuration.auditLogPath, maxBytes: configuration.audit.maxBytes,
                                 maxFiles: configuration.audit.maxFiles, logger: logger)
        } catch {
            throw .startup(component: "audit log", reason: error.description)
        }
        do { store = try StateStore(directory: directory, configuration: configuration.storage.storeConfiguration) } catch {
            throw .startup(component: "store", reason: error.description)
        }
        status = ConsensusStatus()
        let options = ConsensusService.Options(retentionRounds: configuration.storage.retentionRounds,
                                               pruneBatchEntries: configuration.storage.pruneBatchEntries,
                                               writeBehind: configuration.storage.commitMode == .writeBehind,
                                               writeBehindMinimumWrites: configuration.storage.writeBehindMinimumWrites)
        let service: ConsensusService
        do { service = try ConsensusService(store: store, options: options, logger: logger, status: status) } catch {
            throw .startup(component: "consensus", reason: error.description)
        }
        do {
            consensusContext = try Context()
            // The query endpoint's own context: its I/O thread never carries consensus frames, and
            // runs under the query threads' scheduling (ADR 0015).
            queryContext = try Context(threadScheduling: configuration.query.threadScheduling.ioThreadPolicy)
        } catch {
            throw .startup(component: "zeromq", reason: error.description)
        }
        consensus = ConsensusEndpoint(configuration: configuration.consensus, events: configuration.events, service: service,
                                      context: consensusContext, audit: audit, logger: logger)
        snapshots = SnapshotScheduler(store: store, catalog: SnapshotCatalog(directory: configuration.snapshotDirectory),
                                      configuration: configuration.snapshots, status: status, logger: logger)
    }

    /// Starts every endpoint; on failure, stops what started and throws.
    public func start() throws(NodeError) {
        let already = parts.withLock { parts -> Bool in
            defer { parts.started = true }
            return parts.started
        }
        guard !already else { throw .startup(component: "node", reason: "already started") }
        do { try consensus.start() } catch {
            throw .startup(component: "consensus endpoint", reason: "\(configuration.consensus.endpoint): \(error)")
        }
        if configuration.query.enabled {
            do {
                let query = try QueryServer(configuration: configuration.query, store: store, context: queryContext,
                                            audit: audit, logger: logger,
                                            service: QueryService(snapshots: SnapshotCatalog(directory: configuration.snapshotDirectory)))
                try query.start()
                parts.withLock { $0.query = query }
            } catch {
                stop()
                throw .startup(component: "query endpoint", reason: "\(configuration.query.endpoint): \(error)")
            }
        }
        snapshots.start()
        if configuration.metrics.enabled {
            MetricsServer.bootstrap()
            let status = self.status
            let store = self.store
            let metrics = MetricsServer(configuration: configuration.metrics, health: {
                Self.health(status: status, store: store)
            }, logger: logger)
            do {
                try metrics.start()
                parts.withLock { $0.metrics = metrics }
            } catch {
                stop()
                throw .startup(component: "metrics server", reason: "\(configuration.metrics.host):\(configuration.metrics.port): \(error)")
            }
        }
    }

    /// The bound addresses, for the readiness line.
    public var endpoints: (consensus: String, query: String?, events: String?, metrics: String?) {
        let (query, metrics) = parts.withLock { ($0.query?.boundEndpoint, $0.metrics?.boundAddress) }
        return (consensus.boundEndpoint ?? configuration.consensus.endpoint, query, consensus.boundEventsEndpoint, metrics)
    }

    /// `ready consensus=<endpoint> query=<endpoint> events=<endpoint> metrics=<host:port>` (`-` for a
    /// disabled endpoint): the line `ai-registry run` prints once everything is bound.
    public var readinessLine: String {
        let bound = endpoints
        return "ready consensus=\(bound.consensus) query=\(bound.query ?? "-") events=\(bound.events ?? "-") metrics=\(bound.metrics ?? "-")"
    }

    /// Stops the endpoints (the round in progress finishes first), flushes LMDB. Idempotent.
    public func stop() {
        let (query, metrics, first) = parts.withLock { parts -> (QueryServer?, MetricsServer?, Bool) in
            defer { parts.query = nil; parts.metrics = nil; parts.stopped = true }
            return (parts.query, parts.metrics, !parts.stopped)
        }
        guard first else { return }
        consensus.stop()
        // The round in progress has finished; its write-behind write commits before LMDB is flushed.
        do { try store.close() } catch {
            logger.error("the last write-behind write failed", metadata: ["error": "\(error)"])
        }
        snapshots.stop()
        query?.stop()
        metrics?.stop()
        do { try store.sync() } catch {
            logger.error("final LMDB sync failed", metadata: ["error": "\(error)"])
        }
        audit.sync()
        consensusContext.shutdown()
        queryContext.shutdown()
        logger.info("stopped", metadata: ["last_round": "\(status.current.lastRound.map(String.init) ?? "none")"])
    }

    /// The `/health` report from the consensus status and the store's size.
    static func health(status: ConsensusStatus, store: StateStore) -> HealthReport {
        let current = status.current
        let used = (try? store.statistics().usedBytes) ?? 0
        return HealthReport(status: current.haltReason == nil ? .ok : .halted, initialized: current.initialized,
                            lastRound: current.lastRound, secondsSinceLastCommit: status.secondsSinceLastCommit,
                            storeUsedBytes: used, detail: current.haltReason)
    }
}
