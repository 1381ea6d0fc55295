import Foundation
import Sodium
import StateStore
import StateTree
import Testing

/// Snapshots on other threads while commits go on (LMDB MVCC): every snapshot sees one committed
/// version entirely — its flat values, its root, its proofs, its round record — never a mix.
@Suite("StateStore · concurrent readers")
struct ConcurrencyTests {
    /// Thread-safe collection of findings from reader threads.
    final class Findings: @unchecked Sendable {
        private let lock = NSLock()
        private var problems: [String] = []
        private var versionsSeen: [UInt64] = []
        private var finished = false

        func problem(_ text: String) { lock.withLock { problems.append(text) } }
        func saw(_ version: UInt64) { lock.withLock { versionsSeen.append(version) } }
        func finish() { lock.withLock { finished = true } }
        var isFinished: Bool { lock.withLock { finished } }
        var report: (problems: [String], versions: [UInt64]) { lock.withLock { (problems, versionsSeen) } }
    }

    static let keyCount = 40
    static func key(_ i: Int) -> [UInt8] { b("shared/\(i)") }
    /// Version v writes every key with the value `v<version>` (and deletes key 0 on odd versions).
    static func batch(_ version: UInt64) -> [StateStore.Write] {
        sortedWrites((0..<keyCount).map { i in (key(i), i == 0 && version % 2 == 1 ? nil : b("v\(version)")) })
    }

    @Test("readers on three threads see consistent snapshots while a writer commits 60 versions")
    func readersDuringCommits() throws {
        let fixture = StoreFixture()
        let store = try fixture.open()
        let versions: UInt64 = 60
        var replay = Replay()
        for version in 1...versions { try replay.apply(version: version, Self.batch(version)) }
        let roots = replay.roots
        let findings = Findings()
        // Dedicated threads: the readers spin until the writer is done, which would starve a
        // dispatch queue whose width is the core count.
        let done = DispatchSemaphore(value: 0)
        for reader in 0..<3 {
            Thread {
                var reads = 0
                while !findings.isFinished || reads < 5 {
                    reads += 1
                    do {
                        try Self.checkOneSnapshot(store, roots: roots, reader: reader, findings: findings)
                    } catch {
                        findings.problem("reader \(reader): \(error)")
                    }
                }
                done.signal()
            }.start()
        }
        Thread {
            do {
                for version in 1...versions {
                    try store.commit(version: version, writes: Self.batch(version), roundRecord: b("round \(version)"))
                }
            } catch {
                findings.problem("writer: \(error)")
            }
            findings.finish()
            done.signal()
        }.start()
        var joined = 0
        while joined < 4, done.wait(timeout: .now() + 120) == .success { joined += 1 }
        #expect(joined == 4, "threads did not finish")
        let (problems, seen) = findings.report
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        #expect(try store.latestVersion() == versions)
        #expect(Set(seen).count > 1, "the readers saw only \(Set(seen).sorted())")
    }

    /// One snapshot: every value it reads belongs to the version it reports.
    static func checkOneSnapshot(_ store: StateStore, roots: [UInt64: Digest256], reader: Int, findings: Findings) throws {
        try store.withSnapshot { (snapshot) throws in
            guard let version = snapshot.version else { return }
            findings.saw(version)
            let expected = b("v\(version)")
            let root = try snapshot.rootHash(version: version)
            if root != roots[version] { findings.problem("reader \(reader): root of \(version) differs") }
            let entries = try snapshot.scan(prefix: b("shared/"))
            let expectedCount = version % 2 == 1 ? keyCount - 1 : keyCount
            if entries.count != expectedCount { findings.problem("reader \(reader): \(entries.count) keys at \(version)") }
            for entry in entries where entry.value != expected {
                findings.problem("reader \(reader): \(String(decoding: entry.key, as: UTF8.self)) is not \(version)")
            }
            // Proofs through the tree agree with the flat state and the root.
            for i in [0, 1, reader + 2] {
                let (value, proof) = try snapshot.get(key(i), version: version)
                if value != (try snapshot.value(key(i))) { findings.problem("reader \(reader): tree and flat differ at \(version)") }
                do { try StateTree.verify(proof: proof, root: root, key: key(i), value: value) } catch {
                    findings.problem("reader \(reader): proof at \(version): \(error)")
                }
            }
            if try snapshot.roundRecord(version: version) != b("round \(version)") {
                findings.problem("reader \(reader): round record of \(version)")
            }
        }
    }
}
