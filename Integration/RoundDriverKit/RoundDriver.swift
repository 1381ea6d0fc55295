import Foundation
import Histogram
import RegistryClient
import RegistryCore
import RegistryWorkload
import Sodium
import Wire

/// The simulated host node: starts plugin replicas, commits the genesis, then drives rounds from a
/// `RoundSource` at the configured cadence, sends each round to every replica over the real consensus
/// protocol, compares every reply with the in-process reference replica (same root, same results),
/// injects the planned faults, verifies random keys with proofs, evaluates scenario checks and
/// measures round latency.
///
/// Single-threaded: replicas are driven with pipelined requests (send to all, then collect), so a
/// stopped replica never blocks the others.
public final class RoundDriver {
    /// A planned round and what every replica must answer.
    struct Entry {
        let plan: PlannedRound
        let request: AiRegistry_V1_ApplyRoundRequest
        let expected: AiRegistry_V1_RoundResult
        let outcome: RoundOutcome
    }

    public let options: DriverOptions
    let emit: (String) -> Void
    let shouldStop: @Sendable () -> Bool
    var source: any RoundSource
    var reference: ReferenceReplica
    var replicas: [PluginReplica] = []
    /// Planned rounds still needed (for replays, duplicates, diffs); lookup only (D2 does not apply to
    /// the driver, but reports are kept in round order anyway).
    var entries: [Round: Entry] = [:]
    /// `roots[r]` is the reference root after round r (`roots[0]`: genesis).
    var roots: [Digest256]
    var plannedThrough: Round = 0
    let faultPlan: FaultPlan
    public internal(set) var report: DriverReport
    var latencies = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
    var busyMicros: UInt64 = 0
    var restartAt: [Int: Round] = [:]
    var resumeAt: [Int: Round] = [:]
    var pendingChecks: [(check: StateCheck, done: [Bool])] = []
    var createdWorkDirectory: String?
    var rng: SplitMix64
    /// What happened to replicas this round (printed with the summary).
    var roundNotes: [String] = []
    /// Set when the run must stop (divergence, replica failure).
    var halted = false
    let mode: String

    /// - Parameters:
    ///   - mode: the name in the report (`run`, `scenario`, `bench`, `demo`).
    ///   - output: receives every line the driver prints.
    ///   - shouldStop: polled between rounds (SIGINT/SIGTERM of the driver).
    public init(options: DriverOptions, source: any RoundSource, mode: String, output: @escaping (String) -> Void,
                shouldStop: @escaping @Sendable () -> Bool = { false }) throws {
        guard options.replicas >= 1 else { throw DriverError.options("--replicas must be at least 1") }
        guard options.dataDirectories.isEmpty || options.dataDirectories.count == options.replicas else {
            throw DriverError.options("give one --data-dir per replica (\(options.replicas)), or none")
        }
        self.options = options
        self.source = source
        self.mode = mode
        emit = output
        self.shouldStop = shouldStop
        do { reference = try ReferenceReplica(genesis: source.genesis) } catch { throw DriverError.reference("\(error)") }
        roots = [reference.root]
        rng = SplitMix64(seed: options.seed ^ 0xD21_7E5)
        let length = source.length
        faultPlan = try FaultPlan(options: options.faults, replicas: options.replicas, firstRound: 3,
                                  lastRound: length > 3 ? length - 1 : 0, seed: options.seed)
        report = DriverReport(mode: mode, replicas: options.replicas, seed: options.seed, cadenceMillis: options.cadenceMillis)
    }

    /// Runs everything and returns the report (also when the run failed: see `report.failures`).
    public func run() -> DriverReport {
        do {
            try setUp()
            try driveRounds()
            if !halted { try finish() }
        } catch {
            report.failures.append("\(error)")
            emit("FAILED: \(error)")
        }
        tearDown()
        return report
    }

    // MARK: Set-up

    func setUp() throws {
        let base: String
        if let work = options.workDirectory {
            base = work
        } else {
            base = NSTemporaryDirectory() + "round-driver-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            createdWorkDirectory = base
        }
        var arguments = ["--log-level", "warning", "--no-metrics"] + options.pluginArguments
        if options.pluginArguments.contains(where: { $0.hasPrefix("--metrics") }) { arguments.removeAll { $0 == "--no-metrics" } }
        for index in 0..<options.replicas {
            let directory = options.dataDirectories.isEmpty ? "\(base)/replica-\(index)" : options.dataDirectories[index]
            if options.wipeData || createdWorkDirectory != nil { try? FileManager.default.removeItem(atPath: directory) }
            let replica = try PluginReplica(index: index, directory: directory, pluginPath: options.pluginPath, extraArguments: arguments,
                                            replyTimeout: options.replyTimeout)
            replicas.append(replica)
        }
        for replica in replicas {
            try replica.start()
            try initChain(replica)
        }
        let where_ = options.dataDirectories.isEmpty ? base : options.dataDirectories.joined(separator: ", ")
        emit("genesis: chain \(reference.genesis.chainID), \(reference.genesis.stakes.count) stakers, \(reference.genesis.balances.count) funded accounts, root \(short(roots[0])); \(replicas.count) replica(s) in \(where_)")
        if !faultPlan.faults.isEmpty {
            emit("faults: " + faultPlan.faults.map { "round \($0.round): \($0.fault)" }.joined(separator: "; "))
        }
    }

