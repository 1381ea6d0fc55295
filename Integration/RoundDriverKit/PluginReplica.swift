import Foundation
import RegistryClient
import RegistryCore

/// One `ai-registry run` child process: its data directory, ipc endpoints, clients, and the driver's
/// bookkeeping (what it acknowledged, what is in flight). Started, SIGKILLed, SIGSTOPped and SIGCONTed
/// by the driver; stdout goes to `<dir>/plugin.stdout` (the readiness line is read from there), stderr
/// (the plugin's logs) is appended to `<dir>/plugin.stderr`.
public final class PluginReplica {
    /// Where the replica is in the driver's eyes.
    public enum Phase: String, Sendable {
        case running
        /// SIGSTOPped: rounds are sent without waiting; replies collected after SIGCONT.
        case stopped
        /// Killed and not restarted yet.
        case down
    }

    public let index: Int
    public let directory: String
    public let pluginPath: String
    public let extraArguments: [String]
    public private(set) var phase: Phase = .down
    public private(set) var consensus: ConsensusClient?
    public private(set) var query: QueryClient?
    public private(set) var endpoints: (consensus: String, query: String, events: String)
    /// The last round the replica answered (or reported through Info).
    public var acknowledged: Round = 0
    /// The highest round ever sent to the replica (a lower or equal one sent again is a replay).
    public var highestSent: Round = 0
    /// Requests sent and not answered yet, oldest first.
    public var inFlight: [(round: Round, requestID: UInt64)] = []
    /// Starts so far (1 after the first start).
    public private(set) var starts = 0
    private var process: Process?
    private let replyTimeout: Duration

    /// A replica in `directory` (created if missing). Its sockets live there too, unless the path is
    /// too long for an ipc endpoint (about 100 bytes): then in a short directory under /tmp.
    public init(index: Int, directory: String, pluginPath: String, extraArguments: [String], replyTimeout: Duration) throws {
        self.index = index
        self.directory = directory
        self.pluginPath = pluginPath
        self.extraArguments = extraArguments
        self.replyTimeout = replyTimeout
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var socketDirectory = directory
        if directory.utf8.count > 80 {
            socketDirectory = NSTemporaryDirectory() + "rd-\(getpid())-\(index)"
            try FileManager.default.createDirectory(atPath: socketDirectory, withIntermediateDirectories: true)
        }
        endpoints = ("ipc://\(socketDirectory)/consensus.ipc", "ipc://\(socketDirectory)/query.ipc", "ipc://\(socketDirectory)/events.ipc")
    }

    public var pid: Int32? { process.map { $0.processIdentifier } }
    public var isAlive: Bool { process?.isRunning ?? false }
    var stdoutPath: String { directory + "/plugin.stdout" }
    var stderrPath: String { directory + "/plugin.stderr" }
    var configPath: String { directory + "/round-driver.json" }

    /// The last 2 KiB of the plugin's stderr, for error messages.
    public var stderrTail: String {
        guard let data = FileManager.default.contents(atPath: stderrPath) else { return "" }
        return String(decoding: data.suffix(2048), as: UTF8.self)
    }

    /// Starts the process and waits (at most `timeout`) for its readiness line, then connects clients.
    public func start(timeout: Duration = .seconds(60)) throws {
        // The query rate limit is raised: the driver is one client reading many keys per round.
        let config = #"{"query": {"rate_limit": {"requests_per_second": 1000000, "burst": 1000000}}}"#
        _ = FileManager.default.createFile(atPath: configPath, contents: Data(config.utf8))
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        if !FileManager.default.fileExists(atPath: stderrPath) { _ = FileManager.default.createFile(atPath: stderrPath, contents: nil) }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        err.seekToEndOfFile()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: pluginPath)
        process.arguments = ["run", "--config", configPath, "--data-dir", directory, "--consensus", endpoints.consensus,
                             "--query", endpoints.query, "--events", endpoints.events] + extraArguments
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw DriverError.replica(index: index, "cannot start \(pluginPath): \(error)")
        }
        try? out.close()
        try? err.close()
        self.process = process
        starts += 1
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while !isReady() {
            if !process.isRunning {
                throw DriverError.replica(index: index, "ai-registry exited with status \(process.terminationStatus) before it was ready:\n\(stderrTail)")
            }
            if ContinuousClock.now > deadline {
                kill()
                throw DriverError.replica(index: index, "no readiness line within \(timeout):\n\(stderrTail)")
            }
            usleep(5_000)
        }
        do {
            consensus = try ConsensusClient(endpoint: endpoints.consensus, timeout: replyTimeout)
            query = try QueryClient(endpoint: endpoints.query, timeout: replyTimeout)
        } catch {
            throw DriverError.replica(index: index, "connect: \(error)")
        }
        inFlight = []
        phase = .running
    }

    private func isReady() -> Bool {
        guard let data = FileManager.default.contents(atPath: stdoutPath) else { return false }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").contains { $0.hasPrefix("ready ") }
    }

    /// SIGKILL, reap, close the clients.
    public func kill() {
        if let process, process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        closeClients()
        inFlight = []
        phase = .down
    }

    /// SIGSTOP: the process freezes mid-whatever; its socket keeps queueing requests.
    public func suspend() {
        if let process, process.isRunning { Foundation.kill(process.processIdentifier, SIGSTOP) }
        phase = .stopped
    }

    /// SIGCONT.
    public func resume() {
        if let process, process.isRunning { Foundation.kill(process.processIdentifier, SIGCONT) }
        phase = .running
    }

    /// SIGTERM and wait (at most `timeout`) for the exit status; nil if it had to be killed.
    public func terminate(timeout: Duration = .seconds(30)) -> Int32? {
        closeClients()
        guard let process else { return nil }
        guard process.isRunning else { phase = .down; return process.terminationStatus }
        if phase == .stopped { Foundation.kill(process.processIdentifier, SIGCONT) }
        Foundation.kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while process.isRunning && ContinuousClock.now < deadline { usleep(5_000) }
        phase = .down
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// CPU time and memory of the running process.
    public func statistics() -> ProcessStatistics? { pid.flatMap { ProcessStatistics.read(pid: $0) } }

    private func closeClients() {
        consensus?.close()
        query?.close()
        consensus = nil
        query = nil
    }

    deinit {
        if let process, process.isRunning {
            Foundation.kill(process.processIdentifier, SIGCONT)
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
