import Foundation
import RegistryClient
import RegistryCore
import Sodium
import StateSync
import TestSupport
import Testing
import Wire

/// State sync through the real processes (ADR 0022): a plugin with periodic snapshots, `ai-registry
/// snapshot fetch` from its query endpoint into a new data directory, and a second plugin started on
/// that directory.
@Suite("State sync over the query endpoint", .serialized)
struct StateSyncProcessTests {
    /// The exit status, stdout and stderr of one `ai-registry` command (bounded wait).
    struct CommandResult {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `ai-registry <arguments>` to completion (at most `timeout` seconds, then it is killed),
    /// its output captured in files of `directory`.
    static func runCLI(_ arguments: [String], in directory: String, timeout: Double = 120) throws -> CommandResult {
        let out = directory + "/cli-stdout-\(UInt32.random(in: 0...UInt32.max)).log"
        let err = out.replacingOccurrences(of: "stdout", with: "stderr")
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: HelperProcess.executablesDirectory + "/ai-registry")
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let text = { (path: String) in String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
        return CommandResult(status: process.terminationStatus, stdout: text(out), stderr: text(err))
    }

    /// Waits (bounded, polling the query endpoint) until the plugin offers snapshots satisfying `done`.
    static func waitForSnapshots(_ client: QueryClient, timeout: Double = 120,
                                 _ done: ([UInt64]) -> Bool) throws -> [AiRegistry_V1_SnapshotInfo] {
        let deadline = Date().addingTimeInterval(timeout)
        var offered: [AiRegistry_V1_SnapshotInfo] = []
        while Date() < deadline {
            offered = try client.listSnapshots()
            if done(offered.map(\.round)) { return offered }
            usleep(50_000)
        }
        Issue.record("snapshots offered after \(timeout) s: \(offered.map(\.round))")
        return offered
    }

