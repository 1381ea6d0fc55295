import Sodium
@testable import StateTree
import Testing

/// ADR 0032: the commit path's in-place reader accepts exactly the stored nodes `StateTree.loadNode`
/// accepts, under both verifications, and reads them the same — over valid nodes and seeded damage
/// (flipped bytes, truncation, an extra byte, wrong references and probes).
@Suite("Stored node reader")
struct StoredNodeReaderTests {
    /// A store holding one node's bytes under every key.
    struct OneNodeStore: NodeStore {
        let bytes: [UInt8]?
        func node(_ key: NodeKey) throws(NodeStoreError) -> [UInt8]? { bytes }
        func rootRecord(version: UInt64) throws(NodeStoreError) -> [UInt8]? { nil }
        func latestVersion() throws(NodeStoreError) -> UInt64? { nil }
        func versions(from start: UInt64, limit: Int) throws(NodeStoreError) -> [UInt64] { [] }
        func staleEntries(staleSinceAtMost version: UInt64, limit: Int) throws(NodeStoreError) -> [[UInt8]] { [] }
    }

    static let version: UInt64 = 40

    static func leaf(_ rng: inout TreeTestRNG) -> LeafNode {
        LeafNode(key: rng.bytes(count: 1 + rng.below(40)), value: rng.bytes(count: rng.below(120)))
    }

    static func internalNode(_ rng: inout TreeTestRNG) -> InternalNode {
        var children: [InternalNode.Child] = []
        for nibble in 0..<16 where rng.chance(40) || (nibble == 15 && children.count < 2) {
            let hash = Digest256(w0: rng.next(), w1: rng.next(), w2: rng.next(), w3: rng.next())
            let version = UInt64(rng.below(Int(version) + 1))
            children.append(InternalNode.Child(nibble: UInt8(nibble), version: version, hash: hash, isLeaf: rng.chance(50)))
        }
        return InternalNode(children: children)
    }

    /// `bytes` damaged one way, chosen by `rng` (or left whole).
    static func damaged(_ bytes: [UInt8], _ rng: inout TreeTestRNG) -> [UInt8]? {
        var out = bytes
        switch rng.below(6) {
        case 0: return out
        case 1: out[rng.below(out.count)] ^= UInt8(1 << rng.below(8))
        case 2: out.removeLast(1 + rng.below(out.count))
        case 3: out.append(UInt8(truncatingIfNeeded: rng.next()))
        case 4: out[rng.below(min(out.count, 3))] ^= UInt8(1 << rng.below(8))  // tag or bitmap
        default: return nil  // absent
        }
        return out
    }

