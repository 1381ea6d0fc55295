/// Byte-order (LMDB key order, D4) comparisons of state keys, eight bytes at a time.
///
/// The same order as `lexicographicallyPrecedes` on `[UInt8]` (a proper prefix sorts first), which
/// compared byte by byte through generic code and dominated the sort of a round's writes.
enum ByteOrder {
    /// Whether `a` sorts strictly before `b`.
    @inline(__always)
    static func precedes(_ a: [UInt8], _ b: [UInt8]) -> Bool { compare(a, b) < 0 }

    /// Negative, zero or positive as `a` sorts before, equal to or after `b`.
    static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBytes { pa in
            b.withUnsafeBytes { pb in
                let common = min(pa.count, pb.count)
                var offset = 0
                while offset + 8 <= common {
                    let wa = UInt64(bigEndian: pa.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                    let wb = UInt64(bigEndian: pb.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                    if wa != wb { return wa < wb ? -1 : 1 }
                    offset += 8
                }
                while offset < common {
                    if pa[offset] != pb[offset] { return pa[offset] < pb[offset] ? -1 : 1 }
                    offset += 1
                }
                return pa.count == pb.count ? 0 : (pa.count < pb.count ? -1 : 1)
            }
        }
    }

    /// The first eight bytes of `key` as a big-endian integer, zero-padded: keys whose prefixes differ
    /// sort like their prefixes; equal prefixes need `compare`.
    @inline(__always)
    static func prefix(_ key: [UInt8]) -> UInt64 {
        key.withUnsafeBytes { p in
            if p.count >= 8 { return UInt64(bigEndian: p.loadUnaligned(as: UInt64.self)) }
            var word: UInt64 = 0
            for index in 0..<8 { word = word << 8 | UInt64(index < p.count ? p[index] : 0) }
            return word
        }
    }

    /// Sorts `writes` by key (keys are distinct), comparing integer prefixes first.
    static func sort(_ writes: inout [StateWrite]) {
        guard writes.count > 1 else { return }
        var order = writes.indices.map { (prefix: prefix(writes[$0].key), index: $0) }
        order.sort { a, b in
            if a.prefix != b.prefix { return a.prefix < b.prefix }
            return compare(writes[a.index].key, writes[b.index].key) < 0
        }
        writes = order.map { writes[$0.index] }
    }
}
