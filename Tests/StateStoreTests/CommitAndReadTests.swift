import LMDB
import Sodium
import StateStore
import StateTree
import Testing

/// Commit, the read side (flat state, tree, round records, metadata) and input validation.
@Suite("StateStore · commit and read")
struct CommitAndReadTests {
    @Test("an empty store has no version, no root and nothing to scan or prune")
    func emptyStore() throws {
        let fixture = StoreFixture()
        let store = try fixture.open()
        #expect(try store.latestVersion() == nil)
        let snapshot = try store.snapshot()
        #expect(snapshot.version == nil)
        #expect(try snapshot.latestRootHash() == nil)
        #expect(try snapshot.scan().isEmpty)
        #expect(try snapshot.retainedVersions().isEmpty)
        #expect(throws: StateStoreError.tree(operation: "get", error: .versionNotFound(0))) {
            try snapshot.get(b("a"), version: 0)
        }
        snapshot.close()
        let outcome = try store.prune(retainLatest: 1, maxEntries: 10)
        #expect(outcome.isComplete && outcome.nodesDeleted == 0 && outcome.rootsDeleted == 0)
    }

    @Test("a commit is readable as flat state, through the tree with proofs, and as round record and metadata")
    func commitThenRead() throws {
        let fixture = StoreFixture()
        let store = try fixture.open()
        var replay = Replay()
        let first = writes([("model/a", "1"), ("model/b", "2"), ("model/c", "3"), ("vote/x", "yes"), ("z", "")])
        let root = try store.commit(
            version: 1, writes: first, roundRecord: b("results of 1"), metadata: writes([("chain-id", "test-chain")]))
        #expect(root == (try replay.apply(version: 1, first)))

        try store.withSnapshot { (snapshot) throws in
            #expect(snapshot.version == 1)
            #expect(try snapshot.rootHash(version: 1) == root)
            #expect(try snapshot.latestRootHash() == root)
            #expect(try snapshot.rootRecord(at: 1).rootNodeVersion == 1)
            #expect(try snapshot.retainedVersions() == [1])
            #expect(try snapshot.value(b("model/b")) == b("2"))
            #expect(try snapshot.value(b("z")) == [])  // the empty value is a value
            #expect(try snapshot.value(b("model/zz")) == nil)
            #expect(try snapshot.value([]) == nil)
            #expect(try snapshot.scan() == replay.entries)
            #expect(try snapshot.scan(prefix: b("model/")).map(\.key) == [b("model/a"), b("model/b"), b("model/c")])
            #expect(try snapshot.scan(prefix: b("model/"), reverse: true, limit: 2).map(\.key) == [b("model/c"), b("model/b")])
            #expect(try snapshot.scan(from: b("model/b"), to: b("vote/x")).map(\.key) == [b("model/b"), b("model/c")])
            #expect(try snapshot.scan(from: b("model/b"), to: b("vote/x"), reverse: true).map(\.key) == [b("model/c"), b("model/b")])
            #expect(try snapshot.scan(to: []).isEmpty)
            for key in [b("model/a"), b("vote/x"), b("z"), b("absent")] {
                let (value, proof) = try snapshot.get(key, version: 1)
                #expect(value == (try snapshot.value(key)))
                try StateTree.verify(proof: proof, root: root, key: key, value: value)
            }
            #expect(try snapshot.roundRecord(version: 1) == b("results of 1"))
            #expect(try snapshot.roundRecord(version: 2) == nil)
            #expect(try snapshot.metadata(b("chain-id")) == b("test-chain"))
            #expect(try snapshot.metadata(b("store.latest")) == nil)  // the store's own keys are not metadata
        }
    }

    @Test("the flat state is the latest version; earlier versions are read through the tree")
    func flatStateIsLatestOnly() throws {
        let fixture = StoreFixture()
        let store = try fixture.open()
        var replay = Replay()
        let v1 = writes([("a", "1"), ("b", "1"), ("c", "1")])
        let v2 = writes([("a", "2"), ("b", nil), ("d", "2")])
        let root1 = try store.commit(version: 1, writes: v1)
        let root2 = try store.commit(version: 2, writes: v2, metadata: writes([("chain-id", nil), ("k", "v")]))
        try replay.apply(version: 1, v1)
        #expect(root2 == (try replay.apply(version: 2, v2)))
        #expect(root1 != root2)

        let snapshot = try store.snapshot()
        #expect(snapshot.version == 2)
        #expect(try snapshot.scan() == replay.entries)
        #expect(try snapshot.value(b("b")) == nil)
        // Version 1 through the tree, with proofs against root 1.
        for (key, expected) in [("a", "1"), ("b", "1"), ("c", "1")] {
            let (value, proof) = try snapshot.get(b(key), version: 1)
            #expect(value == b(expected))
            try StateTree.verify(proof: proof, root: root1, key: b(key), value: value)
        }
        let (absent, proof) = try snapshot.get(b("d"), version: 1)
        #expect(absent == nil)
        try StateTree.verify(proof: proof, root: root1, key: b("d"), value: nil)
        #expect(try snapshot.metadata(b("k")) == b("v"))
        #expect(try snapshot.retainedVersions(from: 2) == [2])
    }

    @Test("a version not above the latest is refused and changes nothing (ST-21)")
    func refusesNonIncreasingVersion() throws {
        let fixture = StoreFixture()
        let store = try fixture.open()
        let root = try store.commit(version: 5, writes: writes([("a", "1")]))
        for version: UInt64 in [5, 4, 0] {
            #expect(throws: StateStoreError.versionNotIncreasing(version: version, latest: 5)) {
                try store.commit(version: version, writes: writes([("a", "2")]))
            }
        }
        try store.withSnapshot { (snapshot) throws in
            #expect(snapshot.version == 5)
            #expect(try snapshot.rootHash(version: 5) == root)
            #expect(try snapshot.value(b("a")) == b("1"))
        }
        // Gaps are allowed.
        try store.commit(version: 9, writes: [])
        #expect(try store.latestVersion() == 9)
        try store.withSnapshot { (snapshot) throws in
            #expect(try snapshot.rootHash(version: 9) == root)  // an empty batch keeps the root (ST-23)
            #expect(throws: StateStoreError.tree(operation: "rootRecord", error: .versionNotFound(7))) {
                try snapshot.rootRecord(at: 7)
            }
        }
    }

    @Test("unsorted, duplicate, empty, over-long and reserved keys are refused before anything is written")
    func validatesInput() throws {
        let fixture = StoreFixture()
        let store = try fixture.open()
        let max = store.maxKeySize
        #expect(throws: StateStoreError.writesNotStrictlyAscending(field: "writes", index: 1)) {
            try store.commit(version: 1, writes: [.put(b("b"), []), .put(b("a"), [])])
        }
        #expect(throws: StateStoreError.writesNotStrictlyAscending(field: "writes", index: 2)) {
            try store.commit(version: 1, writes: [.put(b("a"), []), .put(b("b"), []), .delete(b("b"))])
        }
        #expect(throws: StateStoreError.invalidKey(field: "writes", index: 0, length: 0, maxLength: max)) {
            try store.commit(version: 1, writes: [.put([], [1])])
        }
        let long = [UInt8](repeating: 0x61, count: max + 1)
        #expect(throws: StateStoreError.invalidKey(field: "writes", index: 1, length: max + 1, maxLength: max)) {
            try store.commit(version: 1, writes: [.put(b("0"), [1]), .put(long, [1])])
        }
        #expect(throws: StateStoreError.reservedMetadataKey(b("store.latest"))) {
            try store.commit(version: 1, writes: [], metadata: [.put(b("store.latest"), [0])])
        }
        #expect(throws: StateStoreError.writesNotStrictlyAscending(field: "metadata", index: 1)) {
            try store.commit(version: 1, writes: [], metadata: [.put(b("y"), []), .put(b("x"), [])])
        }
        #expect(try store.latestVersion() == nil)
        // The longest key LMDB accepts is fine.
        let longest = [UInt8](repeating: 0x62, count: max)
        try store.commit(version: 1, writes: [.put(longest, b("v"))])
        try store.withSnapshot { (snapshot) throws in #expect(try snapshot.value(longest) == b("v")) }
    }

    @Test("everything survives closing and reopening the store")
    func persistsAcrossReopen() throws {
        let fixture = StoreFixture()
        var replay = Replay()
        let batches = (1...4).map { version in
            sortedWrites((0..<30).map { i in (b("key-\((version * 7 + i) % 40)"), i % 5 == 0 ? nil : b("v\(version)-\(i)")) })
        }
        do {
            let store = try fixture.open(StateStore.Configuration(durability: .full))
            for (index, batch) in batches.enumerated() {
                let version = UInt64(index + 1)
                let root = try store.commit(version: version, writes: batch, roundRecord: b("r\(version)"))
                #expect(root == (try replay.apply(version: version, batch)))
            }
        }
        let store = try fixture.open()
        try store.withSnapshot { (snapshot) throws in
            #expect(snapshot.version == 4)
            #expect(try snapshot.scan() == replay.entries)
            for version: UInt64 in 1...4 {
                #expect(try snapshot.rootHash(version: version) == replay.roots[version])
                #expect(try snapshot.roundRecord(version: version) == b("r\(version)"))
            }
        }
        // And it keeps going from there.
        let next = sortedWrites([(b("key-1"), b("after reopen"))])
        #expect(try store.commit(version: 5, writes: next) == (try replay.apply(version: 5, next)))
    }

    @Test("a read-only store reads and refuses to write")
    func readOnly() throws {
        let fixture = StoreFixture()
        let root = try fixture.open().commit(version: 1, writes: writes([("a", "1")]))
        let store = try fixture.open(StateStore.Configuration(readOnly: true))
        try store.withSnapshot { (snapshot) throws in #expect(try snapshot.rootHash(version: 1) == root) }
        do {
            try store.commit(version: 2, writes: [])
            Issue.record("a read-only store committed")
        } catch {
            #expect(error.lmdbError?.operation == "mdb_txn_begin")
            #expect(error.lmdbError?.code == .errno(13))  // EACCES
        }
    }

    @Test("missing directories are created, or with createDirectory false, refused by mdb_env_open")
    func createsDirectory() throws {
        let fixture = StoreFixture()
        let nested = fixture.directory.path + "/a/b/c"
        let store = try StateStore(directory: nested, configuration: StateStore.Configuration(durability: .noSync))
        try store.commit(version: 1, writes: [])
        let without = StateStore.Configuration(createDirectory: false)
        #expect {
            try StateStore(directory: fixture.directory.path + "/missing", configuration: without)
        } throws: { error in
            (error as? StateStoreError)?.lmdbError?.operation == "mdb_env_open"
        }
    }

    @Test("statistics count the entries of each database")
    func statistics() throws {
        let fixture = StoreFixture()
        let store = try fixture.open()
        let batch = writes([("a", "1"), ("b", "2"), ("c", "3")])
        try store.commit(version: 1, writes: batch, roundRecord: b("r"))
        var replay = Replay()
        try replay.apply(version: 1, batch)
        let stats = try store.statistics()
        #expect(stats.entries(of: "state") == 3)
        #expect(stats.entries(of: "roots") == 1)
        #expect(stats.entries(of: "rounds") == 1)
        #expect(stats.entries(of: "nodes") == replay.nodes.nodeCount)
        #expect(stats.usedBytes > 0 && stats.fileSize >= stats.usedBytes / 2 && stats.pageSize >= 4096)
    }

    @Test("the tree computed on a helper thread or on the committing thread gives the same store", arguments: [true, false])
    func parallelAndSequential(_ parallel: Bool) throws {
        let fixture = StoreFixture()
        let store = try fixture.open(StateStore.Configuration(durability: .noSync, parallelCommit: parallel))
        var replay = Replay()
        for version: UInt64 in 1...8 {
            let batch = sortedWrites((0..<50).map { i in
                (b("key-\((Int(version) * 13 + i * 7) % 90)"), i % 6 == 0 ? nil : b("v\(version)-\(i)"))
            })
            let (root, profile) = try store.commitProfiled(version: version, writes: batch)
            #expect(root == (try replay.apply(version: version, batch)))
            #expect(profile.treeOverlapped == parallel)
            #expect(profile.nodesWritten > 0 && profile.totalNanoseconds >= profile.commitNanoseconds)
        }
        #expect(throws: StateStoreError.versionNotIncreasing(version: 8, latest: 8)) {
            try store.commit(version: 8, writes: [])
        }
        try store.withSnapshot { (snapshot) throws in
            #expect(try snapshot.scan() == replay.entries)
        }
    }

    @Test("with every reader slot taken, a parallel commit computes the tree on its own thread")
    func parallelCommitWithoutReaderSlots() throws {
        let fixture = StoreFixture()
        let store = try fixture.open(StateStore.Configuration(maxReaders: 2, durability: .noSync, parallelCommit: true))
        try store.commit(version: 1, writes: writes([("a", "1")]))
        let first = try store.snapshot()
        let second = try store.snapshot()
        #expect(throws: StateStoreError.self) { try store.snapshot() }  // MDB_READERS_FULL
        let (root, profile) = try store.commitProfiled(version: 2, writes: writes([("a", "2"), ("b", "2")]))
        #expect(!profile.treeOverlapped)
        first.close()
        second.close()
        var replay = Replay()
        try replay.apply(version: 1, writes([("a", "1")]))
        #expect(root == (try replay.apply(version: 2, writes([("a", "2"), ("b", "2")]))))
        let (_, overlapped) = try store.commitProfiled(version: 3, writes: writes([("c", "3")]))
        #expect(overlapped.treeOverlapped)
    }
}
