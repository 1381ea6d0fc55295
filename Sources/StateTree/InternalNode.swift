import Sodium

/// An internal node: up to 16 children indexed by the next nibble of the key hash (rule ST-5).
///
/// Canonical shape (rule ST-3): an internal node has at least two children, or exactly one child that
/// is itself an internal node; a lone leaf is always lifted to its parent's position.
public struct InternalNode: Equatable, Sendable {
    /// A reference from an internal node to one child.
    public struct Child: Equatable, Sendable {
        // Declared widest first so that a child takes 48 bytes, not 56 (ADR 0031).
        /// The child's node hash.
        public let hash: Digest256
        /// The version of the child's node key; its path is the parent's path plus `nibble`.
        public let version: UInt64
        /// The nibble under which the child sits (0...15).
        public let nibble: UInt8
        /// True when the child is a leaf.
        public let isLeaf: Bool

        public init(nibble: UInt8, version: UInt64, hash: Digest256, isLeaf: Bool) {
            self.nibble = nibble
            self.version = version
            self.hash = hash
            self.isLeaf = isLeaf
        }
    }

    /// The present children in ascending nibble order.
    public let children: [Child]

    /// A node from children in strictly ascending nibble order (the caller guarantees it).
    public init(children: [Child]) {
        self.children = children
    }

    /// Bit `n` is set when a child sits under nibble `n`; nibble 0 is the most significant bit.
    public var bitmap: UInt16 { children.withUnsafeBufferPointer { InternalNode.bitmap(of: $0) } }

    /// The bitmap bit of nibble `n` (rule ST-5: nibble 0 is bit 15, the most significant).
    @inline(__always)
    public static func bit(_ nibble: Int) -> UInt16 { UInt16(0x8000) >> UInt16(nibble & 0xF) }

    /// The child under `nibble`, if present.
    public func child(at nibble: Int) -> Child? {
        for child in children where Int(child.nibble) == nibble { return child }
        return nil
    }

    /// The node hash (rule ST-7).
    public var hash: Digest256 { children.withUnsafeBufferPointer { InternalNode.hash(of: $0) } }

    /// The canonical bytes (rule ST-5): `0x01 ‖ bitmap (u16 BE)` then, per present child in nibble
    /// order, `version (u64 BE) ‖ kind (0x00 leaf, 0x01 internal) ‖ hash (32)`.
    public var encoded: [UInt8] { InternalNode.encode(children) }

    /// The bitmap of `children` (see `bitmap`).
    @inline(__always)
    static func bitmap(of children: UnsafeBufferPointer<Child>) -> UInt16 {
        var bits: UInt16 = 0
        for child in children { bits |= InternalNode.bit(Int(child.nibble)) }
        return bits
    }

    /// The node hash of a node with `children` (in ascending nibble order), without building the node.
    /// The children are read in place (an array's buffer, a node cache slot's, the commit path's scratch).
    static func hash(of children: UnsafeBufferPointer<Child>) -> Digest256 {
        // The preimage of `TreeHash.internal(bitmap:hashes:)`, written directly (no copy of the hashes).
        let bitmap = InternalNode.bitmap(of: children)
        return withUnsafeTemporaryAllocation(byteCount: 3 + 32 * 16, alignment: 8) { buffer in
            let base = buffer.baseAddress!
            base.storeBytes(of: TreeHash.internalTag, as: UInt8.self)
            base.storeBytes(of: UInt8(truncatingIfNeeded: bitmap >> 8), toByteOffset: 1, as: UInt8.self)
            base.storeBytes(of: UInt8(truncatingIfNeeded: bitmap), toByteOffset: 2, as: UInt8.self)
            let count = min(children.count, 16)
            for i in 0..<count { children[i].hash.store(to: base + 3 + 32 * i) }
            return Blake2b.hash256(raw: UnsafeRawBufferPointer(rebasing: buffer[0..<(3 + 32 * count)]))
        }
    }

    /// The canonical bytes of a node with `children` (in ascending nibble order), without building it.
    static func encode(_ children: [Child]) -> [UInt8] {
        let total = 3 + 41 * children.count
        return [UInt8](unsafeUninitializedCapacity: total) { buffer, count in
            children.withUnsafeBufferPointer { write($0, to: UnsafeMutableRawPointer(buffer.baseAddress!)) }
            count = total
        }
    }

    /// Appends the canonical bytes of a node with `children` to `out` (see `encode(_:)`).
    static func encode(_ children: UnsafeBufferPointer<Child>, appendingTo out: inout [UInt8]) {
        let total = 3 + 41 * children.count
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: total))
        out.withUnsafeMutableBytes { raw in write(children, to: raw.baseAddress! + start) }
    }

    /// Writes the `3 + 41 * children.count` canonical bytes of a node with `children` at `base`.
    private static func write(_ children: UnsafeBufferPointer<Child>, to base: UnsafeMutableRawPointer) {
        base.storeBytes(of: Node.internalTag, as: UInt8.self)
        base.storeBytes(of: InternalNode.bitmap(of: children).bigEndian, toByteOffset: 1, as: UInt16.self)
        var offset = 3
        for child in children {
            base.storeBytes(of: child.version.bigEndian, toByteOffset: offset, as: UInt64.self)
            base.storeBytes(of: child.isLeaf ? Node.leafTag : Node.internalTag, toByteOffset: offset + 8, as: UInt8.self)
            child.hash.store(to: base + offset + 9)
            offset += 41
        }
    }

    /// Reads the fields after the tag; rejects an empty bitmap and a lone leaf child (rule ST-3).
    init(readingBody reader: inout ByteReader) throws(TreeDecodingError) {
        let bitmapOffset = reader.offset
        let bitmap = try reader.u16("bitmap")
        guard bitmap != 0 else { throw reader.error("bitmap", .outOfRange(0), at: bitmapOffset) }
        var children: [Child] = []
        children.reserveCapacity(bitmap.nonzeroBitCount)
        for nibble in 0..<16 where bitmap & InternalNode.bit(nibble) != 0 {
            let version = try reader.u64("child[\(nibble)].version")
            let kindOffset = reader.offset
            let kind = try reader.u8("child[\(nibble)].kind")
            guard kind == Node.leafTag || kind == Node.internalTag else {
                throw reader.error("child[\(nibble)].kind", .unknownTag(kind), at: kindOffset)
            }
            let hash = try reader.digest("child[\(nibble)].hash")
            children.append(Child(nibble: UInt8(nibble), version: version, hash: hash, isLeaf: kind == Node.leafTag))
        }
        if children.count == 1 && children[0].isLeaf {
            throw reader.error("bitmap", .nonCanonical, at: bitmapOffset)
        }
        self.init(children: children)
    }
}
