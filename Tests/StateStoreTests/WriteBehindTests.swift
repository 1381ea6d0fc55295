import LMDB
import RegistryWorkload
import Sodium
import StateStore
import StateTree
import Testing

/// ADR 0027: the write-behind commit writes exactly what the synchronous commit writes, one write in
/// flight, and a failed write poisons the store until it is reopened.
@Suite("StateStore · write-behind commit")
struct WriteBehindTests {
    /// Seeded rounds: puts and deletes over a small key space (so keys are updated and deleted), with
    /// a round record and a metadata change per round.
    struct Round {
        var version: UInt64
        var writes: [StateStore.Write]
        var record: [UInt8]
        var metadata: [StateStore.Write]
    }

    static func rounds(seed: UInt64, count: Int, keysPerRound: Int) -> [Round] {
        var rng = SplitMix64(seed: seed)
        func next() -> UInt64 { rng.next() }
        return (0..<count).map { index in
            var chosen: [[UInt8]: [UInt8]?] = [:]
            for _ in 0..<keysPerRound {
                let key = b("key/\(next() % 2_000)")
                chosen[key] = next() % 5 == 0 ? nil : b("value \(next())")
            }
            let writes = sortedWrites(chosen.map { (key: $0.key, value: $0.value) })
            var metadata = [StateStore.Write.put(b("round"), b("\(index)"))]
            if index % 3 == 2 { metadata.insert(.delete(b("odd")), at: 0) } else { metadata.insert(.put(b("odd"), b("\(index)")), at: 0) }
            return Round(version: UInt64(10 + index), writes: writes, record: b("record of \(index)"), metadata: metadata)
        }
    }

    /// Everything a reader can see of `store`: per retained version the root and round record, the flat
    /// state, the metadata of the rounds and the table sizes.
    struct Contents: Equatable {
        var latest: UInt64?
        var historyStart: UInt64?
        var roots: [Digest256]
        var records: [[UInt8]?]
        var flat: [StateEntry]
        var metadata: [[UInt8]?]
        var entries: [Int?]
    }

    static func contents(of store: StateStore, versions: [UInt64]) throws -> Contents {
        let stats = try store.statistics()
        return try store.withSnapshot { (snapshot) throws in
            Contents(
                latest: snapshot.version, historyStart: try snapshot.historyStart(),
                roots: try versions.map { try snapshot.rootHash(version: $0) },
                records: try versions.map { try snapshot.roundRecord(version: $0) },
                flat: try snapshot.scan(),
                metadata: [try snapshot.metadata(b("odd")), try snapshot.metadata(b("round"))],
                entries: ["nodes", "stale", "roots", "state", "rounds", "meta"].map { stats.entries(of: $0) })
        }
    }

    @Test("write-behind and synchronous commits of the same seeded rounds give identical roots, state, records and metadata",
          arguments: [UInt64(1), 42])
    func sameAsSynchronous(seed: UInt64) throws {
        let rounds = Self.rounds(seed: seed, count: 24, keysPerRound: 150)
        let syncFixture = StoreFixture(), behindFixture = StoreFixture()
        let synchronous = try syncFixture.open(), behind = try behindFixture.open()
        var replay = Replay()
        for round in rounds {
            let expected = try synchronous.commit(
                version: round.version, writes: round.writes, roundRecord: round.record, metadata: round.metadata)
            let root = try behind.commitWriteBehind(
                version: round.version, writes: round.writes, roundRecord: round.record, metadata: round.metadata)
            #expect(root == expected, "round \(round.version)")
            #expect(root == (try replay.apply(version: round.version, round.writes)))
        }
        try behind.awaitCommitted()
        #expect(behind.versionInFlight == nil)
        let versions = rounds.map(\.version)
        let reference = try Self.contents(of: synchronous, versions: versions)
        #expect(reference.latest == rounds.last?.version && reference.historyStart == 10)
        #expect(reference.flat == replay.entries)
        #expect(try Self.contents(of: behind, versions: versions) == reference)
    }

