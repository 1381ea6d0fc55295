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
        a.bytes.count == b.bytes.count && a.bytes.withUnsafeBytes { pa in
            b.bytes.withUnsafeBytes { pb in pa.elementsEqual(pb) }
        }
    }

    @inline(__always)
    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
