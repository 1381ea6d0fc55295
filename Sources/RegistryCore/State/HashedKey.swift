/// A state key as a dictionary key that hashes its bytes in one call.
///
/// `[UInt8]`'s own `Hashable` conformance feeds the hasher one byte at a time, which dominated the
/// execution profile; this wrapper hashes the contiguous bytes at once. Only used for lookups: no
/// dictionary order ever reaches output (D2).
struct HashedKey: Hashable, Sendable {
    let bytes: [UInt8]

    @inline(__always)
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    @inline(__always)
    static func == (a: HashedKey, b: HashedKey) -> Bool {
        let count = a.bytes.count
        guard count == b.bytes.count else { return false }
        return a.bytes.withUnsafeBytes { pa in
            b.bytes.withUnsafeBytes { pb in
                // Eight bytes at a time, then the tail.
                var offset = 0
                while offset + 8 <= count {
                    if pa.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                        != pb.loadUnaligned(fromByteOffset: offset, as: UInt64.self) { return false }
                    offset += 8
                }
                while offset < count {
                    if pa[offset] != pb[offset] { return false }
                    offset += 1
                }
                return true
            }
        }
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(_rawHashValue(seed: 0))
    }

    /// The hash the standard library's hash tables use directly (skipping `Hasher`): a multiply-mix
    /// over eight-byte words, keyed by the table's per-process random seed so colliding keys cannot be
    /// chosen in advance. SipHash through `Hasher.combine(bytes:)` was ~15 % of execution. Wrapping
    /// multiplication is hashing, not arithmetic on amounts; the value never reaches output (D2).
    @inline(__always)
    func _rawHashValue(seed: Int) -> Int {
        bytes.withUnsafeBytes { p in
            let count = p.count
            var h = UInt64(truncatingIfNeeded: seed) ^ 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: count)
            var offset = 0
            while offset + 8 <= count {
                h = Self.mix(h ^ p.loadUnaligned(fromByteOffset: offset, as: UInt64.self), 0xA076_1D64_78BD_642F)
                offset += 8
            }
            if offset < count {
                var tail: UInt64 = 0
                while offset < count { tail = tail << 8 | UInt64(p[offset]); offset += 1 }
                h = Self.mix(h ^ tail, 0xE703_7ED1_A0B4_28DB)
            }
            return Int(truncatingIfNeeded: Self.mix(h, 0x8EBC_6AF0_9C88_C6E3))
        }
    }

    /// The high and low halves of the full 128-bit product, folded.
    @inline(__always)
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }
}