    @Test("a burst of write-behind commits back to back: each waits for the previous write, all land in order")
    func burst() throws {
        let fixture = StoreFixture()
        let store = try fixture.open()
        var replay = Replay()
        for version in UInt64(1)...60 {
            let writes = sortedWrites((0..<40).map { (b("k/\((Int(version) * 7 + $0 * 13) % 300)"), b("v\(version).\($0)")) })
            let (root, profile) = try store.commitWriteBehindProfiled(version: version, writes: writes, roundRecord: b("r\(version)"))
            #expect(root == (try replay.apply(version: version, writes)))
            #expect(profile.rootNanoseconds >= profile.barrierNanoseconds)
            // One in flight: the previous version is committed when the next is handed off.
            #expect(try store.latestVersion() ?? 0 >= version - 1)
        }
        try store.awaitCommitted()
        #expect(try store.latestVersion() == 60)
        #expect(store.lastBackgroundWrite?.version == 60)
        try store.withSnapshot { (snapshot) throws in
            #expect(try snapshot.scan() == replay.entries)
            #expect(try snapshot.retainedVersions().count == 60)
            #expect(try snapshot.rootHash(version: 60) == replay.roots[60])
        }
    }

    @Test("awaitCommitted: returns at once on an idle store; afterwards snapshots see the version; commit, prune and a reopen follow in order")
    func awaitCommittedSemantics() throws {
        let fixture = StoreFixture()
        var replay = Replay()
        do {
            let store = try fixture.open()
            try store.awaitCommitted()  // nothing ever in flight
            #expect(store.versionInFlight == nil && store.lastBackgroundWrite == nil)
            let root1 = try store.commitWriteBehind(version: 1, writes: writes([("a", "1"), ("b", "2")]), metadata: writes([("m", "1")]))
            try store.awaitCommitted()
            #expect(store.versionInFlight == nil)
            #expect(store.lastBackgroundWrite?.version == 1)
            try store.withSnapshot { (snapshot) throws in
                #expect(snapshot.version == 1)
                #expect(try snapshot.latestRootHash() == root1)
                #expect(try snapshot.historyStart() == 1)
                #expect(try snapshot.metadata(b("m")) == b("1"))
            }
            try replay.apply(version: 1, writes([("a", "1"), ("b", "2")]))
            // A synchronous commit straight after a write-behind one waits for it and builds on it.
            try store.commitWriteBehind(version: 2, writes: writes([("a", nil), ("c", "3")]))
            try replay.apply(version: 2, writes([("a", nil), ("c", "3")]))
            let root3 = try store.commit(version: 3, writes: writes([("d", "4")]))
            #expect(root3 == (try replay.apply(version: 3, writes([("d", "4")]))))
            // Prune straight after a write-behind commit waits for it too.
            try store.commitWriteBehind(version: 4, writes: writes([("b", "22")]))
            try replay.apply(version: 4, writes([("b", "22")]))
            let outcome = try store.prune(retainLatest: 2, maxEntries: 1_000)
            #expect(outcome.firstRetained == 3)
            // close() with a write in flight: the write commits first.
            try store.commitWriteBehind(version: 5, writes: writes([("e", "5")]))
            try replay.apply(version: 5, writes([("e", "5")]))
            try store.close()
            #expect(throws: StateStoreError.self) { try store.commitWriteBehind(version: 6, writes: writes([("f", "6")])) }
        }
        let reopened = try fixture.open()
        try reopened.withSnapshot { (snapshot) throws in
            #expect(snapshot.version == 5)
            #expect(try snapshot.latestRootHash() == replay.roots[5])
            #expect(try snapshot.scan() == replay.entries)
            #expect(try snapshot.retainedVersions() == [3, 4, 5])
        }
    }

