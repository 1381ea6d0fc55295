import Foundation
import RegistryWorkload
import Sodium
import StateStore
import StateTree
import TestSupport
import Testing

/// D8 across process death: a writer process (`registry-testkit crash-writer`) commits deterministic
/// rounds and is killed with SIGKILL at a random moment, in practice in the middle of a commit. The
/// reopened store must hold exactly the last committed round — the last one printed, or the one after
/// it if the kill came between commit and print — with the root and flat state a replay computes.
@Suite("StateStore · crash safety", .serialized)
struct CrashTests {
    static let keysPerRound = 100

    /// Replays `StoreRounds` into the reference up to `version`.
    static func advance(_ replay: inout Replay, to version: UInt64) throws {
        var next = (replay.latest ?? 0) + 1
        while next <= version {
            let writes = StoreRounds.writes(round: next, keysPerRound: keysPerRound).map { StateStore.Write(key: $0.key, value: $0.value) }
            try replay.apply(version: next, writes)
            next += 1
        }
    }

    /// The versions printed by the writer, in order.
    static func committed(_ lines: [String]) -> [(version: UInt64, root: String)] {
        lines.compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 3, parts[0] == "committed", let version = UInt64(parts[1]) else { return nil }
            return (version, String(parts[2]))
        }
    }

    @Test("SIGKILL during commits, four times: the store reopens at the last committed round, intact")
    func killAndRestart() throws {
        let executable = HelperProcess.executablesDirectory + "/registry-testkit"
        try #require(FileManager.default.isExecutableFile(atPath: executable), "build registry-testkit first (swift build)")
        let fixture = StoreFixture()
        var replay = Replay()
        var rng = SplitMix64(seed: 0xC4A5_0001)
        var start: UInt64 = 1

        for cycle in 0..<4 {
            let target = 5 + Int(rng.below(40))  // committed lines to wait for in this cycle
            let writer = try HelperProcess("registry-testkit", [
                "crash-writer", "--dir", fixture.path, "--start", "\(start)", "--keys-per-round", "\(Self.keysPerRound)",
            ])
            let reached = writer.waitForLines(timeout: 20) { Self.committed($0).count >= target }
            // Let it run a little into the next commit, then kill it.
            usleep(UInt32(rng.below(3_000)))
            writer.kill()
            let printed = Self.committed(writer.outputLines)
            try #require(reached, "cycle \(cycle): the writer printed only \(printed.count) of \(target) lines")
            let last = try #require(printed.last)
            #expect(printed.first?.version == start)

            let store = try fixture.open()
            let latest = try #require(try store.latestVersion())
            #expect(latest == last.version || latest == last.version + 1, "cycle \(cycle): latest \(latest), printed \(last.version)")
            try Self.advance(&replay, to: latest)
            try store.withSnapshot { (snapshot) throws in
                #expect(snapshot.version == latest)
                let root = try snapshot.rootHash(version: latest)
                #expect(root == replay.roots[latest], "cycle \(cycle): root of \(latest)")
                // Every printed root is the replayed root of its version.
                for line in printed { #expect(line.root == replay.roots[line.version]?.hex, "root of \(line.version)") }
                #expect(try snapshot.scan() == replay.entries, "cycle \(cycle): flat state at \(latest)")
                #expect(try snapshot.roundRecord(version: latest) == StoreRounds.record(round: latest))
                for id in stride(from: 0, to: Int(StoreRounds.keySpace), by: 97) {
                    let key = b("k/" + String(repeating: "0", count: 5 - String(id).count) + String(id))
                    let (value, proof) = try snapshot.get(key, version: latest)
                    #expect(value == replay.flat[key])
                    try StateTree.verify(proof: proof, root: root, key: key, value: value)
                }
            }
            start = latest + 1
        }
        #expect(start > 20)
    }
}
