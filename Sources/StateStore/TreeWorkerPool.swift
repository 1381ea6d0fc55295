#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The store's persistent helper threads for the tree computation (ADR 0028, update of 2026-11-26
/// 22:30): started on the first parallel computation, parked on a condition variable between commits,
/// stopped and joined by `shutdown` (the store's `close` and `deinit`). A commit hands its shares
/// over with one lock and one signal instead of starting and joining a thread per step.
///
/// The caller `submit`s the helpers' jobs, does its own share, then `wait`s: it takes back any job no
/// helper has started yet (a helper that waits for a core costs the commit nothing) and waits for the
/// jobs the helpers run. After `shutdown`, or when no helper thread could be created, every job runs
/// on the caller.
///
/// C calls: `pthread_mutex_*`, `pthread_cond_*` (one mutex, two conditions), `pthread_create`/`join`.
final class TreeWorkerPool: @unchecked Sendable {
    /// One `submit` call's outstanding jobs (guarded by the pool's mutex).
    final class Batch: @unchecked Sendable {
        var remaining: Int
        init(remaining: Int) { self.remaining = remaining }
    }

    struct Job {
        let batch: Batch
        let body: @Sendable () -> Void
    }

    /// The number of helper threads started at the first `submit` (the caller is one more share).
    let helperCount: Int
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    /// Signalled when jobs are queued or at shutdown.
    private let work: UnsafeMutablePointer<pthread_cond_t>
    /// Broadcast when a batch's last job finishes.
    private let done: UnsafeMutablePointer<pthread_cond_t>
    // Guarded by `mutex`.
    private var queue: [Job] = []
    private var threads: [pthread_t] = []
    private var started = false
    private var stopped = false

    /// A pool of `helpers` threads (none are started until the first `submit`).
    init(helpers: Int) {
        helperCount = max(helpers, 0)
        mutex = .allocate(capacity: 1)
        work = .allocate(capacity: 1)
        done = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(work, nil)
        pthread_cond_init(done, nil)
    }

    deinit {
        // `shutdown` has joined the helpers (each holds the pool while it runs, so a pool with running
        // helpers is never released).
        pthread_cond_destroy(done)
        pthread_cond_destroy(work)
        pthread_mutex_destroy(mutex)
        done.deallocate()
        work.deallocate()
        mutex.deallocate()
    }

    /// The number of helper threads running (0 before the first `submit` and after `shutdown`).
    var runningHelpers: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return threads.count
    }

    /// Queues `jobs` for the helpers (starting them on first use) and returns their batch: do this
    /// thread's own share, then `wait` for the batch. With no helper running (after `shutdown`, or
    /// none could be created) the jobs stay queued and `wait` runs them on the caller.
    func submit(_ jobs: [@Sendable () -> Void]) -> Batch {
        let batch = Batch(remaining: jobs.count)
        guard !jobs.isEmpty else { return batch }
        pthread_mutex_lock(mutex)
        if !started && !stopped { startHelpers() }
        for job in jobs { queue.append(Job(batch: batch, body: job)) }
        if !threads.isEmpty {
            if jobs.count == 1 { pthread_cond_signal(work) } else { pthread_cond_broadcast(work) }
        }
        pthread_mutex_unlock(mutex)
        return batch
    }

    /// Returns when every job of `batch` has finished: runs on this thread the jobs no helper has
    /// started yet (a helper waiting for a core costs the commit nothing), then waits for the others.
    /// What the jobs wrote is visible to the caller on return (ordered by the mutex).
    func wait(_ batch: Batch) {
        pthread_mutex_lock(mutex)
        while batch.remaining > 0 {
            if let index = queue.firstIndex(where: { $0.batch === batch }) {
                let job = queue.remove(at: index)
                pthread_mutex_unlock(mutex)
                job.body()
                pthread_mutex_lock(mutex)
                batch.remaining -= 1
            } else {
                pthread_cond_wait(done, mutex)
            }
        }
        pthread_mutex_unlock(mutex)
    }

    /// Stops the helpers (after the jobs they are running) and joins them. Later jobs run on the caller
    /// (in `wait`). Idempotent.
    func shutdown() {
        pthread_mutex_lock(mutex)
        stopped = true
        let joining = threads
        threads = []
        pthread_cond_broadcast(work)
        pthread_mutex_unlock(mutex)
        for thread in joining { _ = pthread_join(thread, nil) }
    }

    /// Starts the helpers (`pthread_create`); called with the mutex held. Fewer when creation fails.
    private func startHelpers() {
        started = true
        for _ in 0..<helperCount {
            guard let thread = SystemCalls.startThread({ [self] in helperLoop() }) else { break }
            threads.append(thread.thread)
        }
    }

    /// A helper's loop: run queued jobs until `shutdown`.
    private func helperLoop() {
        pthread_mutex_lock(mutex)
        while !stopped {
            if queue.isEmpty {
                pthread_cond_wait(work, mutex)
                continue
            }
            let job = queue.removeFirst()
            pthread_mutex_unlock(mutex)
            job.body()
            pthread_mutex_lock(mutex)
            job.batch.remaining -= 1
            if job.batch.remaining == 0 { pthread_cond_broadcast(done) }
        }
        pthread_mutex_unlock(mutex)
    }
}
