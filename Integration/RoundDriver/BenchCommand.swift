import ArgumentParser
import Foundation
import RegistryWorkload
import RoundDriverKit

/// `round-driver bench`: sustained rounds at a cadence; throughput, round latency, plugin CPU and memory.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Sustained rounds: transactions per second, round latency p50/p99/max, plugin CPU time and memory.",
        discussion: "Every round is generated and executed on the in-process reference before the timed loop starts."
    )

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: "Rounds to drive.")
    var rounds: UInt64 = 100

    @Option(name: .long, help: "Transactions per round.")
    var txsPerRound: Int = 1000

    @Option(name: .long, help: "Share of transactions built to fail, per mille.")
    var invalidPermille: UInt32 = 20

    func run() throws {
        CommonOptions.installSignalHandlers()
        guard rounds >= 1, txsPerRound >= 0 else { throw ValidationError("--rounds must be ≥ 1 and --txs-per-round ≥ 0") }
        var options = try common.driverOptions(replicas: 1, cadence: 200, verifyEvery: 0, printEvery: max(rounds / 10, 1))
        options.planAhead = true
        var configuration = WorkloadConfiguration.benchmark(transactionsPerRound: txsPerRound)
        configuration.invalidPerMille = invalidPermille
        configuration.roundMillis = options.clockStepMillis
        let source = WorkloadSource(seed: options.seed, configuration: configuration, rounds: rounds)
        let driver = try RoundDriver(options: options, source: source, mode: "bench", output: emitLine,
                                     shouldStop: { stopRequested.load(ordering: .relaxed) })
        try common.execute(driver, strict: false)
    }
}
