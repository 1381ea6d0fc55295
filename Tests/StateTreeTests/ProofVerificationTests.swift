import Sodium
import StateTree
import Testing

/// ST-32, ST-33: verification accepts exactly the true claims and says why it rejects the others.
@Suite("Proof verification")
struct ProofVerificationTests {
    /// 300 keys: proofs have two or three levels.
    struct Fixture {
        let store: MemoryNodeStore
        let root: Digest256
        let keys: [[UInt8]]

        init() throws {
            var store = MemoryNodeStore()
            let keys = (0..<300).map { b("t-\($0)") }
            let (root, batch) = try StateTree().apply(
                version: 1, updates: sortedUpdates(keys.map { ($0, $0 + b("!")) }), in: store)
            try store.commit(batch)
            self.store = store
            self.root = root
            self.keys = keys
        }

        func proof(_ key: [UInt8]) throws -> StateProof { try StateTree().get(key, at: 1, in: store).proof }

        /// A present key whose proof has at least two levels.
        func deepKey() throws -> [UInt8] {
            try #require(try keys.first { try proof($0).levels.count >= 2 })
        }

        /// An absent key whose proof ends on `terminal` kind (empty slot or another leaf).
        func absentKey(endingOnLeaf: Bool) throws -> [UInt8] {
            for i in 0..<2000 {
                let key = b("absent-\(i)")
                if case .leaf = try proof(key).terminal { if endingOnLeaf { return key } } else if !endingOnLeaf { return key }
            }
            Issue.record("no absent key of the requested kind")
            return []
        }
    }

    @Test("Valid inclusion and non-inclusion proofs verify")
    func validProofs() throws {
        let f = try Fixture()
        for key in f.keys.prefix(50) { try StateTree.verify(proof: try f.proof(key), root: f.root, key: key, value: key + b("!")) }
        for leaf in [true, false] {
            let key = try f.absentKey(endingOnLeaf: leaf)
            try StateTree.verify(proof: try f.proof(key), root: f.root, key: key, value: nil)
        }
    }

