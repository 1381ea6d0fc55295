import Dispatch
import Synchronization

/// The write-behind writer of a `StateStore` (ADR 0027): one dedicated thread that runs the LMDB
/// write of a commit whose root was already returned, at most one write in flight.
///
/// The committing thread calls `awaitIdle` (the barrier), then `submit`; the writer runs the job,
/// records its outcome and wakes every waiter. A failed write poisons the writer: `awaitIdle` and
/// `submit` throw `writeBehindFailed` from then on (nothing after a failed round may be written).
final class CommitWriter: Sendable {
    /// A write handed to the writer: returns nil when committed, or the failure.
    typealias Job = @Sendable () -> StateStoreError?

    private struct State: ~Copyable {
        /// The job waiting for the writer thread (taken as it starts).
        var job: Job?
        /// The version being written (submitted, not yet finished).
        var inFlight: UInt64?
        /// When the version in flight was handed to `commitWriteBehind` (monotonic ns).
        var callStarted: UInt64 = 0
        /// The first failed write; permanent.
        var failure: StateStoreError?
        /// Threads blocked in `awaitIdle`.
        var waiters: [DispatchSemaphore] = []
        /// The last write the thread finished (successfully).
        var last: BackgroundWrite?
        var stopping = false
        var thread: SystemCalls.HelperThread?
    }

    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)

    init() {}

    /// The version being written, if any.
    var versionInFlight: UInt64? { state.withLock { $0.inFlight } }

    /// The last write finished by the writer.
    var lastWrite: BackgroundWrite? { state.withLock { $0.last } }

    /// The failure that poisoned the writer, if any.
    var failure: StateStoreError? { state.withLock { $0.failure } }

    /// Waits until no write is in flight. Throws the writer's failure (then and on every later call).
    func awaitIdle() throws(StateStoreError) {
        while true {
            let outcome = state.withLock { state -> Result<DispatchSemaphore?, StateStoreError> in
                if let failure = state.failure { return .failure(failure) }
                if state.inFlight == nil { return .success(nil) }
                let semaphore = DispatchSemaphore(value: 0)
                state.waiters.append(semaphore)
                return .success(semaphore)
            }
            switch outcome {
            case .failure(let error): throw error
            case .success(nil): return
            case .success(let semaphore?): semaphore.wait()
            }
        }
    }

    /// Hands `job` (the write of `version`) to the writer thread, starting the thread on first use.
    /// The caller has waited with `awaitIdle`; throws the failure, or `corruptStore` when a write is
    /// still in flight (a caller bug: two committers).
    func submit(version: UInt64, callStarted: UInt64, _ job: @escaping Job) throws(StateStoreError) {
        let refusal = state.withLock { state -> StateStoreError? in
            if let failure = state.failure { return failure }
            if let busy = state.inFlight {
                return .corruptStore(operation: "commitWriteBehind",
                                     reason: "version \(busy) is still being written while \(version) was submitted (two committers?)")
            }
            if state.stopping { return .corruptStore(operation: "commitWriteBehind", reason: "the store's writer is shut down") }
            state.inFlight = version
            state.callStarted = callStarted
            state.job = job
            if state.thread == nil {
                state.thread = SystemCalls.startThread { [self] in run() }
            }
            return state.thread == nil ? .corruptStore(operation: "commitWriteBehind", reason: "the writer thread could not be started") : nil
        }
        if let refusal {
            // Thread creation failed: nothing runs the job; leave nothing in flight.
            state.withLock { state in
                if state.thread == nil { state.job = nil; state.inFlight = nil }
            }
            throw refusal
        }
        wake.signal()
    }

    /// Waits for the write in flight (ignoring a failure), stops the thread and joins it. Called by
    /// the store's deinit. Safe when called on the writer thread itself (the join then returns at once).
    func shutdown() {
        let semaphore = DispatchSemaphore(value: 0)
        let wait = state.withLock { state -> Bool in
            guard state.inFlight != nil, state.failure == nil else { return false }
            state.waiters.append(semaphore)
            return true
        }
        if wait { semaphore.wait() }
        let thread = state.withLock { state -> SystemCalls.HelperThread? in
            state.stopping = true
            return state.thread.take()
        }
        wake.signal()
        // Joining itself (deinit run on the writer thread) fails with EDEADLK at once, never hangs.
        thread?.join()
    }

    /// The writer thread: runs one job at a time until stopped.
    private func run() {
        while true {
            wake.wait()
            if let waiters = runNext() {
                // The job (and the store it holds) was released before the waiters are woken: when
                // `awaitIdle` returns, this thread no longer holds the store.
                for waiter in waiters { waiter.signal() }
            }
            if state.withLock({ $0.stopping && $0.job == nil }) { return }
        }
    }

    /// Runs the job waiting (if any), records its outcome and returns the waiters to wake. The job is
    /// released when this returns, after `inFlight` is cleared: a store deinit its release runs on
    /// this thread then finds nothing in flight.
    private func runNext() -> [DispatchSemaphore]? {
        let taken = state.withLock { state -> (job: Job, version: UInt64, started: UInt64)? in
            guard let job = state.job, let version = state.inFlight else { return nil }
            state.job = nil
            return (job, version, state.callStarted)
        }
        guard let taken else { return nil }
        return withExtendedLifetime(taken.job) {
            let began = SystemCalls.monotonicNanoseconds()
            let error = taken.job()
            let finished = SystemCalls.monotonicNanoseconds()
            return state.withLock { state -> [DispatchSemaphore] in
                state.inFlight = nil
                if let error {
                    if state.failure == nil { state.failure = .writeBehindFailed(version: taken.version, cause: error) }
                } else {
                    state.last = BackgroundWrite(
                        version: taken.version, writeNanoseconds: finished &- began, durableNanoseconds: finished &- taken.started)
                }
                defer { state.waiters.removeAll() }
                return state.waiters
            }
        }
    }
}

/// A write finished by the write-behind writer (ADR 0027): durations for metrics and the benchmark.
public struct BackgroundWrite: Equatable, Sendable {
    /// The version written.
    public var version: UInt64
    /// The writer's work: write transaction begun → `mdb_txn_commit` returned (and the tree cache hook).
    public var writeNanoseconds: UInt64
    /// Durable latency: `commitWriteBehind` called → the write committed.
    public var durableNanoseconds: UInt64

    public init(version: UInt64, writeNanoseconds: UInt64, durableNanoseconds: UInt64) {
        self.version = version
        self.writeNanoseconds = writeNanoseconds
        self.durableNanoseconds = durableNanoseconds
    }
}