    @Test("a validation error throws before anything is handed off and changes nothing")
    func validationErrors() throws {
        let fixture = StoreFixture()
        let store = try fixture.open()
        let root1 = try store.commitWriteBehind(version: 5, writes: writes([("a", "1")]), roundRecord: b("r5"))
        let unsorted = [StateStore.Write.put(b("b"), b("2")), .put(b("a"), b("1"))]
        #expect(throws: StateStoreError.writesNotStrictlyAscending(field: "writes", index: 1)) {
            try store.commitWriteBehind(version: 6, writes: unsorted)
        }
        #expect(throws: StateStoreError.invalidKey(field: "writes", index: 0, length: 0, maxLength: store.maxKeySize)) {
            try store.commitWriteBehind(version: 6, writes: [.put([], b("x"))])
        }
        #expect(throws: StateStoreError.reservedMetadataKey(b("store.latest"))) {
            try store.commitWriteBehind(version: 6, writes: writes([("c", "3")]), metadata: writes([("store.latest", "x")]))
        }
        #expect(throws: StateStoreError.versionNotIncreasing(version: 5, latest: 5)) {
            try store.commitWriteBehind(version: 5, writes: writes([("c", "3")]))
        }
        #expect(throws: StateStoreError.versionNotIncreasing(version: 4, latest: 5)) {
            try store.commitWriteBehind(version: 4, writes: writes([("c", "3")]))
        }
        #expect(store.versionInFlight == nil)
        try store.withSnapshot { (snapshot) throws in
            #expect(snapshot.version == 5)
            #expect(try snapshot.latestRootHash() == root1)
            #expect(try snapshot.scan() == [StateEntry(key: b("a"), value: b("1"))])
            #expect(try snapshot.roundRecord(version: 6) == nil)
        }
        // The store is not poisoned by refused input.
        try store.commitWriteBehind(version: 6, writes: writes([("c", "3")]))
        try store.awaitCommitted()
        #expect(try store.latestVersion() == 6)
    }

    @Test("a failed write (MDB_MAP_FULL) poisons the store: every later commit throws writeBehindFailed; reopening shows the last good version")
    func writerFailurePoisons() throws {
        let fixture = StoreFixture()
        let small = StateStore.Configuration(mapSize: 1 << 20, durability: .noSync)
        var replay = Replay()
        let first = sortedWrites((0..<20).map { (b("small/\($0)"), b("v\($0)")) })
        let big = sortedWrites((0..<6_000).map { (b("big/\($0)"), [UInt8](repeating: UInt8($0 % 251), count: 200)) })
        let root1: Digest256
        do {
            let store = try fixture.open(small)
            root1 = try store.commitWriteBehind(version: 1, writes: first, roundRecord: b("round 1"))
            try replay.apply(version: 1, first)
            // The root is computed (reads only); the write does not fit in the 1 MiB map.
            let root2 = try store.commitWriteBehind(version: 2, writes: big, roundRecord: b("round 2"))
            var reference = Replay()
            #expect(root2 == (try reference.applied([(1, first), (2, big)])))
            var failure: StateStoreError?
            do { try store.awaitCommitted() } catch { failure = error }
            let error = try #require(failure)
            guard case .writeBehindFailed(let version, let cause) = error else {
                Issue.record("expected writeBehindFailed, got \(error)")
                return
            }
            #expect(version == 2)
            #expect(cause.lmdbError?.code == .mapFull)
            #expect("\(error)".contains("version 2") && "\(error)".contains("MDB_MAP_FULL"))
            // The same failure on every later call: nothing after the failed round may be written.
            #expect(throws: error) { try store.awaitCommitted() }
            #expect(throws: error) { try store.commitWriteBehind(version: 3, writes: first) }
            #expect(throws: error) { try store.commitWriteBehind(version: 2, writes: first) }
            #expect(throws: error) { try store.commit(version: 3, writes: first) }
            #expect(throws: error) { try store.prune(retainLatest: 0, maxEntries: 100) }
            #expect(try store.latestVersion() == 1)
        }
        let reopened = try fixture.open(StateStore.Configuration(mapSize: 64 << 20, durability: .noSync))
        try reopened.withSnapshot { (snapshot) throws in
            #expect(snapshot.version == 1)
            #expect(try snapshot.latestRootHash() == root1)
            #expect(try snapshot.scan() == replay.entries)
            #expect(try snapshot.roundRecord(version: 2) == nil)
        }
        try reopened.awaitCommitted()
        let root2 = try reopened.commitWriteBehind(version: 2, writes: big, roundRecord: b("round 2"))
        try reopened.awaitCommitted()
        #expect(root2 == (try replay.apply(version: 2, big)))
        #expect(try reopened.latestVersion() == 2)
    }
}

extension Replay {
    /// The root after applying `rounds` to a fresh replay.
    mutating func applied(_ rounds: [(UInt64, [StateStore.Write])]) throws -> Digest256? {
        var root: Digest256?
        for (version, writes) in rounds { root = try apply(version: version, writes) }
        return root
    }
}
