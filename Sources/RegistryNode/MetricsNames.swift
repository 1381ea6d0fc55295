/// The names of the plugin's metrics (swift-metrics labels, exported by `MetricsServer` as Prometheus
/// series). Everyone records through swift-metrics with these labels and the listed dimensions, so a
/// name is never registered with two metric types or two label sets.
public enum MetricsNames {
    /// Counter: rounds committed by ApplyRound (replays not counted).
    public static let roundsApplied = "ai_registry_rounds_applied_total"
    /// Timer (Prometheus histogram, seconds): ApplyRound from request decoded to reply encoded.
    public static let roundLatency = "ai_registry_round_latency_seconds"
    /// Counter with dimension `code` (the ResultCode name): transactions executed in committed rounds.
    public static let transactions = "ai_registry_transactions_total"
    /// Counter with dimensions `request` (e.g. `get_model`) and `outcome` (`ok` or the error code name).
    public static let queries = "ai_registry_queries_total"
    /// Counter with dimension `endpoint` (`consensus`, `query`): authentication failures.
    public static let authFailures = "ai_registry_auth_failures_total"
    /// Gauge: bytes of the LMDB environment in use.
    public static let lmdbUsedBytes = "ai_registry_lmdb_used_bytes"
    /// Gauge: the last committed round.
    public static let lastRound = "ai_registry_last_round"
    /// Counter with dimension `reason` (e.g. `frame_too_large`, `malformed_request`,
    /// `unsupported_version`, `rate_limited`): requests answered with an error before being served.
    public static let requestsRejected = "ai_registry_requests_rejected_total"
    /// Counter with dimension `outcome` (`ok`, `failed`, `prune_failed`): periodic snapshot exports (ADR 0022).
    public static let snapshots = "ai_registry_snapshots_total"
    /// Gauge: the round of the newest periodic snapshot written by this process.
    public static let snapshotLastRound = "ai_registry_snapshot_last_round"
    /// Timer (Prometheus histogram, seconds): the store's writer thread writing one round write-behind
    /// (LMDB write transaction begun → committed; ADR 0027).
    public static let backgroundWrite = "ai_registry_commit_background_write_seconds"
    /// Timer (Prometheus histogram, seconds): the consensus thread waiting at the write-behind barrier
    /// for the previous round's write (ADR 0027).
    public static let commitBarrierWait = "ai_registry_commit_barrier_wait_seconds"

    /// The histogram buckets of `roundLatency`: rounds take from well under a millisecond to seconds.
    public static let roundLatencyBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
    ]
}