    @Test("A flipped sibling byte gives rootMismatch")
    func flippedSibling() throws {
        let f = try Fixture()
        let key = try f.deepKey()
        var proof = try f.proof(key)
        var bytes = proof.levels[0].siblings[0].bytes
        bytes[5] ^= 0x01
        proof.levels[0].siblings[0] = try #require(Digest256(bytes: bytes))
        let error = #expect(throws: ProofVerificationError.self) {
            try StateTree.verify(proof: proof, root: f.root, key: key, value: key + b("!"))
        }
        guard case .rootMismatch(let expected, _) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(expected == f.root)
        // The same flip in the encoded proof is still well-formed bytes, and still fails.
        let decoded = try StateProof(decoding: proof.encoded)
        #expect(throws: ProofVerificationError.self) { try StateTree.verify(proof: decoded, root: f.root, key: key, value: key + b("!")) }
    }

    @Test("A dropped or extra sibling gives siblingCountMismatch; dropped bytes do not decode")
    func siblingCount() throws {
        let f = try Fixture()
        let key = try f.deepKey()
        let proof = try f.proof(key)
        var dropped = proof
        let count = dropped.levels[0].siblings.count
        dropped.levels[0].siblings.removeLast()
        #expect(throws: ProofVerificationError.siblingCountMismatch(level: 0, expected: count, actual: count - 1)) {
            try StateTree.verify(proof: dropped, root: f.root, key: key, value: key + b("!"))
        }
        var extra = proof
        extra.levels[1].siblings.append(.zero)
        let count1 = proof.levels[1].siblings.count
        #expect(throws: ProofVerificationError.siblingCountMismatch(level: 1, expected: count1, actual: count1 + 1)) {
            try StateTree.verify(proof: extra, root: f.root, key: key, value: key + b("!"))
        }
        // Removing 32 bytes of a sibling from the encoding is a decoding error, not a different proof.
        var bytes = proof.encoded
        bytes.removeSubrange((bytes.count - 32)..<bytes.count)
        #expect(throws: TreeDecodingError.self) { try StateProof(decoding: bytes) }
    }

    @Test("A changed leaf gives leafKeyMismatch or valueMismatch")
    func changedLeaf() throws {
        let f = try Fixture()
        let key = try f.deepKey()
        let proof = try f.proof(key)
        guard case .leaf(let keyHash, let valueHash) = proof.terminal else { Issue.record("not an inclusion proof"); return }
        var otherKey = proof
        let other = TreeHash.keyHash(b("someone else"))
        otherKey.terminal = .leaf(keyHash: other, valueHash: valueHash)
        #expect(throws: ProofVerificationError.leafKeyMismatch(keyHash: keyHash, leafKeyHash: other)) {
            try StateTree.verify(proof: otherKey, root: f.root, key: key, value: key + b("!"))
        }
        var otherValue = proof
        let forged = TreeHash.valueHash(b("forged"))
        otherValue.terminal = .leaf(keyHash: keyHash, valueHash: forged)
        #expect(throws: ProofVerificationError.valueMismatch(claimed: valueHash, proven: forged)) {
            try StateTree.verify(proof: otherValue, root: f.root, key: key, value: key + b("!"))
        }
        // A forged value hash with a matching claimed value still fails at the root.
        #expect(throws: ProofVerificationError.self) {
            try StateTree.verify(proof: otherValue, root: f.root, key: key, value: b("forged"))
        }
    }

    @Test("A tampered value gives valueMismatch; a wrong root gives rootMismatch")
    func tamperedValueAndWrongRoot() throws {
        let f = try Fixture()
        let key = try f.deepKey()
        let proof = try f.proof(key)
        #expect(throws: ProofVerificationError.valueMismatch(
            claimed: TreeHash.valueHash(key + b("?")), proven: TreeHash.valueHash(key + b("!")))) {
            try StateTree.verify(proof: proof, root: f.root, key: key, value: key + b("?"))
        }
        let wrongRoot = TreeHash.keyHash(b("not a root"))
        #expect(throws: ProofVerificationError.rootMismatch(expected: wrongRoot, computed: f.root)) {
            try StateTree.verify(proof: proof, root: wrongRoot, key: key, value: key + b("!"))
        }
        #expect(throws: ProofVerificationError.rootMismatch(expected: TreeHash.emptyRoot, computed: f.root)) {
            try StateTree.verify(proof: proof, root: TreeHash.emptyRoot, key: key, value: key + b("!"))
        }
    }

    @Test("Claims opposite to the proof: keyPresent, keyAbsent, leafKeyMismatch")
    func oppositeClaims() throws {
        let f = try Fixture()
        let present = try f.deepKey()
        #expect(throws: ProofVerificationError.keyPresent(valueHash: TreeHash.valueHash(present + b("!")))) {
            try StateTree.verify(proof: try f.proof(present), root: f.root, key: present, value: nil)
        }
        let emptySlot = try f.absentKey(endingOnLeaf: false)
        #expect(throws: ProofVerificationError.keyAbsent) {
            try StateTree.verify(proof: try f.proof(emptySlot), root: f.root, key: emptySlot, value: b("x"))
        }
        let otherLeaf = try f.absentKey(endingOnLeaf: true)
        let error = #expect(throws: ProofVerificationError.self) {
            try StateTree.verify(proof: try f.proof(otherLeaf), root: f.root, key: otherLeaf, value: b("x"))
        }
        guard case .leafKeyMismatch(let keyHash, _) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(keyHash == TreeHash.keyHash(otherLeaf))
    }

    @Test("A proof for one key does not prove absence of a key on another path")
    func leafNotOnPath() throws {
        let f = try Fixture()
        let present = try f.deepKey()
        let proof = try f.proof(present)
        let first = TreeHash.keyHash(present).nibble(at: 0)
        let stranger = try #require((0..<1000).map { b("s\($0)") }.first { TreeHash.keyHash($0).nibble(at: 0) != first })
        #expect(throws: ProofVerificationError.malformed(.leafNotOnPath(depth: proof.levels.count))) {
            try StateTree.verify(proof: proof, root: f.root, key: stranger, value: nil)
        }
    }

    @Test("Structural defects are reported as malformed")
    func malformed() throws {
        let key = b("k")
        let nibble = TreeHash.keyHash(key).nibble(at: 0)
        let leaf = StateProof.Terminal.leaf(keyHash: TreeHash.keyHash(key), valueHash: TreeHash.valueHash(b("v")))
        let other = (nibble + 1) % 16
        let root = TreeHash.emptyRoot

        let tooMany = StateProof(levels: Array(repeating: .init(bitmap: 0xFFFF, siblings: []), count: 65), terminal: .empty)
        #expect(throws: ProofVerificationError.malformed(.tooManyLevels(65))) {
            try StateTree.verify(proof: tooMany, root: root, key: key, value: nil)
        }
        let missingPath = StateProof(levels: [.init(bitmap: InternalNode.bit(other), siblings: [.zero])], terminal: leaf)
        #expect(throws: ProofVerificationError.malformed(.pathNotInBitmap(level: 0, nibble: nibble))) {
            try StateTree.verify(proof: missingPath, root: root, key: key, value: b("v"))
        }
        let occupied = StateProof(levels: [.init(bitmap: InternalNode.bit(nibble) | InternalNode.bit(other), siblings: [.zero])], terminal: .empty)
        #expect(throws: ProofVerificationError.malformed(.emptySlotInBitmap(level: 0, nibble: nibble))) {
            try StateTree.verify(proof: occupied, root: root, key: key, value: nil)
        }
        let childless = StateProof(levels: [.init(bitmap: 0, siblings: [])], terminal: .empty)
        #expect(throws: ProofVerificationError.malformed(.nodeWithoutChildren(level: 0))) {
            try StateTree.verify(proof: childless, root: root, key: key, value: nil)
        }
        let lonely = StateProof(levels: [.init(bitmap: InternalNode.bit(nibble), siblings: [])], terminal: leaf)
        #expect(throws: ProofVerificationError.malformed(.leafNotCollapsed(level: 0))) {
            try StateTree.verify(proof: lonely, root: root, key: key, value: b("v"))
        }
    }

    @Test("A proof of one version does not verify against another version's root")
    func otherVersionRoot() throws {
        var store = MemoryNodeStore()
        let tree = StateTree()
        let r1 = try tree.apply(version: 1, updates: sortedUpdates((0..<40).map { (b("x\($0)"), b("1")) }), in: store)
        try store.commit(r1.batch)
        let r2 = try tree.apply(version: 2, updates: [.put(b("x7"), b("2"))], in: store)
        try store.commit(r2.batch)
        let (_, proof) = try tree.get(b("x3"), at: 1, in: store)
        try StateTree.verify(proof: proof, root: r1.rootHash, key: b("x3"), value: b("1"))
        #expect(throws: ProofVerificationError.self) {
            try StateTree.verify(proof: proof, root: r2.rootHash, key: b("x3"), value: b("1"))
        }
    }
}
