import Sodium
import StateTree
import Testing

/// ST-15: corrupt or missing stored data is a typed error naming the version and the node key —
/// never a trap, never a silent "absent".
@Suite("Corrupt storage")
struct CorruptionTests {
    struct Fixture {
        var store = MemoryNodeStore()
        let tree = StateTree()
        let key = b("victim")

        init() throws {
            let keys = (0..<200).map { b("c\($0)") } + [key]
            try store.commit(tree.apply(version: 1, updates: sortedUpdates(keys.map { ($0, b("v1")) }), in: store).batch)
            try store.commit(tree.apply(version: 2, updates: sortedUpdates(keys.prefix(20).map { ($0, b("v2")) }), in: store).batch)
        }

        /// The keys of the nodes on the path of `key` at version 2, root first.
        func pathNodes() throws -> [NodeKey] {
            let keyHash = TreeHash.keyHash(key)
            let record = try tree.rootRecord(at: 2, in: store)
            var out: [NodeKey] = []
            var current = try #require(record.rootNodeKey)
            while true {
                out.append(current)
                guard case .internal(let inner) = try Node(decoding: try #require(try store.node(current))) else { return out }
                let nibble = keyHash.nibble(at: current.path.count)
                let child = try #require(inner.child(at: nibble))
                current = NodeKey(version: child.version, path: current.path.appending(nibble))
            }
        }
    }

