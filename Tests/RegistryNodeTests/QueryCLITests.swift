import Foundation
import RegistryCore
import Sodium
import StateStore
import TestSupport
import Testing
import Wire
@testable import RegistryNode

struct CLIOutputError: Error {}

/// `ai-registry token`, `ai-registry query` and `ai-registry inspect` run as processes.
@Suite(.serialized)
struct QueryCLITests {
    /// Runs `ai-registry` with `arguments`; returns the exit status and standard output.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        // Foundation's Process with a blocking read to end of file: the whole output, however long.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: HelperProcess.executablesDirectory + "/ai-registry")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var output = String(decoding: data, as: UTF8.self)
        while output.hasSuffix("\n") { output.removeLast() }
        return (process.terminationStatus, output)
    }

    /// Runs and parses the JSON object printed.
    static func json(_ arguments: [String], status expected: Int32 = 0) throws -> [String: Any] {
        let (status, output) = try run(arguments)
        #expect(status == expected, "ai-registry \(arguments.joined(separator: " ")): \(output)")
        guard let object = try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] else {
            Issue.record("ai-registry \(arguments.joined(separator: " ")) printed no JSON object (status \(status)): [\(output)]")
            throw CLIOutputError()
        }
        return object
    }

    @Test func tokenKeygenIssueAndInspect() throws {
        let directory = TemporaryDirectory(prefix: "cli-token")
        let keyFile = directory.file("token.key")
        let created = try Self.json(["token", "keygen", "--out", keyFile, "--key-id", "ops"])
        #expect(created["key_id"] as? String == "ops")
        let attributes = try FileManager.default.attributesOfItem(atPath: keyFile)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try Self.run(["token", "keygen", "--out", keyFile]).status != 0)  // never overwritten silently

        let (status, output) = try Self.run(["token", "issue", "--key-file", keyFile, "--subject", "dash", "--scopes", "read,stats", "--ttl", "2h"])
        #expect(status == 0)
        let key = try QueryTokenKey.load(path: keyFile)
        let token = try QueryTokenVerifier(keys: [key]).verify(output, now: UInt64(Date().timeIntervalSince1970)).get()
        #expect(token.subject == "dash" && token.scopes == QueryScope.Set([.read, .stats]))
        #expect(token.expiresAt - token.issuedAt == 7200)

        let inspected = try Self.json(["token", "inspect", output, "--key-file", keyFile])
        #expect(inspected["verified"] as? Bool == true)
        #expect(inspected["subject"] as? String == "dash")
        #expect(try Self.run(["token", "issue", "--key-file", keyFile, "--subject", "x", "--scopes", "root"]).status != 0)
    }

    @Test func inspectReadsTheDataDirectoryWithVerifiedProofs() throws {
        let fixture = try QueryFixture(rounds: 5, transactionsPerRound: 30)
        let dir = fixture.directory.path
        let roots = try Self.json(["inspect", "roots", "--data-dir", dir])
        let list = try #require((roots["get_roots"] as? [String: Any])?["roots"] as? [[String: Any]])
        #expect(list.count == 6)
        #expect(list.last?["root"] as? String == fixture.roots[5]?.hex)

        let key = Hex.encode(StateKey.parameters)
        let got = try Self.json(["inspect", "get", key, "--round", "2", "--data-dir", dir])
        #expect(got["verified"] as? Bool == true)
        let reply = try #require(got["get_key"] as? [String: Any])
        #expect((reply["proof"] as? [String: Any])?["root"] as? String == fixture.roots[2]?.hex)

        let model = try #require(try fixture.allModels().first)
        let shown = try Self.json(["inspect", "model", model.id.raw.hex, "--data-dir", dir])
        #expect(shown["verified"] as? Bool == true)
        #expect(((shown["get_model"] as? [String: Any])?["model"] as? [String: Any])?["name"] as? String == model.name)

        let round = try Self.json(["inspect", "round", "3", "--data-dir", dir])
        let result = try #require((round["get_round_result"] as? [String: Any])?["round_result"] as? [String: Any])
        #expect(result["root"] as? String == fixture.roots[3]?.hex)
        #expect((result["results"] as? [Any])?.count == fixture.transactionCounts[3])

        let stats = try Self.json(["inspect", "stats", "--data-dir", dir])
        #expect((stats["get_statistics"] as? [String: Any])?["round"] as? Int == 5)

        let missing = try Self.json(["inspect", "round", "99", "--data-dir", dir], status: 2)
        #expect((missing["error"] as? [String: Any])?["code"] as? String == "NOT_FOUND")
    }

    @Test func queryPrintsJSONAndVerifiesProofs() throws {
        let fixture = try QueryFixture(rounds: 5, transactionsPerRound: 30)
        let running = try RunningQueryServer(fixture)
        let endpoint = ["--endpoint", running.server.boundEndpoint]
        let model = try #require(try fixture.allModels().first)
        let got = try Self.json(["query", "get-model", "--id", model.id.raw.hex, "--prove"] + endpoint)
        #expect(got["verified"] as? Bool == true)
        #expect(((got["get_model"] as? [String: Any])?["model"] as? [String: Any])?["id"] as? String == model.id.raw.hex)

        let old = try Self.json(["query", "get-model", "--name", model.name, "--model-version", model.version, "--round", "\(model.registeredAt)", "--prove"] + endpoint)
        #expect(old["verified"] as? Bool == true)

        // An absent key with a proof of absence.
        let absent = try Self.json(["query", "get-key", "02" + String(repeating: "ee", count: 32), "--prove"] + endpoint)
        #expect(absent["verified"] as? Bool == true)
        #expect((absent["get_key"] as? [String: Any])?["found"] as? Bool == false)

        let page = try Self.json(["query", "list-models", "--limit", "2"] + endpoint)
        #expect(((page["list_models"] as? [String: Any])?["models"] as? [Any])?.count == 2)
        for command in [["params", "--prove"], ["roots"], ["round", "2"], ["stats"], ["schedule"], ["list-proposals"]] {
            let reply = try Self.json(["query"] + command + endpoint)
            #expect(reply["error"] == nil, "\(command)")
        }

        let error = try Self.json(["query", "list-models", "--limit", "500"] + endpoint, status: 2)
        let body = try #require(error["error"] as? [String: Any])
        #expect(body["code"] as? String == "INVALID_ARGUMENT" && body["field"] as? String == "list_models.limit")
    }
}
