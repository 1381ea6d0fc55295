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

    @inline(__always)
    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
