import ZMQ

/// How the query server's threads yield the CPU to consensus (`query.thread_scheduling`, ADR 0015).
///
/// Applies to the front and worker threads and to the query context's ZeroMQ I/O thread.
public enum QueryThreadScheduling: String, Sendable, Equatable, CaseIterable {
    /// `SCHED_IDLE` (Linux; the default): query threads run only on cycles no normal thread wants, so a
    /// round preempts them at once; on an otherwise idle machine they run at full speed. The ZeroMQ I/O
    /// thread of the query context runs under `SCHED_IDLE` too. Falls back to `low` where `SCHED_IDLE`
    /// is unavailable.
    case idle
    /// Nice 10 (the weight ratio against nice 0 is about 1 : 9); the I/O thread keeps the normal policy.
    case low
    /// The process's own priority for every query thread.
    case normal

    /// The policy of the query context's I/O threads.
    var ioThreadPolicy: ThreadSchedulingPolicy { self == .idle ? .idle : .inherit }
}
