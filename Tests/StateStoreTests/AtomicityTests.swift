import LMDB
import Sodium
import StateStore
import StateTree
import Testing

/// D8: a commit is all or nothing. A commit that fails half-way (here: the map is full) leaves the
/// store exactly at the previous version, and the store keeps working once the cause is fixed.
@Suite("StateStore · atomicity")
struct AtomicityTests {
    @Test("a commit failing with MDB_MAP_FULL leaves root, flat state, meta and tables at the previous version")
    func mapFull() throws {
        let fixture = StoreFixture()
        let store = try fixture.open(StateStore.Configuration(mapSize: 1 << 20, durability: .noSync))
        var replay = Replay()
        let first = sortedWrites((0..<20).map { (b("small/\($0)"), b("v\($0)")) })
        let root1 = try store.commit(
            version: 1, writes: first, roundRecord: b("round 1"), metadata: writes([("chain-id", "c1")]))
        try replay.apply(version: 1, first)
        let statsBefore = try store.statistics()

        // About 3 MB of state and nodes: more than the 1 MiB map.
        let big = sortedWrites((0..<6_000).map { (b("big/\($0)"), [UInt8](repeating: UInt8($0 % 251), count: 200)) })
        do {
            try store.commit(version: 2, writes: big, roundRecord: b("round 2"), metadata: writes([("chain-id", "c2")]))
            Issue.record("the commit fitted in a 1 MiB map")
        } catch {
            #expect(error.lmdbError?.code == .mapFull)
            if case .storage(let operation, _, let version, _, _) = error {
                #expect(operation == "commit" && version == 2)
            }
            #expect("\(error)".contains("MDB_MAP_FULL"))
        }

        func expectAtVersion1() throws {
            try store.withSnapshot { (snapshot) throws in
                #expect(snapshot.version == 1)
                #expect(try snapshot.latestRootHash() == root1)
                #expect(try snapshot.retainedVersions() == [1])
                #expect(try snapshot.scan() == replay.entries)
                #expect(try snapshot.roundRecord(version: 2) == nil)
                #expect(try snapshot.metadata(b("chain-id")) == b("c1"))
            }
            let stats = try store.statistics()
            for name in ["nodes", "stale", "roots", "state", "rounds", "meta"] {
                #expect(stats.entries(of: name) == statsBefore.entries(of: name), "\(name)")
            }
        }
        try expectAtVersion1()
        // A second attempt fails the same way and still changes nothing.
        #expect(throws: StateStoreError.self) { try store.commit(version: 2, writes: big) }
        try expectAtVersion1()

        // After enlarging the map, the same round commits and matches the reference.
        try store.setMapSize(64 << 20)
        let root2 = try store.commit(version: 2, writes: big, roundRecord: b("round 2"), metadata: writes([("chain-id", "c2")]))
        #expect(root2 == (try replay.apply(version: 2, big)))
        try store.withSnapshot { (snapshot) throws in
            #expect(snapshot.version == 2)
            #expect(try snapshot.scan() == replay.entries)
            #expect(try snapshot.rootHash(version: 1) == root1)
            #expect(try snapshot.metadata(b("chain-id")) == b("c2"))
        }
    }

    @Test("a commit refused by the tree (a corrupt node on the way) writes nothing", arguments: [true, false])
    func treeFailureWritesNothing(_ parallel: Bool) throws {
        let fixture = StoreFixture()
        var replay = Replay()
        let first = sortedWrites((0..<50).map { (b("k\($0)"), b("v")) })
        let root1: Digest256
        do {
            let store = try fixture.open()
            root1 = try store.commit(version: 1, writes: first)
            try replay.apply(version: 1, first)
        }
        try RawStore.replaceNode(at: fixture.path, .root(1), with: [0xEE, 0x01])
        let store = try fixture.open(StateStore.Configuration(durability: .noSync, parallelCommit: parallel))
        #expect {
            try store.commit(version: 2, writes: sortedWrites([(b("k1"), b("new"))]))
        } throws: { error in
            guard case .tree(let operation, .corruptNode(let key, let version, _)) = error as? StateStoreError else { return false }
            return operation == "commit" && key == .root(1) && version == 1
        }
        try store.withSnapshot { (snapshot) throws in
            #expect(snapshot.version == 1)
            #expect(try snapshot.rootHash(version: 1) == root1)
            #expect(try snapshot.scan() == replay.entries)
        }
    }
}