    /// Runs `get` and `apply` touching the corrupt node and checks both report it.
    func expectCorrupt(
        _ f: Fixture, node: NodeKey, sourceLocation: SourceLocation = #_sourceLocation,
        _ check: (NodeCorruption) -> Bool
    ) {
        for operation in ["get", "apply"] {
            do {
                if operation == "get" {
                    _ = try f.tree.get(f.key, at: 2, in: f.store)
                } else {
                    _ = try f.tree.apply(version: 3, updates: [.put(f.key, b("new"))], in: f.store)
                }
                Issue.record("\(operation) succeeded over a corrupt node", sourceLocation: sourceLocation)
            } catch .corruptNode(let key, let version, let reason) {
                #expect(key == node, sourceLocation: sourceLocation)
                #expect(version == 2, sourceLocation: sourceLocation)
                #expect(check(reason), "\(reason)", sourceLocation: sourceLocation)
                let text = "\(StateTreeError.corruptNode(key: key, version: version, reason: reason))"
                #expect(text.contains("version \(node.version)") && text.contains("\"\(node.path)\""), sourceLocation: sourceLocation)
            } catch {
                Issue.record("\(operation): unexpected \(error)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("Truncated node bytes")
    func truncated() throws {
        var f = try Fixture()
        let nodes = try f.pathNodes()
        #expect(nodes.count >= 2)
        let victim = nodes[1]
        let bytes = try #require(try f.store.node(victim))
        f.store.replaceNode(victim, with: Array(bytes.prefix(bytes.count - 3)))
        expectCorrupt(f, node: victim) { if case .undecodable(let e) = $0 { return e.reason.isTruncation } else { return false } }
    }

    @Test("A flipped byte in an internal node's child hash")
    func flippedChildHash() throws {
        var f = try Fixture()
        let victim = try f.pathNodes()[0]
        var bytes = try #require(try f.store.node(victim))
        bytes[3 + 9 + 4] ^= 0x40  // first child's hash
        f.store.replaceNode(victim, with: bytes)
        expectCorrupt(f, node: victim) { if case .hashMismatch = $0 { return true } else { return false } }
    }

    @Test("A flipped byte in a leaf's value")
    func flippedLeafValue() throws {
        var f = try Fixture()
        let victim = try #require(try f.pathNodes().last)
        var bytes = try #require(try f.store.node(victim))
        bytes[bytes.count - 1] ^= 0x01
        f.store.replaceNode(victim, with: bytes)
        expectCorrupt(f, node: victim) {
            if case .undecodable(let e) = $0 { return e.reason == .hashMismatch && e.field == "valueHash" } else { return false }
        }
    }

    @Test("Another valid leaf stored in a leaf's place")
    func swappedLeaf() throws {
        var f = try Fixture()
        let victim = try #require(try f.pathNodes().last)
        f.store.replaceNode(victim, with: LeafNode(key: b("intruder"), value: b("x")).encoded)
        expectCorrupt(f, node: victim) {
            switch $0 {
            case .leafOffPath, .hashMismatch: return true
            default: return false
            }
        }
    }

    @Test("A leaf stored where an internal node belongs")
    func wrongKind() throws {
        var f = try Fixture()
        let nodes = try f.pathNodes()
        let victim = nodes[1]
        let leafKey = try #require(nodes.last)
        let leafBytes = try #require(try f.store.node(leafKey))
        f.store.replaceNode(victim, with: leafBytes)
        expectCorrupt(f, node: victim) { $0 == .kindMismatch(expectedLeaf: false) || $0 == .leafOffPath }
    }

    @Test("A missing node is missingNode, not absent")
    func missing() throws {
        var f = try Fixture()
        let victim = try f.pathNodes()[1]
        f.store.replaceNode(victim, with: nil)
        #expect(throws: StateTreeError.missingNode(key: victim, version: 2)) { try f.tree.get(f.key, at: 2, in: f.store) }
        #expect(throws: StateTreeError.missingNode(key: victim, version: 2)) {
            try f.tree.apply(version: 3, updates: [.delete(f.key)], in: f.store)
        }
    }

    @Test("A corrupt root record")
    func rootRecord() throws {
        var f = try Fixture()
        f.store.replaceRootRecord(version: 2, with: [0x01, 0x02])
        let error = #expect(throws: StateTreeError.self) { try f.tree.rootHash(at: 2, in: f.store) }
        guard case .corruptRootRecord(let version, let reason) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(version == 2 && reason.field == "rootNodeVersion")
        #expect(throws: StateTreeError.self) { try f.tree.apply(version: 3, updates: [], in: f.store) }
    }

    @Test("A corrupt stale index entry stops pruning")
    func staleEntry() throws {
        var f = try Fixture()
        f.store.insertRawStaleEntry([0, 0, 0, 0, 0, 0, 0, 1, 0x05])
        let error = #expect(throws: StateTreeError.self) { try f.tree.pruneBatch(firstRetained: 2, in: f.store) }
        guard case .corruptStaleEntry(let bytes, _) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(bytes == [0, 0, 0, 0, 0, 0, 0, 1, 0x05])
    }

    @Test("Random byte damage never traps: every read either succeeds or throws a typed error")
    func randomDamage() throws {
        var rng = TreeTestRNG(seed: 77)
        let clean = try Fixture()
        let nodes = try clean.pathNodes()
        for _ in 0..<200 {
            var f = clean
            let victim = nodes[rng.below(nodes.count)]
            var bytes = try #require(try f.store.node(victim))
            switch rng.below(3) {
            case 0: bytes[rng.below(bytes.count)] ^= UInt8(1 + rng.below(255))
            case 1: bytes = Array(bytes.prefix(rng.below(bytes.count)))
            default: bytes.append(UInt8(truncatingIfNeeded: rng.next()))
            }
            f.store.replaceNode(victim, with: bytes)
            #expect(throws: StateTreeError.self) { try f.tree.get(f.key, at: 2, in: f.store) }
        }
    }
}

extension CorruptionTests {
    @Test("Structural apply checks: same roots; still rejects undecodable bytes; get still re-hashes")
    func structuralVerification() throws {
        var f = try Fixture()
        let structural = StateTree(applyVerification: .structural)
        let update: [KeyUpdate] = [.put(f.key, b("new"))]
        #expect(try structural.apply(version: 3, updates: update, in: f.store).rootHash
            == (try f.tree.apply(version: 3, updates: update, in: f.store).rootHash))

        let nodes = try f.pathNodes()
        // A flipped child hash inside the root is not re-hashed by a structural apply …
        var bytes = try #require(try f.store.node(nodes[0]))
        bytes[3 + 9 + 4] ^= 0x40
        var flipped = f
        flipped.store.replaceNode(nodes[0], with: bytes)
        _ = try structural.apply(version: 3, updates: update, in: flipped.store)
        // … but a full apply and every get report it.
        #expect(throws: StateTreeError.self) { try f.tree.apply(version: 3, updates: update, in: flipped.store) }
        #expect(throws: StateTreeError.self) { try structural.get(f.key, at: 2, in: flipped.store) }

        // Undecodable bytes are an error in both modes.
        f.store.replaceNode(nodes[1], with: [0x01, 0x00])
        #expect(throws: StateTreeError.self) { try structural.apply(version: 3, updates: update, in: f.store) }
    }
}

extension TreeDecodingError.Reason {
    var isTruncation: Bool {
        if case .truncated = self { return true }
        return false
    }
}
