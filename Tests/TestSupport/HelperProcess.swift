import Foundation

/// A child process of the package's own executables (e.g. `registry-testkit`), started by a test,
/// with its standard output read line by line. The test stops it (or kills it) itself.
public final class HelperProcess: @unchecked Sendable {
    private let process = Process()
    private let output = Pipe()
    private let lock = NSLock()
    private var buffer: [UInt8] = []
    private var lines: [String] = []
    private var finishedReading = false

    /// The directory holding the package's built executables: the one of the running test bundle.
    public static var executablesDirectory: String {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (me as NSString).deletingLastPathComponent
    }

    /// Starts `executable` (a name in `executablesDirectory`) with `arguments`.
    public init(_ executable: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: HelperProcess.executablesDirectory + "/" + executable)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            self?.append(data)
        }
        try process.run()
    }

    private func append(_ data: Data) {
        lock.lock(); defer { lock.unlock() }
        if data.isEmpty { finishedReading = true; return }
        buffer.append(contentsOf: data)
        while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(String(decoding: buffer[..<newline], as: UTF8.self))
            buffer.removeSubrange(...newline)
        }
    }

    /// The complete lines printed so far.
    public var outputLines: [String] {
        lock.lock(); defer { lock.unlock() }
        return lines
    }

    /// Waits (polling) until `predicate` holds for the lines printed so far, or `timeout` seconds pass.
    @discardableResult
    public func waitForLines(timeout: Double, _ predicate: ([String]) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if predicate(outputLines) { return true }
            if !process.isRunning && predicate(outputLines) == false && finishedAndDrained { return predicate(outputLines) }
            usleep(2_000)
        }
        return predicate(outputLines)
    }

    private var finishedAndDrained: Bool {
        lock.lock(); defer { lock.unlock() }
        return finishedReading
    }

    /// Sends SIGKILL and reaps the process.
    public func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        drain()
    }

    /// After the process has exited: reads what is left in the pipe synchronously and keeps a final
    /// line that has no newline, so no output is lost.
    private func drain() {
        output.fileHandleForReading.readabilityHandler = nil
        usleep(20_000)  // let a handler call already under way finish first
        // Non-blocking reads: a grandchild that inherited the pipe must not make this wait forever.
        let fd = output.fileHandleForReading.fileDescriptor
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var rest: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            rest.append(contentsOf: chunk[0..<count])
        }
        lock.lock(); defer { lock.unlock() }
        if !rest.isEmpty {
            buffer.append(contentsOf: rest)
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                lines.append(String(decoding: buffer[..<newline], as: UTF8.self))
                buffer.removeSubrange(...newline)
            }
        }
        if !buffer.isEmpty {
            lines.append(String(decoding: buffer, as: UTF8.self))
            buffer.removeAll()
        }
        finishedReading = true
    }

    /// Waits for the process to exit by itself (at most `timeout` seconds, then kills it) and returns
    /// its exit status.
    @discardableResult
    public func waitForExit(timeout: Double) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning { kill() }
        process.waitUntilExit()
        drain()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        output.fileHandleForReading.readabilityHandler = nil
    }
}
