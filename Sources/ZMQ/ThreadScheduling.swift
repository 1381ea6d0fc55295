#if canImport(Glibc)
import Glibc
#endif

/// The scheduling policy a context gives its background (I/O and reaper) threads
/// (`ZMQ_THREAD_SCHED_POLICY`, applied by each thread as it starts).
///
/// Only policies that need no privilege are offered: libzmq aborts the process if
/// `pthread_setschedparam` fails in its thread. `ZMQ_THREAD_PRIORITY` is deliberately not exposed:
/// for non-real-time policies libzmq answers it with `nice(-20)` under an assertion, which aborts an
/// unprivileged process.
public enum ThreadSchedulingPolicy: Sendable, Equatable {
    /// libzmq's default: the threads inherit the creating thread's policy (`ZMQ_THREAD_SCHED_POLICY_DFLT`).
    case inherit
    /// `SCHED_IDLE` (Linux): the threads run only on cycles no normal thread wants (CFS weight 3 against
    /// 1,024 for nice 0). Moving a thread to `SCHED_IDLE` needs no privilege. Outside Linux: `inherit`.
    case idle

    /// The `ZMQ_THREAD_SCHED_POLICY` value, or nil for libzmq's default.
    var rawPolicy: Int32? {
        switch self {
        case .inherit: return nil
        case .idle:
            #if os(Linux)
            return ThreadSchedulingPolicy.linuxIdlePolicy
            #else
            return nil
            #endif
        }
    }

    /// Linux's `SCHED_IDLE` (5, `<linux/sched.h>`; glibc only declares it under `_GNU_SOURCE`).
    public static let linuxIdlePolicy: Int32 = 5
}
