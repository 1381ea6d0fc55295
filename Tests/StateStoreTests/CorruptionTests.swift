import Sodium
import StateStore
import StateTree
import Testing

/// ST-15 through the store: damaged bytes on disk are typed errors naming the version and the node
/// key, never a crash and never a silent nil.
@Suite("StateStore · corruption")
struct CorruptionTests {
    /// Versions 1 (200 keys) and 2 (20 of them changed), written and closed.
    static func fixture() throws -> (StoreFixture, Replay) {
        let fixture = StoreFixture()
        var replay = Replay()
        let store = try fixture.open()
        let keys = (0..<200).map { b("c\($0)") }
        let v1 = sortedWrites(keys.map { ($0, b("v1")) })
        let v2 = sortedWrites(keys.prefix(20).map { ($0, b("v2")) })
        try store.commit(version: 1, writes: v1)
        try store.commit(version: 2, writes: v2)
        try replay.apply(version: 1, v1)
        try replay.apply(version: 2, v2)
        return (fixture, replay)
    }

    /// A leaf written at version 2 and the key it holds.
    static func leafOfVersion2(_ fixture: StoreFixture) throws -> (NodeKey, LeafNode) {
        for key in try RawStore.nodeKeys(at: fixture.path, version: 2) where !key.path.isEmpty {
            let bytes = try #require(try RawStore.node(at: fixture.path, key))
            if case .leaf(let leaf) = try Node(decoding: bytes) { return (key, leaf) }
        }
        throw CorruptionTestFailure.noLeaf
    }

    enum CorruptionTestFailure: Error { case noLeaf }

    @Test("garbage under the root node key: get and commit name the node and version")
    func garbageRoot() throws {
        let (fixture, replay) = try Self.fixture()
        try RawStore.replaceNode(at: fixture.path, .root(2), with: [0x07, 0xFF, 0x00])
        let store = try fixture.open()
        let snapshot = try store.snapshot()
        do {
            _ = try snapshot.get(b("c5"), version: 2)
            Issue.record("get read through a garbage root")
        } catch .tree(let operation, .corruptNode(let key, let version, let reason)) {
            #expect(operation == "get" && key == .root(2) && version == 2)
            if case .undecodable = reason {} else { Issue.record("reason \(reason)") }
            let text = "\(StateStoreError.tree(operation: operation, error: .corruptNode(key: key, version: version, reason: reason)))"
            #expect(text.contains("version 2"))
        } catch {
            Issue.record("unexpected \(error)")
        }
        // Version 1 does not use that node; the flat state does not either.
        let (value, proof) = try snapshot.get(b("c5"), version: 1)
        try StateTree.verify(proof: proof, root: try #require(replay.roots[1]), key: b("c5"), value: value)
        #expect(try snapshot.value(b("c5")) == b("v2"))
        snapshot.close()
        #expect(throws: StateStoreError.tree(operation: "commit", error: .corruptNode(
            key: .root(2), version: 2, reason: .undecodable(try undecodableReason([0x07, 0xFF, 0x00]))))) {
            try store.commit(version: 3, writes: sortedWrites([(b("c5"), b("v3"))]))
        }
        #expect(try store.latestVersion() == 2)
    }

    @Test("a flipped value byte in a leaf: get names the leaf's node key and version")
    func flippedLeafValue() throws {
        let (fixture, _) = try Self.fixture()
        let (nodeKey, leaf) = try Self.leafOfVersion2(fixture)
        var bytes = try #require(try RawStore.node(at: fixture.path, nodeKey))
        bytes[bytes.count - 1] ^= 0x01  // the last byte of the value
        try RawStore.replaceNode(at: fixture.path, nodeKey, with: bytes)
        let store = try fixture.open()
        try store.withSnapshot { (snapshot) throws in
            #expect {
                try snapshot.get(leaf.key, version: 2)
            } throws: { error in
                guard case .tree("get", .corruptNode(let key, let version, _)) = error as? StateStoreError else { return false }
                return key == nodeKey && version == 2
            }
        }
    }

    @Test("a missing node is missingNode naming the key and version")
    func missingNode() throws {
        let (fixture, _) = try Self.fixture()
        let (nodeKey, leaf) = try Self.leafOfVersion2(fixture)
        try RawStore.replaceNode(at: fixture.path, nodeKey, with: nil)
        let store = try fixture.open()
        try store.withSnapshot { (snapshot) throws in
            #expect(throws: StateStoreError.tree(operation: "get", error: .missingNode(key: nodeKey, version: 2))) {
                try snapshot.get(leaf.key, version: 2)
            }
        }
    }

    @Test("damaged or foreign store metadata is refused at open")
    func badMeta() throws {
        let (fixture, _) = try Self.fixture()
        try RawStore.replaceMeta(at: fixture.path, b("store.latest"), with: [0, 0, 0, 1])
        #expect(throws: StateStoreError.corruptStore(operation: "snapshot", reason: "meta store.latest has 4 bytes, not 8")) {
            try fixture.open()
        }
        try RawStore.replaceMeta(at: fixture.path, b("store.latest"), with: [0, 0, 0, 0, 0, 0, 0, 1])
        #expect {
            try fixture.open()
        } throws: { error in
            guard case .corruptStore("open", let reason) = error as? StateStoreError else { return false }
            return reason.contains("store.latest is 1") && reason.contains("last root record is 2")
        }
        try RawStore.replaceMeta(at: fixture.path, b("store.latest"), with: [0, 0, 0, 0, 0, 0, 0, 2])
        try RawStore.replaceMeta(at: fixture.path, b("store.schema"), with: [0, 0, 0, 9])
        #expect(throws: StateStoreError.unsupportedSchema(found: 9, supported: StateStore.schemaVersion)) {
            try fixture.open()
        }
        try RawStore.replaceMeta(at: fixture.path, b("store.schema"), with: nil)
        #expect(throws: StateStoreError.corruptStore(operation: "open", reason: "meta store.schema is missing from a store with data")) {
            try fixture.open()
        }
    }

    /// The decoding error the tree reports for `bytes`.
    func undecodableReason(_ bytes: [UInt8]) throws -> TreeDecodingError {
        do {
            _ = try Node(decoding: bytes)
        } catch {
            return error
        }
        throw CorruptionTestFailure.noLeaf
    }
}
