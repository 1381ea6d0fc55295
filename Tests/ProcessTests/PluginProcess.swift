import Foundation
import TestSupport

/// The endpoints `ai-registry run` prints once everything is bound:
/// `ready consensus=<endpoint> query=<endpoint> events=<endpoint> metrics=<host:port>`.
struct ReadyLine: Equatable {
    var consensus: String
    var query: String
    var events: String
    /// `host:port`, or nil when the metrics server is off.
    var metrics: String?

    init?(_ line: String) {
        let words = line.split(separator: " ")
        guard words.first == "ready" else { return nil }
        var fields: [String: String] = [:]
        for word in words.dropFirst() {
            guard let equals = word.firstIndex(of: "=") else { continue }
            fields[String(word[..<equals])] = String(word[word.index(after: equals)...])
        }
        guard let consensus = fields["consensus"], let query = fields["query"], let events = fields["events"] else { return nil }
        self.consensus = consensus
        self.query = query
        self.events = events
        let metrics = fields["metrics"]
        self.metrics = (metrics?.contains(":") ?? false) ? metrics : nil
    }

    /// The metrics port, when the server is on.
    var metricsPort: Int? { metrics.flatMap { $0.split(separator: ":").last }.flatMap { Int($0) } }
}

enum PluginProcessError: Error, CustomStringConvertible {
    case notReady(seconds: Double, output: [String], stderrTail: String)

    var description: String {
        switch self {
        case .notReady(let seconds, let output, let tail):
            return "ai-registry run printed no readiness line within \(seconds) s; stdout: \(output.suffix(5)); stderr tail:\n\(tail)"
        }
    }
}

/// `ai-registry run` as a child process of a test: started on a data directory with ipc endpoints in
/// that directory and an ephemeral metrics port, its stdout read line by line, its stderr appended to
/// `<data>/../plugin-stderr.log`. Killed when released.
final class PluginProcess: @unchecked Sendable {
    let process = Process()
    let dataDirectory: String
    let stderrPath: String
    private let output = Pipe()
    private let lock = NSLock()
    private var buffer: [UInt8] = []
    private var lines: [String] = []

    /// The endpoints of a plugin whose sockets live in `directory`.
    static func endpoints(in directory: String) -> (consensus: String, query: String, events: String) {
        ("ipc://\(directory)/consensus.sock", "ipc://\(directory)/query.sock", "ipc://\(directory)/events.sock")
    }

    /// Starts `ai-registry run` with its data in `directory + "/data"` and sockets in `directory`.
    init(directory: String, extraArguments: [String] = []) throws {
        dataDirectory = directory + "/data"
        stderrPath = directory + "/plugin-stderr.log"
        let endpoints = Self.endpoints(in: directory)
        process.executableURL = URL(fileURLWithPath: HelperProcess.executablesDirectory + "/ai-registry")
        process.arguments = ["run", "--data-dir", dataDirectory, "--consensus", endpoints.consensus, "--query", endpoints.query,
                             "--events", endpoints.events, "--metrics-port", "0"] + extraArguments
        process.standardOutput = output
        if !FileManager.default.fileExists(atPath: stderrPath) {
            _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        }
        let errorHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        errorHandle.seekToEndOfFile()
        process.standardError = errorHandle
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            self?.append(handle.availableData)
        }
        try process.run()
        try? errorHandle.close()
    }

    private func append(_ data: Data) {
        lock.lock(); defer { lock.unlock() }
        buffer.append(contentsOf: data)
        while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(String(decoding: buffer[..<newline], as: UTF8.self))
            buffer.removeSubrange(...newline)
        }
    }

    var outputLines: [String] {
        lock.lock(); defer { lock.unlock() }
        return lines
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// The last 4 KiB of the plugin's stderr (its logs), for failure messages.
    var stderrTail: String {
        guard let data = FileManager.default.contents(atPath: stderrPath) else { return "" }
        return String(decoding: data.suffix(4096), as: UTF8.self)
    }

    /// Waits (bounded) for the readiness line.
    func waitReady(timeout: Double = 30) throws -> ReadyLine {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let ready = outputLines.lazy.compactMap(ReadyLine.init).first { return ready }
            if !process.isRunning { break }
            usleep(5_000)
        }
        if let ready = outputLines.lazy.compactMap(ReadyLine.init).first { return ready }
        throw PluginProcessError.notReady(seconds: timeout, output: outputLines, stderrTail: stderrTail)
    }

    /// Sends `signal` (SIGTERM, SIGINT, SIGKILL).
    func signal(_ signal: Int32) {
        if process.isRunning { Foundation.kill(process.processIdentifier, signal) }
    }

    /// SIGKILL, then reap.
    func kill() {
        signal(SIGKILL)
        process.waitUntilExit()
    }

    /// Waits at most `timeout` seconds for the process to exit; returns its status, or nil if it is
    /// still running (then it is killed).
    func waitForExit(timeout: Double) -> (status: Int32, reason: Process.TerminationReason)? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning {
            kill()
            return nil
        }
        process.waitUntilExit()
        return (process.terminationStatus, process.terminationReason)
    }

    deinit {
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        output.fileHandleForReading.readabilityHandler = nil
    }
}