    func initChain(_ replica: PluginReplica) throws {
        guard let consensus = replica.consensus else { throw DriverError.replica(index: replica.index, "not connected") }
        let info = try consensus.info()
        if info.initialized {
            guard info.chainID == reference.genesis.chainID, info.lastRound == 0, Digest256(bytes: info.lastRoot) == roots[0] else {
                throw DriverError.replica(index: replica.index,
                                          "\(replica.directory) already holds chain \(info.chainID) at round \(info.lastRound); use an empty data directory (or --wipe)")
            }
        } else {
            let reply = try consensus.initChain(genesis: reference.genesis, genesisRound: 0)
            guard Digest256(bytes: reply.root) == roots[0] else {
                throw DriverError.replica(index: replica.index,
                                          "genesis root \(KeyDescription.hex([UInt8](reply.root))) differs from the reference's \(roots[0].hex)")
            }
        }
        replica.acknowledged = 0
    }

    // MARK: Planning

    /// The round clock (D1: the only time the plugin sees).
    func timestamp(_ round: Round) -> UInt64 { options.genesisMillis + round * options.clockStepMillis }

    /// Plans and executes on the reference every round up to `round`.
    func ensurePlanned(_ round: Round) throws {
        while plannedThrough < round {
            let next = plannedThrough + 1
            let plan = try source.plan(round: next, timestampMillis: timestamp(next), reference: reference)
            let executed: (outcome: RoundOutcome, root: Digest256)
            var executedInput = plan.input
            if options.injectDivergenceAt == next, let account = reference.genesis.balances.first?.account ?? reference.genesis.stakes.first?.account {
                executedInput.hostUpdates.append(.deposit(account, 1))
            }
            do { executed = try reference.execute(executedInput) } catch { throw DriverError.reference("\(error)") }
            let checks = source.observe(executed.outcome, reference: reference)
            account(plan, executed.outcome)
            for check in checks {
                record(check.round, check.expectation.description, on: "reference", failure: check.referenceFailure)
                if check.key != nil { pendingChecks.append((check, Array(repeating: false, count: replicas.count))) }
            }
            entries[next] = Entry(plan: plan, request: CoreRequests.applyRound(plan.input),
                                  expected: AiRegistry_V1_RoundResult(executed.outcome, root: executed.root), outcome: executed.outcome)
            roots.append(executed.root)
            plannedThrough = next
        }
    }

    /// Counts the round's transactions and checks their codes against the plan.
    func account(_ plan: PlannedRound, _ outcome: RoundOutcome) {
        report.transactions += outcome.results.count
        for result in outcome.results { if result.code == .ok { report.accepted += 1 } else { report.rejected += 1 } }
        report.plannedInvalid += plan.transactions.reduce(0) { $0 + ($1.isInvalid ? 1 : 0) }
        let failures = plan.failures(in: outcome)
        report.expectationMismatches += failures.count
        for failure in failures.prefix(max(0, 20 - report.mismatchSamples.count)) {
            report.mismatchSamples.append(failure.description)
            emit("MISMATCH \(failure)")
        }
        if report.scenario != nil && plan.isScripted {
            for (index, planned) in plan.transactions.enumerated() where index < outcome.results.count {
                let failure = failures.first { $0.index == index }
                let what = planned.fee.map { "\(planned.expected), fee \($0)" } ?? planned.expected.description
                record(outcome.round, "tx \(index) \(planned.label) → \(what)", on: "reference", failure: failure?.actual)
            }
        }
    }

    /// Records a scenario check result.
    func record(_ round: Round, _ check: String, on: String, failure: String?) {
        guard report.scenario != nil else { return }
        report.scenario?.results.append(.init(round: round, check: check, on: on, passed: failure == nil, detail: failure ?? "ok"))
        if failure == nil { report.scenario?.passed += 1 } else {
            report.scenario?.failed += 1
            emit("CHECK FAILED round \(round) on \(on): \(check): found \(failure ?? "")")
        }
    }

