import ArgumentParser
import Foundation
import RegistryCore
import RoundDriverKit
import Synchronization

/// Set by SIGINT/SIGTERM: the driver finishes the current round, stops the plugins and reports.
let stopRequested = Atomic<Bool>(false)

/// Options every subcommand takes.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "The ai-registry executable (default: the one next to round-driver).")
    var plugin: String?

    @Option(name: .long, help: "Plugin replicas to start.")
    var replicas: Int?

    @Option(name: .customLong("data-dir"), help: "A replica's data directory (repeat once per replica; default: temporary directories).")
    var dataDirectories: [String] = []

    @Option(name: .long, help: "Where the temporary data directories go (kept afterwards).")
    var workDir: String?

    @Flag(name: .long, help: "Keep the temporary data directories.")
    var keepData = false

    @Flag(name: .long, help: "Delete the given --data-dir directories first.")
    var wipe = false

    @Option(name: .long, help: "Milliseconds between round starts (0: back to back).")
    var cadenceMs: UInt64?

    @Option(name: .long, help: "The seed of the workload and of fault placement.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Verify random keys with proofs on every replica every N rounds (0: never).")
    var verifyEvery: UInt64?

    @Option(name: .long, help: "Keys read per replica per verification.")
    var verifyKeys: Int = 6

    @Option(name: .long, help: "Print a summary line every N rounds (0: only rounds with faults or notes).")
    var printEvery: UInt64?

    @Option(name: .long, help: "LMDB durability of the plugins: full, noMetaSync or noSync.")
    var syncMode: String?

    @Option(name: .long, help: "An extra argument for `ai-registry run` (repeatable).")
    var pluginArg: [String] = []

    @Option(name: .long, help: "Seconds a reply may take.")
    var timeout: Int = 30

    @Option(name: .long, help: "The final report: text or json.")
    var report: String = "text"

    @Option(name: .long, help: "Also write the JSON report to this file.")
    var reportFile: String?

    /// The ai-registry executable next to this one.
    static var defaultPlugin: String {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (me as NSString).deletingLastPathComponent + "/ai-registry"
    }

    func validate() throws {
        guard ["text", "json"].contains(report) else { throw ValidationError("--report must be text or json") }
        if let replicas, replicas < 1 || replicas > 16 { throw ValidationError("--replicas must be between 1 and 16") }
        if timeout < 1 { throw ValidationError("--timeout must be at least 1 second") }
    }

    /// Driver options with these flags applied over the subcommand's defaults.
    func driverOptions(replicas defaultReplicas: Int, cadence defaultCadence: UInt64, verifyEvery defaultVerify: UInt64,
                       printEvery defaultPrint: UInt64) throws -> DriverOptions {
        let pluginPath = plugin ?? Self.defaultPlugin
        guard FileManager.default.isExecutableFile(atPath: pluginPath) else {
            throw ValidationError("no ai-registry executable at \(pluginPath) (build it: swift build --product ai-registry, or pass --plugin)")
        }
        var options = DriverOptions(pluginPath: pluginPath)
        options.replicas = replicas ?? (dataDirectories.isEmpty ? defaultReplicas : dataDirectories.count)
        options.dataDirectories = dataDirectories.map { (Self.absolute($0) as NSString).standardizingPath }
        options.workDirectory = workDir.map(Self.absolute)
        options.keepData = keepData || workDir != nil
        options.wipeData = wipe
        options.cadenceMillis = cadenceMs ?? defaultCadence
        options.seed = seed
        options.verifyEvery = verifyEvery ?? defaultVerify
        options.verifyKeys = verifyKeys
        options.printEvery = printEvery ?? defaultPrint
        options.replyTimeout = .seconds(timeout)
        options.pluginArguments = pluginArg + (syncMode.map { ["--sync-mode", $0] } ?? [])
        return options
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// Installs the SIGINT/SIGTERM handlers.
    static func installSignalHandlers() {
        signal(SIGINT) { _ in stopRequested.store(true, ordering: .relaxed) }
        signal(SIGTERM) { _ in stopRequested.store(true, ordering: .relaxed) }
        signal(SIGPIPE, SIG_IGN)
    }

    /// Runs a driver, prints the final report, exits with its code.
    func execute(_ driver: RoundDriver, strict: Bool) throws -> Never {
        let report = driver.run()
        if self.report == "json" {
            print(report.json())
        } else {
            print(ReportText.render(report))
        }
        if let reportFile {
            _ = FileManager.default.createFile(atPath: reportFile, contents: Data(report.json().utf8))
        }
        fflush(nil)
        let code = report.exitCode(strict: strict)
        if code == 0 { Foundation.exit(0) }
        throw ExitCode(code)
    }
}

/// Unbuffered line output for the driver.
func emitLine(_ line: String) {
    print(line)
    fflush(nil)
}

/// Fault flags (run and scenario).
struct FaultFlags: ParsableArguments {
    @Option(name: .long, help: "SIGKILL + restart a replica at this many seeded random rounds.")
    var crashes: Int = 0

    @Option(name: .long, help: "Re-send a committed round this many times (expects replayed=true, identical).")
    var duplicates: Int = 0

    @Option(name: .long, help: "Send round R+1 before R this many times (expects ROUND_GAP).")
    var outOfOrder: Int = 0

    @Option(name: .long, help: "SIGSTOP a replica this many times.")
    var slow: Int = 0

    @Option(name: .long, help: "Rounds a SIGSTOPped replica stays stopped.")
    var slowRounds: Int = 3

    var options: FaultOptions {
        FaultOptions(crashes: max(crashes, 0), duplicates: max(duplicates, 0), outOfOrder: max(outOfOrder, 0), slow: max(slow, 0),
                     slowRounds: max(slowRounds, 1))
    }
}
