import ArgumentParser
import Dispatch
import Foundation
import RegistryNode

/// `ai-registry audit tail`: the last records of the audit log across its rotated files, optionally
/// filtered by kind and time, then (with `--follow`) new records as they are written, across
/// rotations, until SIGINT/SIGTERM (exit 0). Records go to stdout (readable or `--json` raw lines);
/// lines that are not records are reported on stderr with file and line number and skipped.
struct AuditTailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Print the last audit records (and follow new ones).",
        discussion: """
            The file is --file, else audit.path of --config, else <data dir>/audit.log (--data-dir, else the \
            configuration's data_dir). Readable lines are `<time> <kind> <endpoint> <client>: <detail>`.
            """
    )

    @Option(name: .long, help: "A JSON configuration file (as for `run`): its audit.path / data_dir locate the log.")
    var config: String?

    @Option(name: .long, help: "The plugin's data directory (the log is <data-dir>/audit.log unless audit.path is set).")
    var dataDir: String?

    @Option(name: .long, help: "The audit file itself (its rotated files are <file>.1 … <file>.N).")
    var file: String?

    @Option(name: .short, help: "How many records to print (default 10; every matching record with --since).")
    var n: Int?

    @Option(name: .long, help: "Only records of this kind (repeatable): \(AuditKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var kind: [String] = []

    @Option(name: .long, help: "Only records at or after this ISO 8601 time (e.g. 2025-01-31T12:00:00Z, 2025-01-31).")
    var since: String?

    @Flag(name: .long, help: "Keep printing new records as they are written (survives rotation); stop with Ctrl-C.")
    var follow = false

    @Flag(name: .long, help: "Print the raw JSON lines instead of the readable format.")
    var json = false

    @Option(name: .long, help: "Seconds between checks for new records with --follow.")
    var interval: Double = 0.2

    func validate() throws {
        if let n, n < 0 { throw ValidationError("-n must be 0 or positive (got \(n))") }
        for name in kind where AuditKind(rawValue: name) == nil {
            throw ValidationError("--kind \(name): unknown kind (one of \(AuditKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        if let since, AuditTime.millis(since) == nil {
            throw ValidationError("--since \(since): not an ISO 8601 time (e.g. 2025-01-31T12:00:00Z)")
        }
        if file != nil, dataDir != nil || config != nil {
            throw ValidationError("--file names the log itself: do not combine it with --data-dir or --config")
        }
        guard interval > 0, interval <= 60 else { throw ValidationError("--interval must be in (0, 60] seconds") }
    }

    func run() throws {
        let path = try auditPath()
        let filter = AuditFilter(kinds: kind.compactMap(AuditKind.init(rawValue:)), sinceMillis: since.flatMap(AuditTime.millis))
        let reader = AuditLogReader(path: path)
        if !follow, reader.files().isEmpty {
            throw RunFailure("no audit log at \(path)")
        }
        let count = n ?? (since == nil ? 10 : Int.max)
        let initial = reader.last(count, matching: filter)
        emit(initial)
        guard follow else { return }
        let stop = TerminationWatch()
        var follower = AuditLogFollower(reader: reader, filter: filter, from: initial.resume)
        while !stop.wait(seconds: interval) {
            emit(follower.poll())
        }
    }

    /// The audit file: `--file`, else the configuration's (with `--data-dir` overriding `data_dir`).
    func auditPath() throws -> String {
        if let file { return file }
        var configuration: NodeConfiguration
        do {
            configuration = try config.map { (path: String) throws(ConfigurationError) in try NodeConfiguration.load(path: path) }
                ?? NodeConfiguration.defaults
        } catch {
            throw RunFailure("invalid configuration: \(error)")
        }
        if let dataDir { configuration.dataDirectory = dataDir }
        guard let path = configuration.auditLogPath else {
            throw RunFailure("the audit log is disabled in the configuration (audit.enabled = false)")
        }
        return path
    }

    /// Records on stdout, problems on stderr.
    func emit(_ result: AuditReadResult) {
        for problem in result.problems {
            FileHandle.standardError.write(Data("audit tail: \(problem)\n".utf8))
        }
        guard !result.records.isEmpty else { return }
        var out = ""
        for record in result.records { out += (json ? record.line : record.readable) + "\n" }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}

/// SIGINT/SIGTERM turned into a flag the follow loop waits on (dispatch signal sources).
final class TerminationWatch: @unchecked Sendable {
    // @unchecked: the semaphore is thread-safe; the sources are only touched in init/deinit.
    private let received = DispatchSemaphore(value: 0)
    private var sources: [DispatchSourceSignal] = []

    init() {
        let queue = DispatchQueue(label: "ai-registry.audit-tail.signals")
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [received] in received.signal() }
            source.resume()
            sources.append(source)
        }
    }

    /// Waits up to `seconds`; true once a signal arrived.
    func wait(seconds: Double) -> Bool {
        received.wait(timeout: .now() + .milliseconds(Int(seconds * 1000))) == .success
    }

    deinit { for source in sources { source.cancel() } }
}
