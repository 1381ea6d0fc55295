import Foundation
import StateStore
import StateSync
import Testing
import TestSupport

/// `ai-registry snapshot export | list | import` as processes, over a store written directly.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: HelperProcess.executablesDirectory + "/ai-registry")))
struct SnapshotCommandTests {
    /// Runs `ai-registry` to completion; returns its exit status and output lines.
    static func run(_ arguments: [String]) throws -> (status: Int32, lines: [String]) {
        let process = try HelperProcess("ai-registry", arguments)
        let status = process.waitForExit(timeout: 120)
        return (status, process.outputLines)
    }

    static func object(_ line: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func exportListImportRoundTrip() throws {
        var source = try SnapshotTestStore()
        try source.commit(round: 7, puts: 200, seed: 7)
        try source.commit(round: 8, puts: 50, deletes: 20, seed: 8)
        let dataDir = source.directory.path + "/data"

        // Export an older round while the source store stays open in this process.
        let export = try Self.run(["snapshot", "export", "--data-dir", dataDir, "--round", "7", "--chunk-bytes", "4096"])
        #expect(export.status == 0)
        let summary = try Self.object(try #require(export.lines.last))
        let root = try #require(summary["root"] as? String)
        #expect(summary["round"] as? Int == 7)
        #expect(root == (try source.store.snapshot().rootHash(version: 7)).hex)
        #expect((summary["chunks"] as? Int ?? 0) > 1)
        #expect(summary["chain_id"] as? String == "test-chain")

        let list = try Self.run(["snapshot", "list", "--data-dir", dataDir])
        #expect(list.status == 0)
        #expect(list.lines.count == 1)
        #expect(try Self.object(list.lines[0])["id"] as? String == summary["id"] as? String)

        // A wrong trusted root is refused and leaves nothing behind.
        let wrong = String(repeating: "ab", count: 32)
        let refused = try Self.run(["snapshot", "import", "--from", dataDir + "/snapshots", "--round", "7",
                                    "--data-dir", source.target(), "--trusted-root", wrong])
        #expect(refused.status != 0)
        #expect(leftovers(beside: source.target()).isEmpty)

        let imported = try Self.run(["snapshot", "import", "--from", dataDir + "/snapshots", "--round", "7",
                                     "--data-dir", source.target(), "--trusted-root", root])
        #expect(imported.status == 0)
        let result = try Self.object(try #require(imported.lines.last))
        #expect(result["root"] as? String == root)
        #expect(result["trusted_root_checked"] as? Bool == true)
        #expect(try source.verifyImported(at: source.target(), round: 7) == nil)
    }
}
