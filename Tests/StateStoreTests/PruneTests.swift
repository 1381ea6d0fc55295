import Sodium
import StateStore
import StateTree
import Testing

/// `prune`: retention windows, bounded steps, round records (rule ST-14).
@Suite("StateStore · prune")
struct PruneTests {
    /// 20 versions over 60 keys, each changing 15 of them (some deletes).
    static func history(_ store: StateStore) throws -> Replay {
        var replay = Replay()
        for version: UInt64 in 1...20 {
            let batch = sortedWrites((0..<15).map { i in
                let id = (Int(version) * 11 + i * 4) % 60
                return (b("p/\(id)"), (i + Int(version)) % 6 == 0 ? nil : b("\(version).\(i)"))
            })
            let root = try store.commit(version: version, writes: batch, roundRecord: b("round \(version)"))
            #expect(root == (try replay.apply(version: version, batch)))
        }
        return replay
    }

    /// Every retained version from `first` on still proves every key against its root.
    static func expectProves(_ store: StateStore, from first: UInt64, replay: Replay) throws {
        try store.withSnapshot { (snapshot) throws in
            for version in first...20 {
                #expect(try snapshot.rootHash(version: version) == replay.roots[version])
            }
            for id in 0..<60 {
                let key = b("p/\(id)")
                let (value, proof) = try snapshot.get(key, version: 20)
                #expect(value == replay.flat[key])
                try StateTree.verify(proof: proof, root: try #require(replay.roots[20]), key: key, value: value)
                let (old, oldProof) = try snapshot.get(key, version: first)
                try StateTree.verify(proof: oldProof, root: try #require(replay.roots[first]), key: key, value: old)
            }
        }
    }

    @Test("pruning to a window keeps every retained root and proof and leaves no unreachable node")
    func window() throws {
        let fixture = StoreFixture()
        let store = try fixture.open()
        let replay = try Self.history(store)
        let nodesBefore = try #require(try store.statistics().entries(of: "nodes"))
        let outcome = try store.prune(retainLatest: 5, maxEntries: 100_000)
        #expect(outcome.firstRetained == 16 && outcome.isComplete)
        #expect(outcome.rootsDeleted == 15 && outcome.nodesDeleted > 0 && outcome.nodesDeleted == outcome.staleEntriesDeleted)
        #expect(outcome.roundRecordsDeleted == 0)
        try Self.expectProves(store, from: 16, replay: replay)
        try store.withSnapshot { (snapshot) throws in
            #expect(try snapshot.retainedVersions() == Array(16...20))
            #expect(throws: StateStoreError.tree(operation: "get", error: .versionNotFound(15))) {
                try snapshot.get(b("p/1"), version: 15)
            }
            #expect(try snapshot.roundRecord(version: 3) == b("round 3"))  // kept unless asked
            #expect(try snapshot.scan() == replay.entries)  // the flat state is untouched
            let reachable = try (16...20).reduce(into: Set<NodeKey>()) { $0.formUnion(try reachableNodes(at: $1, in: snapshot)) }
            let stats = try store.statistics()
            #expect(stats.entries(of: "nodes") == reachable.count)
            #expect(reachable.count == nodesBefore - outcome.nodesDeleted)
        }
        // Nothing left to do.
        let again = try store.prune(retainLatest: 5, maxEntries: 100_000)
        #expect(again.isComplete && again.nodesDeleted == 0 && again.rootsDeleted == 0)
        // A window of 0 keeps the latest version.
        let latestOnly = try store.prune(retainLatest: 0, maxEntries: 100_000)
        #expect(latestOnly.firstRetained == 20 && latestOnly.isComplete)
        try Self.expectProves(store, from: 20, replay: replay)
    }

    @Test("a bounded prune proceeds in steps, each leaving a consistent store")
    func bounded() throws {
        let fixture = StoreFixture()
        let store = try fixture.open()
        let replay = try Self.history(store)
        var steps = 0
        while true {
            let outcome = try store.prune(retainLatest: 2, maxEntries: 7, pruneRoundRecords: true)
            steps += 1
            #expect(outcome.staleEntriesDeleted <= 7 && outcome.rootsDeleted <= 7 && outcome.roundRecordsDeleted <= 7)
            #expect(outcome.firstRetained <= 19)
            try Self.expectProves(store, from: max(outcome.firstRetained, 1), replay: replay)
            if outcome.isComplete { break }
            if steps > 200 { Issue.record("prune did not complete"); break }
        }
        #expect(steps > 2)
        try store.withSnapshot { (snapshot) throws in
            #expect(try snapshot.retainedVersions() == [19, 20])
            #expect(try snapshot.roundRecord(version: 18) == nil)
            #expect(try snapshot.roundRecord(version: 19) == b("round 19"))
        }
    }

    @Test("round records go with their versions only when asked")
    func roundRecords() throws {
        let fixture = StoreFixture()
        let store = try fixture.open()
        _ = try Self.history(store)
        let outcome = try store.prune(retainLatest: 10, maxEntries: 1_000, pruneRoundRecords: true)
        #expect(outcome.isComplete && outcome.roundRecordsDeleted == 10)
        try store.withSnapshot { (snapshot) throws in
            #expect(try snapshot.roundRecord(version: 10) == nil)
            #expect(try snapshot.roundRecord(version: 11) == b("round 11"))
        }
    }
}
