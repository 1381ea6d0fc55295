import RegistryCore
import RegistryWorkload

/// Everything a driver run is configured with (the `round-driver` flags map onto these).
public struct DriverOptions: Sendable {
    /// The `ai-registry` executable.
    public var pluginPath: String
    /// Plugin replicas to start.
    public var replicas: Int = 3
    /// Data directories of the replicas (one per replica); empty: `<workDirectory>/replica-<i>`.
    public var dataDirectories: [String] = []
    /// Where temporary data directories go; nil: a fresh directory under the system temp directory,
    /// deleted at the end unless `keepData`.
    public var workDirectory: String? = nil
    public var keepData = false
    /// Delete the given data directories before starting (the demo does, so it is repeatable).
    public var wipeData = false
    /// Milliseconds between round starts; 0 sends the next round as soon as the previous one is answered.
    public var cadenceMillis: UInt64 = 200
    /// The round clock: round R carries `genesisMillis + R × clockStepMillis` (the cadence, or 200 ms
    /// when the cadence is 0), whatever the wall clock does.
    public var genesisMillis: UInt64 = WorkloadGenerator.genesisMillis
    public var seed: UInt64 = 1
    public var faults = FaultOptions()
    /// Every this many rounds, random keys are read with proofs from every replica and verified (0: never).
    public var verifyEvery: Round = 10
    public var verifyKeys: Int = 6
    /// Exit non-zero when a transaction's result code differs from the generator's expectation.
    public var strict = false
    /// Print a summary line every this many rounds (0: only rounds with faults or failures).
    public var printEvery: Round = 1
    /// Extra arguments for `ai-registry run` (e.g. `--sync-mode noSync`).
    public var pluginArguments: [String] = []
    /// How long a reply may take.
    public var replyTimeout: Duration = .seconds(30)
    /// Plan (generate and execute on the reference) every round before sending the first (benchmark:
    /// the driver's own work stays out of the measured loop).
    public var planAhead = false
    /// Leave the plugins running at the end instead of stopping them with SIGTERM.
    public var leavePluginsRunning = false

    /// Self-test of the divergence report: the reference executes this round with one extra deposit
    /// (1 base unit to the first funded account) that the plugins never see, so they must be reported
    /// divergent at this round with that account and the fee totals in the per-key diff.
    public var injectDivergenceAt: Round? = nil

    public init(pluginPath: String) { self.pluginPath = pluginPath }

    /// The timestamp step of the round clock.
    public var clockStepMillis: UInt64 { cadenceMillis > 0 ? cadenceMillis : 200 }
}
