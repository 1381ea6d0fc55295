import Foundation
import Logging
import Metrics
import StateStore
import StateSync
import Synchronization

/// Periodic state-sync snapshots (ADR 0022): a background thread that exports round R into the
/// catalog once R is committed and R is a multiple of `intervalRounds`, then prunes the catalog to the
/// `keep` newest snapshots.
///
/// It never blocks consensus: it learns of commits from `ConsensusStatus` (a lock the consensus
/// thread holds for a few instructions), reads the store in its own LMDB read transaction (MVCC), and
/// runs one export at a time. When several multiples were committed during one export, only the newest
/// is exported next. A failed export or prune is logged and counted (`ai_registry_snapshots_total
/// {outcome}`), never fatal; the round is not retried (the next multiple is).
public final class SnapshotScheduler: Sendable {
    /// How often (milliseconds) the thread looks at the last committed round.
    public static let pollMilliseconds = 100

    private let store: StateStore
    private let catalog: SnapshotCatalog
    private let configuration: SnapshotsConfiguration
    private let status: ConsensusStatus
    private let logger: Logger
    private let wake = DispatchSemaphore(value: 0)
    private let stopping = Atomic<Bool>(false)
    private let lifecycle = Mutex(Lifecycle.idle)

    private enum Lifecycle {
        case idle
        case running(finished: DispatchSemaphore)
        case stopped
    }
    private let progress = Mutex(Progress())

    /// What the scheduler has done, for tests and logs.
    public struct Progress: Sendable, Equatable {
        /// The newest round exported by this process.
        public var lastExported: UInt64?
        /// Exports that failed.
        public var failures: Int = 0
        /// The last failure's description.
        public var lastError: String?
    }

    /// A scheduler exporting `store` into `catalog` per `configuration` (`intervalRounds` must be > 0).
    public init(store: StateStore, catalog: SnapshotCatalog, configuration: SnapshotsConfiguration,
                status: ConsensusStatus, logger: Logger) {
        self.store = store
        self.catalog = catalog
        self.configuration = configuration
        self.status = status
        self.logger = logger
    }

    /// What has been done so far.
    public var current: Progress { progress.withLock { $0 } }

    /// Starts the thread (nothing when `intervalRounds` is 0). Later calls do nothing.
    public func start() {
        guard configuration.intervalRounds > 0 else { return }
        let done = DispatchSemaphore(value: 0)
        let start = lifecycle.withLock { state -> Bool in
            guard case .idle = state else { return false }
            state = .running(finished: done)
            return true
        }
        guard start else { return }
        let thread = Thread { [self] in
            run()
            done.signal()
        }
        thread.name = "snapshots"
        thread.start()
        logger.info("periodic snapshots", metadata: [
            "interval_rounds": "\(configuration.intervalRounds)", "keep": "\(configuration.keep)", "directory": "\(catalog.directory)",
        ])
    }

    /// Stops the thread after the export in progress (if any) and waits for it. Idempotent.
    public func stop() {
        stopping.store(true, ordering: .releasing)
        wake.signal()
        let done = lifecycle.withLock { state -> DispatchSemaphore? in
            defer { state = .stopped }
            if case .running(let finished) = state { return finished }
            return nil
        }
        done?.wait()
    }

    /// The round a scheduler exports when `last` is the last committed round: the newest multiple of
    /// `interval` at or below it.
    public static func dueRound(last: UInt64, interval: UInt64) -> UInt64 {
        last - last % interval
    }

    private func run() {
        // Continue after the newest snapshot already in the catalog (a restart does not redo it).
        var attempted: UInt64? = try? catalog.list().last?.round
        while !stopping.load(ordering: .acquiring) {
            if let last = status.current.lastRound {
                let due = Self.dueRound(last: last, interval: configuration.intervalRounds)
                if attempted.map({ due > $0 }) ?? true {
                    attempted = due
                    export(round: due)
                    continue
                }
            }
            _ = wake.wait(timeout: .now() + .milliseconds(Self.pollMilliseconds))
        }
    }

    /// Exports `round` if the store retains it, then prunes the catalog.
    private func export(round: UInt64) {
        do {
            let snapshot = try store.snapshot()
            let retained = try snapshot.retainedVersions(from: round, limit: 1).first == round
            snapshot.close()
            // A multiple below the first committed round (e.g. 0 before a later genesis round) or
            // already pruned from the store: nothing to export.
            guard retained else { return }
        } catch {
            fail(round: round, "reading the store: \(error)")
            return
        }
        let started = ContinuousClock.now
        let manifest: SnapshotManifest
        do {
            manifest = try SnapshotExporter.export(store: store, round: round, into: catalog, chunkBytes: configuration.chunkBytes)
        } catch {
            fail(round: round, error.description)
            return
        }
        let elapsed = ContinuousClock.now - started
        Counter(label: MetricsNames.snapshots, dimensions: [("outcome", "ok")]).increment()
        Gauge(label: MetricsNames.snapshotLastRound).record(Int64(clamping: round))
        progress.withLock { $0.lastExported = round }
        logger.info("snapshot exported", metadata: [
            "round": "\(round)", "root": "\(manifest.root.hex)", "entries": "\(manifest.entryCount)",
            "chunks": "\(manifest.chunks.count)", "bytes": "\(manifest.totalChunkBytes)", "elapsed": "\(elapsed)",
        ])
        do { try catalog.prune(keepLatest: configuration.keep) } catch {
            Counter(label: MetricsNames.snapshots, dimensions: [("outcome", "prune_failed")]).increment()
            logger.error("snapshot catalog prune failed", metadata: ["directory": "\(catalog.directory)", "error": "\(error)"])
        }
    }

    private func fail(round: UInt64, _ reason: String) {
        Counter(label: MetricsNames.snapshots, dimensions: [("outcome", "failed")]).increment()
        progress.withLock {
            $0.failures += 1
            $0.lastError = "round \(round): \(reason)"
        }
        logger.error("snapshot export failed (consensus continues)", metadata: ["round": "\(round)", "error": "\(reason)"])
    }
}
