import ArgumentParser
import Foundation
import RegistryWorkload
import RoundDriverKit

/// `round-driver run`: a seeded workload over N replicas with faults and verification.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Drive replicas through a seeded workload (with faults, proofs and convergence checks)."
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var faults: FaultFlags

    @Option(name: .long, help: "Rounds to drive.")
    var rounds: UInt64 = 100

    @Option(name: .long, help: "Transactions per round.")
    var txsPerRound: Int = 50

    @Option(name: .long, help: "Share of transactions built to fail, per mille.")
    var invalidPermille: UInt32 = 150

    @Flag(name: .long, help: "Exit 2 when a transaction's result code differs from the workload's expectation.")
    var strict = false

    @Option(name: .long, help: "Self-test of the divergence report: the reference alone gets an extra deposit in this round.")
    var injectDivergence: UInt64?

    func run() throws {
        CommonOptions.installSignalHandlers()
        guard rounds >= 1, txsPerRound >= 0, invalidPermille <= 1000 else {
            throw ValidationError("--rounds must be ≥ 1, --txs-per-round ≥ 0, --invalid-permille ≤ 1000")
        }
        var options = try common.driverOptions(replicas: 3, cadence: 200, verifyEvery: 10, printEvery: 1)
        options.faults = faults.options
        options.strict = strict
        options.injectDivergenceAt = injectDivergence
        var configuration = WorkloadConfiguration.standard
        configuration.transactionsPerRound = txsPerRound
        configuration.invalidPerMille = invalidPermille
        configuration.roundMillis = options.clockStepMillis
        let source = WorkloadSource(seed: options.seed, configuration: configuration, rounds: rounds)
        let driver = try RoundDriver(options: options, source: source, mode: "run", output: emitLine,
                                     shouldStop: { stopRequested.load(ordering: .relaxed) })
        try common.execute(driver, strict: strict)
    }
}

/// `round-driver scenario FILE`: one scenario, pass/fail per expectation.
struct ScenarioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario",
        abstract: "Run a scenario file (Integration/scenarios/*.json) and report pass/fail per expectation."
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var faults: FaultFlags

    @Argument(help: "The scenario file.")
    var file: String

    @Flag(name: .long, help: "Run the scenario on the in-process reference only (no plugin) and report its checks.")
    var dryRun = false

    func run() throws {
        CommonOptions.installSignalHandlers()
        let scenario: Scenario
        do { scenario = try ScenarioParser.load(path: file) } catch {
            throw ValidationError("\(file): \(error)")
        }
        if dryRun { try Self.dryRun(scenario) }
        var options = try common.driverOptions(replicas: 1, cadence: 20, verifyEvery: 5, printEvery: 1)
        options.faults = faults.options
        let source = ScenarioSource(scenario: scenario, parameters: try ScenarioSource.parameters(of: scenario))
        let driver = try RoundDriver(options: options, source: source, mode: "scenario", output: emitLine,
                                     shouldStop: { stopRequested.load(ordering: .relaxed) })
        driver.recordScenario(named: scenario.name)
        emitLine("scenario \(scenario.name): \(scenario.description) (\(scenario.length) rounds, \(scenario.expectationCount) expectations)")
        try common.execute(driver, strict: true)
    }

    /// The scenario on the reference alone: every failed transaction expectation and check, then exit.
    static func dryRun(_ scenario: Scenario) throws -> Never {
        var source = ScenarioSource(scenario: scenario, parameters: try ScenarioSource.parameters(of: scenario))
        let result = try ReferenceDryRun.run(&source)
        for failure in result.transactionFailures { emitLine("MISMATCH \(failure)") }
        for failure in result.failedChecks { emitLine("CHECK FAILED \(failure)") }
        let failed = result.transactionFailures.count + result.failedChecks.count
        emitLine("dry run of \(scenario.name) on the reference: \(result.rounds) rounds, \(scenario.expectationCount - failed) of \(scenario.expectationCount) expectations met, root \(result.root)")
        if failed == 0 { Foundation.exit(0) }
        throw ExitCode(3)
    }
}
