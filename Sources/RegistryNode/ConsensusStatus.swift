import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The consensus side's progress, readable from any thread (health endpoint, readiness, tests) while
/// the consensus thread updates it.
public final class ConsensusStatus: Sendable {
    /// A copy of the status at one moment.
    public struct Snapshot: Sendable, Equatable {
        /// Whether InitChain has committed.
        public var initialized: Bool = false
        /// The chain id (empty before InitChain).
        public var chainID: String = ""
        /// The last committed round (the genesis round right after InitChain), nil before InitChain.
        public var lastRound: UInt64?
        /// Its 32-byte root.
        public var lastRoot: [UInt8] = []
        /// Monotonic nanoseconds (`CLOCK_MONOTONIC`) of the last commit in this process, nil if none.
        public var lastCommitMonotonicNanos: UInt64?
        /// Why consensus halted (an infrastructure failure), nil while healthy.
        public var haltReason: String?
        /// Rounds committed by this process.
        public var roundsApplied: UInt64 = 0
    }

    private let state = Mutex(Snapshot())

    public init() {}

    /// The current status.
    public var current: Snapshot { state.withLock { $0 } }

    /// Seconds since the last commit in this process (nil if none yet).
    public var secondsSinceLastCommit: Double? {
        guard let last = current.lastCommitMonotonicNanos else { return nil }
        let now = Self.monotonicNanoseconds()
        return now >= last ? Double(now - last) / 1e9 : 0
    }

    func update(_ body: (inout Snapshot) -> Void) {
        state.withLock { body(&$0) }
    }

    /// `clock_gettime(CLOCK_MONOTONIC)` in nanoseconds.
    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