    /// Compares the reader with `loadNode` on one case; returns the reader's outcome.
    @discardableResult
    static func check(
        _ bytes: [UInt8]?, ref: NodeRef, verification: StateTree.NodeVerification, probe: LeafProbe?
    ) -> String {
        let expected: Node?
        do {
            expected = try StateTree.loadNode(ref, treeVersion: version, verification: verification, store: OneNodeStore(bytes: bytes))
        } catch {
            expected = nil
        }
        let children = UnsafeMutablePointer<InternalNode.Child>.allocate(capacity: 16)
        defer { children.deallocate() }
        let read: StoredNodeRead
        if let bytes {
            read = bytes.withUnsafeBytes {
                StoredNodeReader.read($0, ref: ref, verification: verification, probe: probe, children: children)
            }
        } else {
            read = StoredNodeReader.read(nil, ref: ref, verification: verification, probe: probe, children: children)
        }
        switch (expected, read) {
        case (nil, .unreadable):
            break
        case (.internal(let inner)?, .internalNode(let count)):
            #expect(Array(UnsafeBufferPointer(start: children, count: count)) == inner.children)
        case (.leaf(let leaf)?, .leaf(let read)):
            #expect(read == leaf)
            if let probe { #expect(!(probe.keyHash == leaf.keyHash && probe.key == leaf.key)) }
        case (.leaf(let leaf)?, .probedKey(let identical)):
            #expect(probe?.key == leaf.key && probe?.keyHash == leaf.keyHash)
            #expect(identical == (probe?.valueHash == leaf.valueHash))
        default:
            Issue.record("loadNode gave \(String(describing: expected)), the reader \(read)")
        }
        switch read {
        case .internalNode: return "internal"
        case .leaf: return "leaf"
        case .probedKey(let identical): return identical ? "identical put" : "put"
        case .unreadable: return "unreadable"
        }
    }

    @Test("valid and damaged nodes: the reader accepts what loadNode accepts and reads it the same", arguments: [1, 2, 3, 4] as [UInt64])
    func agreesWithLoadNode(seed: UInt64) {
        var rng = TreeTestRNG(seed: seed)
        var outcomes: [String: Int] = [:]
        for _ in 0..<600 {
            let isLeaf = rng.chance(50)
            let node: Node = isLeaf ? .leaf(Self.leaf(&rng)) : .internal(Self.internalNode(&rng))
            let bytes = Self.damaged(node.encoded, &rng)
            // The reference: mostly right, sometimes a wrong hash, kind, path or version.
            var hash = node.hash
            if rng.chance(10) { hash = Digest256(w0: rng.next(), w1: 0, w2: 0, w3: 0) }
            let refLeaf: Bool? = rng.chance(10) ? !isLeaf : (rng.chance(10) ? nil : isLeaf)
            var path = NibblePath()
            if case .leaf(let leaf) = node, rng.chance(80) {
                path = NibblePath(prefixOf: leaf.keyHash, count: rng.below(5))
            } else if rng.chance(50) {
                path = NibblePath(prefixOf: Digest256(w0: rng.next(), w1: 0, w2: 0, w3: 0), count: 1 + rng.below(4))
            }
            let keyVersion = rng.chance(10) ? UInt64(rng.below(Int(Self.version))) : Self.version
            let ref = NodeRef(key: NodeKey(version: keyVersion, path: path), hash: hash, isLeaf: refLeaf)
            // The probe: none, the leaf's own key (same or other value), or another key.
            var probe: LeafProbe? = nil
            if case .leaf(let leaf) = node {
                switch rng.below(4) {
                case 0: probe = nil
                case 1: probe = LeafProbe(keyHash: leaf.keyHash, key: leaf.key, valueHash: leaf.valueHash, value: leaf.value)
                case 2:
                    let value = rng.bytes(count: rng.below(50))
                    probe = LeafProbe(keyHash: leaf.keyHash, key: leaf.key, valueHash: TreeHash.valueHash(value), value: value)
                default:
                    let key = rng.bytes(count: 1 + rng.below(20))
                    probe = LeafProbe(keyHash: TreeHash.keyHash(key), key: key, valueHash: .zero, value: [])
                }
            }
            for verification in [StateTree.NodeVerification.full, .structural] {
                outcomes[Self.check(bytes, ref: ref, verification: verification, probe: probe), default: 0] += 1
            }
        }
        // Every outcome occurs: the cases reach each branch.
        for outcome in ["internal", "leaf", "identical put", "put", "unreadable"] {
            #expect((outcomes[outcome] ?? 0) > 0, "no case read as \(outcome): \(outcomes)")
        }
    }

    @Test("a probe whose key equals the stored key but whose key hash does not is not taken as the leaf's key")
    func probeNeedsBothKeyAndHash() {
        let leaf = LeafNode(key: [1, 2, 3], value: [4, 5])
        let ref = NodeRef(key: NodeKey(version: Self.version, path: NibblePath()), hash: leaf.hash, isLeaf: true)
        let probe = LeafProbe(keyHash: .zero, key: leaf.key, valueHash: leaf.valueHash, value: leaf.value)
        let children = UnsafeMutablePointer<InternalNode.Child>.allocate(capacity: 16)
        defer { children.deallocate() }
        let read = leaf.encoded.withUnsafeBytes {
            StoredNodeReader.read($0, ref: ref, verification: .full, probe: probe, children: children)
        }
        guard case .leaf(let read) = read else {
            Issue.record("expected the leaf, got \(read)")
            return
        }
        #expect(read == leaf)
    }
}
