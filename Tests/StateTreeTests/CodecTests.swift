import Sodium
import StateTree
import Testing

/// Canonical encodings round-trip and decoders reject every malformed or non-canonical input with a
/// typed error naming the field (rules ST-4, ST-5, ST-9, ST-10, ST-11, ST-31).
@Suite("Codecs")
struct CodecTests {
    func expectDecodeError(
        _ field: String, _ reason: TreeDecodingError.Reason, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws -> Void
    ) {
        do {
            try body()
            Issue.record("decoded without error", sourceLocation: sourceLocation)
        } catch let error as TreeDecodingError {
            #expect(error.field == field, "\(error)", sourceLocation: sourceLocation)
            #expect(error.reason == reason, "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    /// Hex written in this file (an empty array on a typo, which the decoders then reject).
    func x(_ text: String) -> [UInt8] { Hex.decode(text) ?? [] }

    @Test("ST-3, ST-9: nibble paths and node keys round-trip; key order is byte order")
    func nodeKeys() throws {
        var rng = TreeTestRNG(seed: 9)
        var keys: [NodeKey] = []
        for count in 0...64 {
            let digest = try #require(Digest256(bytes: rng.bytes(count: 32)))
            let path = NibblePath(prefixOf: digest, count: count)
            #expect(path.count == count)
            #expect(path.isPrefix(of: digest))
            #expect(path.nibbles.map(Int.init) == (0..<count).map { digest.nibble(at: $0) })
            #expect(NibblePath(nibbles: path.nibbles) == path)
            let key = NodeKey(version: rng.next() % 4, path: path)
            #expect(key.encoded.count == NodeKey.encodedCount(nibbleCount: count))
            #expect(try NodeKey(decoding: key.encoded) == key)
            keys.append(key)
        }
        for a in keys {
            for c in keys { #expect((a < c) == a.encoded.lexicographicallyPrecedes(c.encoded)) }
        }
        #expect(Hex.encode(NodeKey(version: 0x0102, path: NibblePath(nibbles: [0xa, 0xb, 0xc])!).encoded)
            == "0000000000000102" + "03" + "abc0")
        #expect(NibblePath(nibbles: [16]) == nil)
        #expect(NibblePath(nibbles: Array(repeating: 1, count: 65)) == nil)
    }

    @Test("Node key decoding rejects bad bytes")
    func nodeKeyRejects() throws {
        expectDecodeError("nibbleCount", .outOfRange(65)) { _ = try NodeKey(decoding: x("0000000000000001" + "41") + [UInt8](repeating: 0, count: 33)) }
        expectDecodeError("nibbles", .nonCanonical) { _ = try NodeKey(decoding: x("0000000000000001" + "03" + "abc1")) }
        expectDecodeError("nibbles", .truncated(needed: 2, available: 1)) { _ = try NodeKey(decoding: x("0000000000000001" + "03" + "ab")) }
        expectDecodeError("end", .trailingBytes(count: 1)) { _ = try NodeKey(decoding: x("0000000000000001" + "00" + "00")) }
        expectDecodeError("version", .truncated(needed: 8, available: 3)) { _ = try NodeKey(decoding: [0, 0, 0]) }
    }

    @Test("ST-11: stale index entries round-trip; order is byte order")
    func staleEntries() throws {
        let a = StaleNodeIndex(staleSince: 5, nodeKey: NodeKey(version: 4, path: NibblePath(nibbles: [1])!))
        let c = StaleNodeIndex(staleSince: 5, nodeKey: NodeKey(version: 4, path: NibblePath(nibbles: [1, 0])!))
        let d = StaleNodeIndex(staleSince: 6, nodeKey: .root(0))
        for entry in [a, c, d] { #expect(try StaleNodeIndex(decoding: entry.encoded) == entry) }
        #expect(a < c && c < d)
        #expect(a.encoded.lexicographicallyPrecedes(c.encoded) && c.encoded.lexicographicallyPrecedes(d.encoded))
        expectDecodeError("end", .trailingBytes(count: 1)) { _ = try StaleNodeIndex(decoding: d.encoded + [0]) }
    }

    @Test("ST-10: root records round-trip and reject bad bytes")
    func rootRecords() throws {
        let record = RootRecord(version: 9, rootNodeVersion: 7, rootHash: TreeHash.keyHash(b("r")))
        #expect(try RootRecord(version: 9, decoding: record.encoded) == record)
        #expect(try RootRecord(version: 3, decoding: [0x00]) == .empty(version: 3))
        expectDecodeError("tag", .unknownTag(2)) { _ = try RootRecord(version: 9, decoding: [0x02]) }
        expectDecodeError("rootNodeVersion", .outOfRange(7)) { _ = try RootRecord(version: 6, decoding: record.encoded) }
        expectDecodeError("end", .trailingBytes(count: 1)) { _ = try RootRecord(version: 9, decoding: [0x00, 0x00]) }
        expectDecodeError("rootHash", .truncated(needed: 32, available: 31)) {
            _ = try RootRecord(version: 9, decoding: Array(record.encoded.dropLast()))
        }
    }

    @Test("ST-4: leaves round-trip; decoding checks both hashes and every length")
    func leaves() throws {
        let leaf = LeafNode(key: b("model/1"), value: b("{…}"))
        #expect(try Node(decoding: leaf.encoded) == .leaf(leaf))
        var flipped = leaf.encoded
        flipped[flipped.count - 1] ^= 1
        expectDecodeError("valueHash", .hashMismatch) { _ = try Node(decoding: flipped) }
        var keyFlipped = leaf.encoded
        keyFlipped[69 + 1] ^= 1
        expectDecodeError("keyHash", .hashMismatch) { _ = try Node(decoding: keyFlipped) }
        var huge = leaf.encoded
        huge.replaceSubrange(65..<69, with: [0xFF, 0xFF, 0xFF, 0xFF])
        expectDecodeError("key", .truncated(needed: Int(UInt32.max), available: huge.count - 69)) { _ = try Node(decoding: huge) }
        expectDecodeError("end", .trailingBytes(count: 1)) { _ = try Node(decoding: leaf.encoded + [0]) }
        expectDecodeError("tag", .unknownTag(7)) { _ = try Node(decoding: [7]) }
        expectDecodeError("tag", .truncated(needed: 1, available: 0)) { _ = try Node(decoding: []) }
    }

    @Test("ST-5: internal nodes round-trip; decoding rejects non-canonical shapes")
    func internalNodes() throws {
        let h = TreeHash.keyHash(b("child"))
        let node = InternalNode(children: [
            .init(nibble: 0, version: 1, hash: h, isLeaf: true),
            .init(nibble: 15, version: 2, hash: h, isLeaf: false),
        ])
        #expect(node.bitmap == 0x8001)
        #expect(try Node(decoding: node.encoded) == .internal(node))
        expectDecodeError("bitmap", .outOfRange(0)) { _ = try Node(decoding: [0x01, 0x00, 0x00]) }
        let lone = InternalNode(children: [.init(nibble: 3, version: 1, hash: h, isLeaf: true)])
        expectDecodeError("bitmap", .nonCanonical) { _ = try Node(decoding: lone.encoded) }
        let chain = InternalNode(children: [.init(nibble: 3, version: 1, hash: h, isLeaf: false)])
        #expect(try Node(decoding: chain.encoded) == .internal(chain))
        var badKind = node.encoded
        badKind[3 + 8] = 0x05
        expectDecodeError("child[0].kind", .unknownTag(5)) { _ = try Node(decoding: badKind) }
        expectDecodeError("child[15].hash", .truncated(needed: 32, available: 31)) { _ = try Node(decoding: Array(node.encoded.dropLast())) }
        expectDecodeError("end", .trailingBytes(count: 2)) { _ = try Node(decoding: node.encoded + [0, 0]) }
    }

    @Test("ST-31: proofs round-trip; decoding rejects bad bytes")
    func proofs() throws {
        var rng = TreeTestRNG(seed: 31)
        for _ in 0..<50 {
            let leafTerminal = rng.chance(50)
            let levelCount = rng.below(6) + (leafTerminal ? 0 : 1)
            var levels: [StateProof.Level] = []
            for index in 0..<levelCount {
                var bitmap = UInt16(truncatingIfNeeded: rng.next()) | 1
                if bitmap.nonzeroBitCount < 2 { bitmap |= 0x8000 }
                let onPath = !(index == levelCount - 1 && !leafTerminal)
                let siblings = (0..<(bitmap.nonzeroBitCount - (onPath ? 1 : 0))).map { _ in
                    Digest256(w0: rng.next(), w1: rng.next(), w2: rng.next(), w3: rng.next())
                }
                levels.append(.init(bitmap: bitmap, siblings: siblings))
            }
            let terminal: StateProof.Terminal = leafTerminal
                ? .leaf(keyHash: Digest256(w0: rng.next(), w1: 0, w2: 0, w3: 1), valueHash: .zero) : .empty
            let proof = StateProof(levels: levels, terminal: terminal)
            #expect(try StateProof(decoding: proof.encoded) == proof)
        }
        let empty = StateProof(levels: [], terminal: .empty)
        #expect(empty.encoded == [0x01, 0x00, 0x00])
        expectDecodeError("format", .unknownTag(2)) { _ = try StateProof(decoding: [0x02, 0x00, 0x00]) }
        expectDecodeError("terminal", .unknownTag(3)) { _ = try StateProof(decoding: [0x01, 0x03, 0x00]) }
        expectDecodeError("levelCount", .outOfRange(65)) { _ = try StateProof(decoding: [0x01, 0x00, 65]) }
        expectDecodeError("end", .trailingBytes(count: 1)) { _ = try StateProof(decoding: [0x01, 0x00, 0x00, 0x00]) }
        // A non-last level must hold the path: its bitmap cannot be zero.
        expectDecodeError("levels[0].bitmap", .outOfRange(0)) { _ = try StateProof(decoding: [0x01, 0x00, 0x02, 0x00, 0x00, 0x80, 0x00]) }
        // Bitmap 0x8001 on the last level of an empty-slot proof needs two siblings.
        expectDecodeError("levels[0].siblings", .truncated(needed: 64, available: 32)) {
            _ = try StateProof(decoding: [0x01, 0x00, 0x01, 0x80, 0x01] + [UInt8](repeating: 7, count: 32))
        }
    }
}
