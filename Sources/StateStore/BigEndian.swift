/// Fixed-width big-endian integers for keys, so byte order is numeric order (D4).
enum BigEndian {
    /// The 8 bytes of `value`, most significant first.
    static func bytes(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * UInt64($0))) }
    }

    /// Appends the 8 bytes of `value`, most significant first.
    @inline(__always)
    static func append(_ value: UInt64, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }
    }

    /// The 4 bytes of `value`, most significant first.
    static func bytes(_ value: UInt32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * UInt32($0))) }
    }

    /// The value of exactly 8 bytes, or nil for any other length.
    static func uint64<C: Collection>(_ bytes: C) -> UInt64? where C.Element == UInt8 {
        guard bytes.count == 8 else { return nil }
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// The value of exactly 4 bytes, or nil for any other length.
    static func uint32<C: Collection>(_ bytes: C) -> UInt32? where C.Element == UInt8 {
        guard bytes.count == 4 else { return nil }
        return bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }
}
