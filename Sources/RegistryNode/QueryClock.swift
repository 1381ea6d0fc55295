#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The clocks of the query side: wall-clock seconds for token validity (not consensus: the query
/// side may read the clock) and monotonic nanoseconds for rate limits and audit throttling. Tests
/// substitute their own.
public struct QueryClock: Sendable {
    /// Unix time in seconds.
    public var wallSeconds: @Sendable () -> UInt64
    /// A monotonic time in nanoseconds (any origin).
    public var monotonicNanoseconds: @Sendable () -> UInt64

    public init(wallSeconds: @escaping @Sendable () -> UInt64, monotonicNanoseconds: @escaping @Sendable () -> UInt64) {
        self.wallSeconds = wallSeconds
        self.monotonicNanoseconds = monotonicNanoseconds
    }

    /// `clock_gettime(CLOCK_REALTIME)` and `clock_gettime(CLOCK_MONOTONIC)`.
    public static let system = QueryClock(
        wallSeconds: {
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            return UInt64(max(0, now.tv_sec))
        },
        monotonicNanoseconds: {
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            return UInt64(max(0, now.tv_sec)) * 1_000_000_000 + UInt64(max(0, now.tv_nsec))
        })
}
