import Foundation

/// What a run did and found; printed at the end and written as JSON with `--report json`.
public struct DriverReport: Codable, Sendable {
    public struct Faults: Codable, Sendable {
        public var crashes = 0
        /// Restarts whose Info matched the reference root at the reported round.
        public var recoveries = 0
        /// Rounds re-sent to restarted or stopped replicas to catch them up.
        public var replayedRounds = 0
        public var duplicates = 0
        public var duplicatesOK = 0
        public var outOfOrder = 0
        public var outOfOrderOK = 0
        public var slow = 0
        public var slowOK = 0
        /// Faults not injected because their replica was busy with another one.
        public var skipped = 0
    }

    public struct Verification: Codable, Sendable {
        public var rounds = 0
        public var reads = 0
        public var verified = 0
        public var failed = 0
        public var failures: [String] = []
    }

    public struct CheckResult: Codable, Sendable {
        public var round: UInt64
        public var check: String
        /// `reference` or `replica N`.
        public var on: String
        public var passed: Bool
        public var detail: String
    }

    public struct Scenario: Codable, Sendable {
        public var name: String
        public var passed = 0
        public var failed = 0
        public var results: [CheckResult] = []
    }

    public struct Latency: Codable, Sendable {
        public var samples: UInt64
        public var p50Millis: Double
        public var p99Millis: Double
        public var maxMillis: Double
        public var meanMillis: Double
    }

    public struct Plugin: Codable, Sendable {
        public var replica: Int
        public var starts: Int
        public var cpuMillis: UInt64
        /// CPU time over the measured wall time, in percent of one core.
        public var cpuPercent: Double
        public var residentKiB: UInt64
        public var peakResidentKiB: UInt64
        /// The exit status after SIGTERM (0 = clean), nil when left running or killed.
        public var exitStatus: Int32?
    }

    /// What the registry holds at the end, from replica 0's statistics query.
    public struct Registry: Codable, Sendable {
        /// Status name → count, sorted by name.
        public var modelsByStatus: [String: UInt64]
        public var registrations: UInt64
        public var usageCount: UInt64
        public var usageFees: UInt64
        public var feesCollected: UInt64
        public var treasury: UInt64
        public var ownerShares: UInt64
        public var burned: UInt64
        public var depositsHeld: UInt64
        public var withdrawn: UInt64
        public var deposited: UInt64
    }

    public struct Divergence: Codable, Sendable {
        public var replica: Int
        public var round: UInt64
        public var resultDifferences: [String]
        /// key / reference value / plugin value lines.
        public var keyDifferences: [String]
        public var keysCompared: Int
        public var note: String
    }

    public var mode: String
    public var replicas: Int
    public var seed: UInt64
    public var cadenceMillis: UInt64
    public var roundsDriven: UInt64 = 0
    public var finalRound: UInt64 = 0
    public var finalRoot = ""
    public var converged = false
    public var transactions = 0
    public var accepted = 0
    public var rejected = 0
    /// Transactions built to fail.
    public var plannedInvalid = 0
    public var expectationMismatches = 0
    public var mismatchSamples: [String] = []
    public var divergence: Divergence?
    public var failures: [String] = []
    public var faults = Faults()
    public var verification = Verification()
    public var scenario: Scenario?
    public var latency: Latency?
    public var elapsedSeconds = 0.0
    /// Transactions over the wall time of the round loop (cadence waits included).
    public var transactionsPerSecond = 0.0
    /// Transactions over the time spent waiting for replies (the plugins' capacity at this load).
    public var busyTransactionsPerSecond = 0.0
    /// Rounds that took longer than the cadence.
    public var cadenceOverruns = 0
    public var plugins: [Plugin] = []
    public var registry: Registry?

    public init(mode: String, replicas: Int, seed: UInt64, cadenceMillis: UInt64) {
        self.mode = mode
        self.replicas = replicas
        self.seed = seed
        self.cadenceMillis = cadenceMillis
    }

    /// 0: converged, every expectation met (mismatches count only when `strict`); 1: divergence or a
    /// replica failure; 2: transaction expectation mismatches in strict mode; 3: scenario checks failed.
    public func exitCode(strict: Bool) -> Int32 {
        if divergence != nil || !failures.isEmpty || !converged || verification.failed > 0 { return 1 }
        if let scenario, scenario.failed > 0 { return 3 }
        if strict && expectationMismatches > 0 { return 2 }
        return 0
    }

    /// The report as pretty-printed JSON.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
