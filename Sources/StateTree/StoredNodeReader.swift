import Sodium

/// What the commit path made of a node read in place from the store (ADR 0032).
enum StoredNodeRead {
    /// An internal node, with the checks of `StateTree.loadNode`: its `count` children are in the
    /// caller's buffer.
    case internalNode(count: Int)
    /// A leaf holding the probe's key, with the checks of `StateTree.loadNode`; not copied out.
    /// `identical`: its value hash is the probe's (rule ST-22).
    case probedKey(identical: Bool)
    /// A leaf, with the checks of `StateTree.loadNode`, copied out.
    case leaf(LeafNode)
    /// Absent, not decodable, or a check failed: the caller reads the node again through
    /// `StateTree.loadNode`, which reports exactly why (as it always did).
    case unreadable
}

/// One put a stored leaf may hold the key of (the only update under the leaf's position).
struct LeafProbe {
    let keyHash: Digest256
    let key: [UInt8]
    let valueHash: Digest256
    let value: [UInt8]
}

/// Reads a node from the store's bytes in place — an LMDB map, not a copy — for the commit path
/// (ADR 0032). It accepts exactly the nodes `StateTree.loadNode` accepts, with the same checks under
/// the same `NodeVerification`, and answers `.unreadable` for anything else, so errors keep coming from
/// `loadNode`. Two checks are made by comparison instead of hashing, with the same outcome:
/// - a stored key equal, byte for byte, to the probe's key whose stored key hash is the probe's key
///   hash needs no hashing: the probe's key hash is BLAKE2b-256 of those very bytes;
/// - likewise a stored value equal to the probe's value with the probe's value hash.
enum StoredNodeReader {
    /// Reads `bytes` (nil: absent) as the node `ref`; an internal node's children go to `children`
    /// (room for 16).
    static func read(
        _ bytes: UnsafeRawBufferPointer?, ref: NodeRef, verification: StateTree.NodeVerification, probe: LeafProbe?,
        children: UnsafeMutablePointer<InternalNode.Child>
    ) -> StoredNodeRead {
        guard let bytes, let base = bytes.baseAddress, bytes.count >= 1 else { return .unreadable }
        switch bytes[0] {
        case Node.leafTag:
            return leaf(bytes, base: base, ref: ref, full: verification == .full, probe: probe)
        case Node.internalTag:
            return internalNode(bytes, base: base, ref: ref, full: verification == .full, into: children)
        default:
            return .unreadable
        }
    }

    /// Rule ST-4: `0x00 ‖ keyHash ‖ valueHash ‖ key length (u32 BE) ‖ key ‖ value length (u32 BE) ‖ value`.
    private static func leaf(
        _ bytes: UnsafeRawBufferPointer, base: UnsafeRawPointer, ref: NodeRef, full: Bool, probe: LeafProbe?
    ) -> StoredNodeRead {
        let count = bytes.count
        guard count >= 73 else { return .unreadable }
        let keyLength = Int(UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 65, as: UInt32.self)))
        guard keyLength <= count - 73 else { return .unreadable }
        let valueLength = Int(UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 69 + keyLength, as: UInt32.self)))
        guard 73 + keyLength + valueLength == count else { return .unreadable }
        let keyHash = Digest256(unsafeRaw: base + 1)
        let valueHash = Digest256(unsafeRaw: base + 33)
        guard ref.isLeaf != false, ref.key.path.isPrefix(of: keyHash) else { return .unreadable }
        let key = UnsafeRawBufferPointer(start: base + 69, count: keyLength)
        let value = UnsafeRawBufferPointer(start: base + 73 + keyLength, count: valueLength)
        var probed = false
        if let probe, probe.keyHash == keyHash {
            probed = probe.key.withUnsafeBytes { equal($0, key) }
        }
        if full {
            if !probed {
                guard Blake2b.hash256(raw: key) == keyHash else { return .unreadable }
            }
            let sameValue = probed && probe!.valueHash == valueHash && probe!.value.withUnsafeBytes { equal($0, value) }
            if !sameValue {
                guard Blake2b.hash256(raw: value) == valueHash else { return .unreadable }
            }
            guard TreeHash.leaf(keyHash: keyHash, valueHash: valueHash) == ref.hash else { return .unreadable }
        }
        if probed { return .probedKey(identical: probe!.valueHash == valueHash) }
        return .leaf(LeafNode(key: [UInt8](key), keyHash: keyHash, value: [UInt8](value), valueHash: valueHash))
    }

    /// Rule ST-5: `0x01 ‖ bitmap (u16 BE)` then, per child in nibble order,
    /// `version (u64 BE) ‖ kind ‖ hash`; at least one child, and never a lone leaf child (rule ST-3).
    private static func internalNode(
        _ bytes: UnsafeRawBufferPointer, base: UnsafeRawPointer, ref: NodeRef, full: Bool,
        into list: UnsafeMutablePointer<InternalNode.Child>
    ) -> StoredNodeRead {
        guard bytes.count >= 3 else { return .unreadable }
        let bitmap = UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: 1, as: UInt16.self))
        let children = bitmap.nonzeroBitCount
        guard bitmap != 0, bytes.count == 3 + 41 * children else { return .unreadable }
        guard ref.isLeaf != true, ref.key.path.count < NibblePath.maxCount else { return .unreadable }
        var offset = 3
        var count = 0
        for nibble in 0..<16 where bitmap & InternalNode.bit(nibble) != 0 {
            let version = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let kind = bytes[offset + 8]
            guard kind == Node.leafTag || kind == Node.internalTag, version <= ref.key.version else { return .unreadable }
            (list + count).initialize(to: InternalNode.Child(
                nibble: UInt8(nibble), version: version, hash: Digest256(unsafeRaw: base + offset + 9),
                isLeaf: kind == Node.leafTag))
            count += 1
            offset += 41
        }
        guard !(children == 1 && list[0].isLeaf) else { return .unreadable }
        if full {
            guard InternalNode.hash(of: UnsafeBufferPointer(start: list, count: count)) == ref.hash else { return .unreadable }
        }
        return .internalNode(count: count)
    }

    @inline(__always)
    private static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        a.count == b.count && a.elementsEqual(b)
    }
}
