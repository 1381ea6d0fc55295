import ArgumentParser
import Foundation
import RegistryWorkload
import RoundDriverKit

/// `round-driver demo` (`make demo`): one plugin on `./data/demo` (wiped first, so the demo is
/// repeatable), a short seeded workload, then the model-lifecycle scenario on the same chain; a line
/// per round and a final report; the plugin is stopped with SIGTERM and must exit 0.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "One plugin on ./data/demo (wiped first): a short workload, then the model-lifecycle scenario."
    )

    @Option(name: .long, help: "The ai-registry executable (default: the one next to round-driver).")
    var plugin: String?

    @Option(name: .long, help: "The data directory (wiped at start).")
    var dataDir: String = "./data/demo"

    @Option(name: .long, help: "The scenario run after the workload.")
    var scenario: String = "Integration/scenarios/model-lifecycle.json"

    @Option(name: .long, help: "Workload rounds before the scenario.")
    var workloadRounds: UInt64 = 30

    @Option(name: .long, help: "Transactions per workload round.")
    var txsPerRound: Int = 40

    @Option(name: .long, help: "Milliseconds between rounds.")
    var cadenceMs: UInt64 = 100

    @Option(name: .long, help: "The workload seed.")
    var seed: UInt64 = 7

    func run() throws {
        CommonOptions.installSignalHandlers()
        let scenarioPath = Self.locate(scenario)
        let script: Scenario
        do { script = try ScenarioParser.load(path: scenarioPath) } catch { throw ValidationError("\(scenarioPath): \(error)") }
        var common = try CommonOptions.parse(["--replicas", "1", "--data-dir", dataDir, "--wipe", "--cadence-ms", String(cadenceMs),
                                              "--seed", String(seed), "--verify-every", "10", "--print-every", "1"]
                                             + (plugin.map { ["--plugin", $0] } ?? []))
        common.report = "text"
        let options = try common.driverOptions(replicas: 1, cadence: cadenceMs, verifyEvery: 10, printEvery: 1)
        let source = try DemoPlan.source(scenario: script, seed: seed, workloadRounds: workloadRounds, transactionsPerRound: txsPerRound,
                                         roundMillis: options.clockStepMillis)
        emitLine("demo: wiping \(options.dataDirectories[0]) so the demo is repeatable; one ai-registry plugin (\(options.pluginPath))")
        emitLine("demo: rounds 1–\(workloadRounds): seeded workload (\(txsPerRound) txs/round, 15% built to fail; proposals are voted and tallied, never executed); rounds \(workloadRounds + 1)–\(source.length): scenario \(script.name): \(script.description)")
        let driver = try RoundDriver(options: options, source: source, mode: "demo", output: emitLine,
                                     shouldStop: { stopRequested.load(ordering: .relaxed) })
        driver.recordScenario(named: script.name)
        try common.execute(driver, strict: true)
    }

    /// `path` as given, or relative to the package root above the executable (.build/<config>/round-driver).
    static func locate(_ path: String) -> String {
        if path.hasPrefix("/") || FileManager.default.fileExists(atPath: path) { return path }
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = (me as NSString).deletingLastPathComponent
        for _ in 0..<4 {
            directory = (directory as NSString).deletingLastPathComponent
            let candidate = directory + "/" + path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        return path
    }
}