    /// Marks this run as a scenario run (checks are recorded).
    public func recordScenario(named name: String) { report.scenario = DriverReport.Scenario(name: name) }

    // MARK: Rounds

    func driveRounds() throws {
        let total = source.length
        if options.planAhead {
            let started = ContinuousClock.now
            try ensurePlanned(total)
            emit("planned \(total) rounds (\(report.transactions) transactions) on the reference in \(seconds(ContinuousClock.now - started)) s")
        }
        let startStatistics = replicas.map { $0.statistics() }
        let loopStart = ContinuousClock.now
        var nextTick = loopStart
        let cadence = Duration.milliseconds(Int64(options.cadenceMillis))
        var round: Round = 0
        while round < total && !halted {
            if shouldStop() { emit("stop requested: finishing after round \(round)"); break }
            round += 1
            try ensurePlanned(round)
            roundNotes = []
            try beforeRound(round)
            let started = ContinuousClock.now
            for replica in replicas where replica.phase != .down { try send(replica, through: round) }
            try crashIfPlanned(round)
            for replica in replicas {
                if resumeAt[replica.index] == round { try resumeSlow(replica, round: round) }
                if replica.phase == .running { try collect(replica, through: round) }
                if halted { break }
            }
            let elapsed = ContinuousClock.now - started
            let micros = UInt64(max(0, elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000))
            _ = latencies.record(max(micros, 1))
            busyMicros += micros
            if options.cadenceMillis > 0 && elapsed > cadence { report.cadenceOverruns += 1 }
            report.roundsDriven = round
            if halted { break }
            try afterRound(round)
            if options.verifyEvery > 0 && round % options.verifyEvery == 0 { verify(round: round) }
            evaluateChecks()
            printSummary(round)
            prune()
            if options.cadenceMillis > 0 {
                nextTick = nextTick.advanced(by: cadence)
                let now = ContinuousClock.now
                if nextTick > now { sleep(until: nextTick) } else { nextTick = now }
            }
        }
        let wall = ContinuousClock.now - loopStart
        report.elapsedSeconds = seconds(wall)
        if report.elapsedSeconds > 0 { report.transactionsPerSecond = Double(transactionsThrough(report.roundsDriven)) / report.elapsedSeconds }
        if busyMicros > 0 { report.busyTransactionsPerSecond = Double(transactionsThrough(report.roundsDriven)) * 1_000_000 / Double(busyMicros) }
        if latencies.totalCount > 0 {
            report.latency = .init(samples: latencies.totalCount, p50Millis: Double(latencies.valueAtPercentile(50)) / 1000,
                                   p99Millis: Double(latencies.valueAtPercentile(99)) / 1000, maxMillis: Double(latencies.max) / 1000,
                                   meanMillis: latencies.mean / 1000)
        }
        report.plugins = replicas.enumerated().map { index, replica in
            let now = replica.statistics()
            let before = index < startStatistics.count ? startStatistics[index] : nil
            // A restarted replica's counters restarted too: report the current process's figures then.
            let cpu = (now?.cpuMillis ?? 0) - min(now?.cpuMillis ?? 0, replica.starts == 1 ? (before?.cpuMillis ?? 0) : 0)
            let percent = report.elapsedSeconds > 0 ? Double(cpu) / 10 / report.elapsedSeconds : 0
            return .init(replica: index, starts: replica.starts, cpuMillis: cpu, cpuPercent: percent,
                         residentKiB: now?.residentKiB ?? 0, peakResidentKiB: now?.peakResidentKiB ?? 0, exitStatus: nil)
        }
    }

    /// Transactions in rounds 1...round (planned rounds beyond it are not counted).
    func transactionsThrough(_ round: Round) -> Int {
        report.transactions - (round < plannedThrough
            ? ((round + 1)...plannedThrough).reduce(0) { $0 + (entries[$1]?.outcome.results.count ?? 0) } : 0)
    }

    func sleep(until deadline: ContinuousClock.Instant) {
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else { return }
        let micros = remaining.components.seconds * 1_000_000 + remaining.components.attoseconds / 1_000_000_000_000
        usleep(UInt32(clamping: micros))
    }

    func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    func short(_ digest: Digest256) -> String { String(digest.hex.prefix(12)) }

    /// Drops planned rounds no replica can need any more (keeps 64 behind the slowest replica).
    func prune() {
        let slowest = replicas.map(\.acknowledged).min() ?? plannedThrough
        guard slowest > 64 else { return }
        let cutoff = slowest - 64
        var round = cutoff
        while round > 0, entries.removeValue(forKey: round) != nil { round -= 1 }
    }
}
