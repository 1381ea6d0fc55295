import Sodium
import StateTree
import Testing

/// Pinned byte-level vectors (computed once, then frozen). A change here is a consensus change: every
/// validator's roots and every client's proofs depend on these bytes. Docs/spec/state-tree.md, appendix A.
@Suite("Golden vectors")
struct GoldenVectorTests {
    static let emptyRoot = "5f52a0e882dcca71115b81ea33bc57a4909c9fcda012445a7e0dae2af0fccfd5"
    static let root1 = "0425bc78bcaf9327e4611ab60c53ccae290c98fcddbe2efc369eb665e0d67c38"
    static let root2 = "9c2d19c72462d4b7114f8fa846539eb0e01293865ca50986651f3bd0026a1b8a"
    static let root3 = "b524d05fbcb04757d7f0e0c90fbe5988b37977189b293a730c68e454aa834cd6"
    static let root64 = "65a7873bdad802a352d60d69999edaf966f0fd6c60c052753801d12311a4f7a6"

    /// Inclusion of "alpha" ↦ "one" at version 2.
    static let alphaProof =
        "01" + "01" + "0361d8882af5db95b46fa6184216e3d1a9233f4614676dade6fc51dd30fd7589"
        + "d01c06cb09606bc4b2cedf4266a3a20e1e636b467cb77a9dbed595094e02ea46"
        + "01" + "8840"
        + "c95f69868353f1f570cbcbb0065e386a4169cd95b5fe624996c796a1fcb29b3d"
        + "adbd20531e2fb05478efa0a8aaa89be60a7667a25398cd9dc03949ea1848e883"
    /// Non-inclusion of "beta" at version 2: an empty slot (nibble c) in the root.
    static let betaProof =
        "01" + "00" + "01" + "8840"
        + "da00c908971e1977d0c5d4a4e0a05bb95fbad5f101ba9653bd1b0d9f7b864bf9"
        + "c95f69868353f1f570cbcbb0065e386a4169cd95b5fe624996c796a1fcb29b3d"
        + "adbd20531e2fb05478efa0a8aaa89be60a7667a25398cd9dc03949ea1848e883"
    /// Non-inclusion of "eta" at version 2: the leaf of "gamma" occupies the slot (nibble 9).
    static let etaProof =
        "01" + "01" + "9487973aa8e259a3b45c022e75f8fb67669aca0d2a070991061bf82c577ffbab"
        + "581348337b0f3e148620173daaa5f94d00d881705dcbf0aa83efdaba61d2ede1"
        + "01" + "8840"
        + "da00c908971e1977d0c5d4a4e0a05bb95fbad5f101ba9653bd1b0d9f7b864bf9"
        + "c95f69868353f1f570cbcbb0065e386a4169cd95b5fe624996c796a1fcb29b3d"

    static func batch1() -> [KeyUpdate] { [.put(b("alpha"), b("1")), .put(b("beta"), b("2")), .put(b("gamma"), b("3"))] }
    static func batch2() -> [KeyUpdate] { [.put(b("alpha"), b("one")), .delete(b("beta")), .put(b("delta"), b("4"))] }
    static func batch3() -> [KeyUpdate] { [.put(b("epsilon"), []), .delete(b("gamma"))] }

    /// The store after versions 1, 2 and 3.
    static func store() throws -> MemoryNodeStore {
        var store = MemoryNodeStore()
        let tree = StateTree()
        for (version, batch) in [(UInt64(1), batch1()), (2, batch2()), (3, batch3())] {
            try store.commit(tree.apply(version: version, updates: batch, in: store).batch)
        }
        return store
    }

    @Test("ST-8: the empty root is BLAKE2b-256 of the domain string")
    func emptyRoot() throws {
        #expect(TreeHash.emptyRoot.hex == Self.emptyRoot)
        #expect(Blake2b.hash256(b("ai-registry/state-tree/v1/empty")).hex == Self.emptyRoot)
        #expect(Hex.encode(ReferenceTree.root([])) == Self.emptyRoot)
    }

    @Test("ST-1, ST-2, ST-6: key hash, value hash and leaf hash")
    func leafHash() throws {
        #expect(TreeHash.keyHash(b("alpha")).hex == "0361d8882af5db95b46fa6184216e3d1a9233f4614676dade6fc51dd30fd7589")
        #expect(TreeHash.valueHash(b("one")).hex == "d01c06cb09606bc4b2cedf4266a3a20e1e636b467cb77a9dbed595094e02ea46")
        // A one-key tree's root is its leaf hash.
        let leaf = LeafNode(key: b("alpha"), value: b("one"))
        let expected = Blake2b.hash256([0x00] + leaf.keyHash.bytes + leaf.valueHash.bytes)
        #expect(leaf.hash == expected)
        var store = MemoryNodeStore()
        let (root, batch) = try StateTree().apply(version: 0, updates: [.put(b("alpha"), b("one"))], in: store)
        try store.commit(batch)
        #expect(root == expected)
    }

    @Test("Roots after three known batches")
    func roots() throws {
        let tree = StateTree()
        let store = try Self.store()
        #expect(try tree.rootHash(at: 1, in: store).hex == Self.root1)
        #expect(try tree.rootHash(at: 2, in: store).hex == Self.root2)
        #expect(try tree.rootHash(at: 3, in: store).hex == Self.root3)
        // The independent reference agrees.
        #expect(Hex.encode(ReferenceTree.root([(b("alpha"), b("1")), (b("beta"), b("2")), (b("gamma"), b("3"))])) == Self.root1)
        #expect(Hex.encode(ReferenceTree.root([(b("alpha"), b("one")), (b("delta"), b("4")), (b("gamma"), b("3"))])) == Self.root2)
        #expect(Hex.encode(ReferenceTree.root([(b("alpha"), b("one")), (b("delta"), b("4")), (b("epsilon"), [])])) == Self.root3)
    }