    /// A configuration file with small chunks, so the snapshots have several.
    static func smallChunkConfiguration(in directory: String, chunkBytes: Int) throws -> String {
        let path = directory + "/snapshots-config.json"
        try Data(#"{"snapshots": {"chunk_bytes": \#(chunkBytes)}}"#.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The whole path: rounds 1…16 on a source plugin that snapshots every 8 rounds (keeping 2, small
    /// chunks); `snapshot fetch` of the newest (16) into a new directory with the trusted root; a plugin
    /// on it reports round 16 and its root via Info, serves the same values and proofs as the source,
    /// and applies rounds 17…24 to the same roots as the source and the in-process reference.
    @Test func aNewPluginStateSyncsFromAPeerAndContinues() throws {
        let reference = try ReferenceRun.make(
            seed: PluginProcessTests.seed, rounds: PluginProcessTests.rounds, transactions: PluginProcessTests.transactions)
        let scratch = TemporaryDirectory(prefix: "ai-registry-sync")
        let config = try Self.smallChunkConfiguration(in: scratch.path, chunkBytes: 16 << 10)
        let source = try PluginHarness(extraArguments: ["--config", config, "--snapshot-interval", "8", "--snapshot-keep", "2"])
        _ = try source.consensus.initChain(genesis: reference.genesis)
        let snapshotRound: UInt64 = 16
        for round in reference.rounds where round.input.round <= snapshotRound {
            _ = try source.consensus.applyRound(round.input)
        }
        let sourceQuery = try source.queryClient()
        defer { sourceQuery.close() }
        let offered = try Self.waitForSnapshots(sourceQuery) { $0.last == snapshotRound && $0.count <= 2 }
        let newest = try #require(offered.last, "no snapshot offered; plugin log:\n\(source.logTail)")
        #expect(newest.round == snapshotRound)
        #expect(newest.root == Data(reference.root(after: snapshotRound).bytes))
        #expect(newest.chunkCount > 1, "small chunks: several per snapshot")
        #expect(offered.count <= 2, "keep 2: older snapshots pruned")
        #expect(Blake2b.hash256([UInt8](newest.manifest)).bytes == [UInt8](newest.manifestID))
        #expect(newest.chainID == reference.chainID)

        // State sync with the real CLI, checking the root the operator trusts.
        let target = TemporaryDirectory(prefix: "ai-registry-synced")
        let trusted = reference.root(after: snapshotRound).hex
        let fetch = try Self.runCLI(
            ["snapshot", "fetch", "--from", source.ready.query, "--data-dir", target.path + "/data", "--trusted-root", trusted],
            in: scratch.path)
        #expect(fetch.status == 0, "snapshot fetch failed: \(fetch.stderr)")
        #expect(fetch.stdout.contains("\"round\":\(snapshotRound)"), "summary: \(fetch.stdout)")
        #expect(fetch.stdout.contains("\"root\":\"\(trusted)\""), "summary: \(fetch.stdout)")
        #expect(fetch.stderr.contains("chunk \(newest.chunkCount)/\(newest.chunkCount)"), "progress: \(fetch.stderr)")

        // A plugin on the new directory starts from round 16.
        let synced = try PluginProcess(directory: target.path)
        let syncedReady = try synced.waitReady()
        let syncedConsensus = try ConsensusClient(endpoint: syncedReady.consensus, timeout: PluginHarness.callTimeout)
        defer { syncedConsensus.close() }
        let info = try syncedConsensus.info()
        #expect(info.initialized)
        #expect(info.chainID == reference.chainID)
        #expect(info.lastRound == snapshotRound)
        #expect(info.lastRoot == Data(reference.root(after: snapshotRound).bytes))

        // The same values and proofs, for keys written so far (and one never written).
        let syncedQuery = try QueryClient(endpoint: syncedReady.query, timeout: PluginHarness.callTimeout)
        defer { syncedQuery.close() }
        var keys = Set(try reference.genesis.writes().map(\.key))
        for outcome in reference.outcomes.prefix(Int(snapshotRound)) { keys.formUnion(outcome.writes.map(\.key)) }
        // About 60 keys per plugin: well inside the query endpoint's burst of 200 for one local client.
        let sorted = keys.sorted { $0.lexicographicallyPrecedes($1) }
        let stride = max(1, sorted.count / 60)
        let sample = sorted.enumerated().filter { $0.offset % stride == 0 }.map(\.element) + [Array("no.such.key".utf8)]
        #expect(sample.count > 50)
        for key in sample {
            let expected = try sourceQuery.getKey(key, round: snapshotRound, prove: true)
            let actual = try syncedQuery.getKey(key, round: snapshotRound, prove: true)
            #expect(actual.found == expected.found && actual.value == expected.value, "key \(Hex.encode(key))")
            #expect(actual.proof == expected.proof, "key \(Hex.encode(key)): proof")
            #expect(throws: Never.self) {
                try ProofCheck.verify(actual.proof, value: actual.found ? [UInt8](actual.value) : nil, key: key,
                                      trustedRoot: reference.root(after: snapshotRound))
            }
        }

        // Both plugins apply the next rounds to the same roots.
        for round in reference.rounds where round.input.round > snapshotRound {
            let expected = try source.consensus.applyRound(round.input)
            let actual = try syncedConsensus.applyRound(round.input)
            #expect(actual.root == expected.root, "round \(round.input.round)")
            #expect(actual.root == Data(reference.root(after: round.input.round).bytes), "round \(round.input.round)")
            #expect(actual.codes == expected.codes, "round \(round.input.round)")
        }
        synced.kill()
    }

    /// Typed errors: a chunk of a round without a snapshot and a chunk index past the end are NOT_FOUND
    /// naming the field; a chunk file damaged on the server is refused (never sent), and the fetcher
    /// fails with a clear error naming the chunk and leaves nothing at the target (nor its staging).
    @Test func missingChunksAreNotFoundAndADamagedChunkIsRefused() throws {
        let reference = try ReferenceRun.make(
            seed: PluginProcessTests.seed, rounds: PluginProcessTests.rounds, transactions: PluginProcessTests.transactions)
        let source = try PluginHarness(extraArguments: ["--snapshot-interval", "4"])
        _ = try source.consensus.initChain(genesis: reference.genesis)
        for round in reference.rounds.prefix(4) { _ = try source.consensus.applyRound(round.input) }
        let query = try source.queryClient()
        defer { query.close() }
        let offered = try Self.waitForSnapshots(query) { $0.contains(4) }
        let snapshot = try #require(offered.first { $0.round == 4 }, "plugin log:\n\(source.logTail)")

        #expect {
            _ = try query.snapshotChunk(round: 3, index: 0)
        } throws: { error in
            let server = (error as? RegistryClientError)?.serverError
            return server?.code == .notFound && server?.field == "get_snapshot_chunk.round"
                && server?.message.contains("round 3") == true
        }
        #expect {
            _ = try query.snapshotChunk(round: 4, index: Int(snapshot.chunkCount))
        } throws: { error in
            let server = (error as? RegistryClientError)?.serverError
            return server?.code == .notFound && server?.field == "get_snapshot_chunk.index"
                && server?.message.contains("chunk \(snapshot.chunkCount)") == true
        }
        let good = try query.snapshotChunk(round: 4, index: 0)
        #expect(Blake2b.hash256([UInt8](good.chunk)).bytes == [UInt8](good.hash))

        // Damage chunk 0 on the server's disk (flip one byte).
        let catalog = SnapshotCatalog(directory: source.dataDirectory + "/snapshots")
        let chunkPath = catalog.path(round: 4) + "/" + SnapshotFormat.chunkFileName(index: 0)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: chunkPath)))
        bytes[bytes.count / 2] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: chunkPath))
        #expect {
            _ = try query.snapshotChunk(round: 4, index: 0)
        } throws: { error in
            (error as? RegistryClientError)?.serverError?.code == .internal
        }

        let target = TemporaryDirectory(prefix: "ai-registry-synced")
        let fetch = try Self.runCLI(
            ["snapshot", "fetch", "--from", source.ready.query, "--round", "4", "--data-dir", target.path + "/data",
             "--attempts", "2"],
            in: source.directory.path)
        #expect(fetch.status == 1, "stdout: \(fetch.stdout) stderr: \(fetch.stderr)")
        #expect(fetch.stderr.contains("chunk 0 of round 4 failed 2 attempts"), "stderr: \(fetch.stderr)")
        #expect(fetch.stderr.contains("damaged"), "stderr: \(fetch.stderr)")
        #expect(!FileManager.default.fileExists(atPath: target.path + "/data"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.path).isEmpty, "no staging directory left")
    }
}
