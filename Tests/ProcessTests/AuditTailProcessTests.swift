import Foundation
import RegistryClient
import TestSupport
import Testing
import Wire

/// `ai-registry audit tail` (the real CLI) over the audit log of a real `ai-registry run`: a malformed
/// consensus frame and a query outside the anonymous scopes are refused, audited, and printed.
@Suite("ai-registry audit tail", .serialized)
struct AuditTailProcessTests {
    /// A finished CLI run: exit status and its whole stdout and stderr.
    struct CLIRun {
        var status: Int32
        var stdout: String
        var stderr: String
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    /// `ai-registry <arguments>` with stdout and stderr in files of `directory` (no pipe to fill).
    final class CLI {
        let process = Process()
        let stdoutPath: String
        let stderrPath: String

        init(_ arguments: [String], directory: String, name: String) throws {
            stdoutPath = directory + "/\(name).out"
            stderrPath = directory + "/\(name).err"
            for path in [stdoutPath, stderrPath] { _ = FileManager.default.createFile(atPath: path, contents: nil) }
            process.executableURL = URL(fileURLWithPath: HelperProcess.executablesDirectory + "/ai-registry")
            process.arguments = arguments
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
            try process.run()
        }

        var stdout: String { String(decoding: FileManager.default.contents(atPath: stdoutPath) ?? Data(), as: UTF8.self) }
        var stderr: String { String(decoding: FileManager.default.contents(atPath: stderrPath) ?? Data(), as: UTF8.self) }

        /// Waits (bounded) for the exit; kills after `timeout` seconds (status -1).
        func finish(timeout: Double = 30) -> CLIRun {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { usleep(5_000) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return CLIRun(status: -1, stdout: stdout, stderr: stderr)
            }
            process.waitUntilExit()
            return CLIRun(status: process.terminationStatus, stdout: stdout, stderr: stderr)
        }

        /// Waits (bounded) until stdout holds a line satisfying `predicate`.
        func waitForLine(timeout: Double = 20, _ predicate: (String) -> Bool) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            repeat {
                if stdout.split(separator: "\n").contains(where: { predicate(String($0)) }) { return true }
                usleep(10_000)
            } while Date() < deadline && process.isRunning
            return stdout.split(separator: "\n").contains(where: { predicate(String($0)) })
        }

        deinit {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
    }

    static func kind(of line: String) -> String? {
        ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?["kind"] as? String
    }

    /// A plugin whose anonymous query clients may only read (statistics need the `stats` scope).
    static func harness(_ directory: TemporaryDirectory) throws -> PluginHarness {
        let config = directory.file("read-only-anonymous.json")
        _ = FileManager.default.createFile(atPath: config, contents: Data(#"{"query": {"anonymous_scopes": ["read"]}}"#.utf8))
        return try PluginHarness(extraArguments: ["--config", config])
    }

    /// Sends one garbage consensus frame and one statistics query without the scope; both are refused.
    static func provokeRejections(_ harness: PluginHarness) throws {
        let raw = try ConsensusClient(endpoint: harness.ready.consensus, timeout: .seconds(10))
        defer { raw.close() }
        let reply = try #require(try raw.exchangeRaw([[0xFF, 0x13, 0x37, 0x00]], timeout: .seconds(10)))
        let response = try AiRegistry_V1_ConsensusResponse(serializedBytes: try #require(reply.first))
        #expect(response.error.code == .malformedRequest)
        let query = try harness.queryClient()
        defer { query.close() }
        #expect(throws: RegistryClientError.self) { _ = try query.getStatistics() }
    }

    @Test func tailPrintsTheRejectionsOfARunningPlugin() throws {
        let work = TemporaryDirectory(prefix: "audit-tail")
        let harness = try Self.harness(work)
        try Self.provokeRejections(harness)

        let run = try CLI(["audit", "tail", "--data-dir", harness.dataDirectory, "--json", "-n", "10"],
                          directory: work.path, name: "tail").finish()
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let kinds = run.lines.compactMap(Self.kind(of:))
        #expect(kinds.count == run.lines.count, "every line is a JSON record: \(run.stdout)")
        #expect(kinds.contains("malformedRequest"), "\(run.stdout)\nplugin: \(harness.logTail)")
        #expect(kinds.contains("unauthorized"), "\(run.stdout)\nplugin: \(harness.logTail)")

        // --kind filters; --config is read like `run` reads it; readable lines name the kind.
        let only = try CLI(["audit", "tail", "--config", work.file("read-only-anonymous.json"), "--data-dir", harness.dataDirectory,
                            "--kind", "unauthorized"], directory: work.path, name: "kind").finish()
        #expect(only.status == 0, "stderr: \(only.stderr)")
        #expect(!only.lines.isEmpty)
        #expect(only.lines.allSatisfy { $0.contains(" unauthorized query ") }, "\(only.stdout)")

        // A malformed line is reported on stderr with its file and line, and the records are still printed.
        let auditPath = harness.dataDirectory + "/audit.log"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: auditPath))
        handle.seekToEndOfFile()
        handle.write(Data("this is not a record\n".utf8))
        try handle.close()
        let lineCount = (String(decoding: try #require(FileManager.default.contents(atPath: auditPath)), as: UTF8.self))
            .split(separator: "\n").count
        let damaged = try CLI(["audit", "tail", "--file", auditPath, "--json", "-n", "10"], directory: work.path, name: "damaged").finish()
        #expect(damaged.status == 0)
        #expect(damaged.stderr.contains("\(auditPath):\(lineCount): not a JSON object"), "stderr: \(damaged.stderr)")
        #expect(damaged.lines.compactMap(Self.kind(of:)).contains("malformedRequest"))

        // Bad arguments are refused before reading.
        let badKind = try CLI(["audit", "tail", "--file", auditPath, "--kind", "nonsense"], directory: work.path, name: "bad").finish()
        #expect(badKind.status != 0)
        #expect(badKind.stderr.contains("unknown kind"))
    }

    @Test func followPrintsNewRecordsAndExitsZeroOnSIGINT() throws {
        let work = TemporaryDirectory(prefix: "audit-tail")
        let harness = try Self.harness(work)
        let follow = try CLI(["audit", "tail", "--data-dir", harness.dataDirectory, "--json", "-n", "10", "--follow", "--interval", "0.05"],
                             directory: work.path, name: "follow")
        // The first pair is printed by the initial tail or by following (whichever the CLI reaches first);
        // once it is printed the CLI is following, so the second pair can only come from following.
        try Self.provokeRejections(harness)
        #expect(follow.waitForLine { Self.kind(of: $0) == "unauthorized" }, "stdout: \(follow.stdout)\nstderr: \(follow.stderr)")
        try Self.provokeRejections(harness)
        let deadline = Date().addingTimeInterval(20)
        var kinds: [String] = []
        repeat {
            kinds = follow.stdout.split(separator: "\n").compactMap { Self.kind(of: String($0)) }
            if kinds.filter({ $0 == "unauthorized" }).count >= 2 && kinds.filter({ $0 == "malformedRequest" }).count >= 2 { break }
            usleep(10_000)
        } while Date() < deadline
        #expect(kinds.filter { $0 == "unauthorized" }.count == 2, "\(kinds)")
        #expect(kinds.filter { $0 == "malformedRequest" }.count == 2, "\(kinds)")
        kill(follow.process.processIdentifier, SIGINT)
        let run = follow.finish(timeout: 10)
        #expect(run.status == 0, "stderr: \(run.stderr)")
    }
}