    @Test("Root of 64 keys (internal nodes down to depth 4)")
    func root64() throws {
        let pairs = (0..<64).map { i in (key: b("key-" + (i < 10 ? "0" : "") + "\(i)"), value: b("value-\(i)")) }
        let (root, batch) = try StateTree().apply(
            version: 7, updates: pairs.map { KeyUpdate.put($0.key, $0.value) }, in: MemoryNodeStore())
        #expect(root.hex == Self.root64)
        #expect(Hex.encode(ReferenceTree.root(pairs)) == Self.root64)
        #expect(batch.nodes.count == 88)
        #expect(batch.nodes.contains { $0.key.path.count == 4 })
    }

    @Test("ST-4, ST-5, ST-9: node and node key encodings of version 1")
    func nodeEncodings() throws {
        let (_, batch) = try StateTree().apply(version: 1, updates: Self.batch1(), in: MemoryNodeStore())
        let nodes = batch.nodes.map { (Hex.encode($0.key.encoded), Hex.encode($0.encoded)) }
        let expected: [(String, String)] = [
            ("000000000000000100",
             "01" + "8048"
                + "0000000000000001" + "00" + "8a02a5bb72fa54c9e3e2ff203e858f7f81ca637ae53f803b149298d7164f4110"
                + "0000000000000001" + "00" + "adbd20531e2fb05478efa0a8aaa89be60a7667a25398cd9dc03949ea1848e883"
                + "0000000000000001" + "00" + "7d0b268157ef4c10afe1e2f793ed3d8ca8a92208601944fdce3aa399fd6bb455"),
            ("00000000000000010100",
             "00" + "0361d8882af5db95b46fa6184216e3d1a9233f4614676dade6fc51dd30fd7589"
                + "92cdf578c47085a5992256f0dcf97d0b19f1f1c9de4d5fe30c3ace6191b6e5db"
                + "00000005" + "616c706861" + "00000001" + "31"),
            ("00000000000000010190",
             "00" + "9487973aa8e259a3b45c022e75f8fb67669aca0d2a070991061bf82c577ffbab"
                + "581348337b0f3e148620173daaa5f94d00d881705dcbf0aa83efdaba61d2ede1"
                + "00000005" + "67616d6d61" + "00000001" + "33"),
            ("000000000000000101c0",
             "00" + "c5d5048668514eae9d22b6f5a2628df7e4a548d2bfe26a13affed2f3b933b393"
                + "31237cdb79ae1dfa7ffb87cde7ea8a80352d300ee5ac758a6cddd19d671925ec"
                + "00000004" + "62657461" + "00000001" + "32"),
        ]
        #expect(nodes.count == expected.count)
        for (actual, pinned) in zip(nodes, expected) {
            #expect(actual.0 == pinned.0)
            #expect(actual.1 == pinned.1)
        }
        #expect(Hex.encode(batch.root.encoded) == "01" + "0000000000000001" + Self.root1)
    }

    @Test("ST-10, ST-11: stale entries and root record of version 2")
    func staleAndRootRecord() throws {
        var store = MemoryNodeStore()
        let tree = StateTree()
        try store.commit(tree.apply(version: 1, updates: Self.batch1(), in: store).batch)
        let (_, batch) = try tree.apply(version: 2, updates: Self.batch2(), in: store)
        #expect(batch.staleEntries.map { Hex.encode($0.encoded) } == [
            "0000000000000002" + "000000000000000100",
            "0000000000000002" + "00000000000000010100",
            "0000000000000002" + "0000000000000001" + "01c0",
        ])
        #expect(Hex.encode(batch.root.encoded) == "01" + "0000000000000002" + Self.root2)
        #expect(Hex.encode(batch.root.key) == "0000000000000002")
        #expect(Hex.encode(RootRecord.empty(version: 9).encoded) == "00")
    }

    @Test("ST-31: inclusion proof of alpha at version 2")
    func inclusionProof() throws {
        let (value, proof) = try StateTree().get(b("alpha"), at: 2, in: try Self.store())
        #expect(value == b("one"))
        #expect(Hex.encode(proof.encoded) == Self.alphaProof)
        let decoded = try StateProof(decoding: try hex(Self.alphaProof))
        try StateTree.verify(proof: decoded, root: try #require(Digest256(bytes: try hex(Self.root2))), key: b("alpha"), value: b("one"))
    }

    @Test("ST-31: non-inclusion proofs at version 2 (empty slot; another leaf)")
    func nonInclusionProofs() throws {
        let store = try Self.store()
        let root = try #require(Digest256(bytes: try hex(Self.root2)))
        let (beta, betaProof) = try StateTree().get(b("beta"), at: 2, in: store)
        #expect(beta == nil && betaProof.terminal == .empty)
        #expect(Hex.encode(betaProof.encoded) == Self.betaProof)
        try StateTree.verify(proof: try StateProof(decoding: try hex(Self.betaProof)), root: root, key: b("beta"), value: nil)

        let (eta, etaProof) = try StateTree().get(b("eta"), at: 2, in: store)
        #expect(eta == nil && !etaProof.isInclusion(of: b("eta")))
        #expect(Hex.encode(etaProof.encoded) == Self.etaProof)
        try StateTree.verify(proof: try StateProof(decoding: try hex(Self.etaProof)), root: root, key: b("eta"), value: nil)
    }
}
