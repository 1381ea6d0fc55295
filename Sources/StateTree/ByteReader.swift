import Sodium

/// A bounds-checked cursor over encoded bytes; every read names the field it reads.
struct ByteReader {
    let bytes: [UInt8]
    let type: String
    private(set) var offset = 0

    init(_ bytes: [UInt8], type: String) {
        self.bytes = bytes
        self.type = type
    }

    var remaining: Int { bytes.count - offset }

    func error(_ field: String, _ reason: TreeDecodingError.Reason, at position: Int? = nil) -> TreeDecodingError {
        TreeDecodingError(type: type, field: field, offset: position ?? offset, reason: reason)
    }

    // Field names are autoclosures: they are only built when a read fails.

    mutating func need(_ count: Int, _ field: @autoclosure () -> String) throws(TreeDecodingError) {
        if count > remaining { throw error(field(), .truncated(needed: count, available: remaining)) }
    }

    mutating func u8(_ field: @autoclosure () -> String) throws(TreeDecodingError) -> UInt8 {
        try need(1, field())
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16(_ field: @autoclosure () -> String) throws(TreeDecodingError) -> UInt16 {
        try need(2, field())
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func u32(_ field: @autoclosure () -> String) throws(TreeDecodingError) -> UInt32 {
        try need(4, field())
        let start = offset
        offset += 4
        return bytes.withUnsafeBytes { UInt32(bigEndian: $0.loadUnaligned(fromByteOffset: start, as: UInt32.self)) }
    }

    mutating func u64(_ field: @autoclosure () -> String) throws(TreeDecodingError) -> UInt64 {
        try need(8, field())
        let start = offset
        offset += 8
        return bytes.withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: start, as: UInt64.self)) }
    }

    mutating func digest(_ field: @autoclosure () -> String) throws(TreeDecodingError) -> Digest256 {
        try need(32, field())
        let start = offset
        offset += 32
        return bytes.withUnsafeBytes { Digest256(unsafeRaw: $0.baseAddress! + start) }
    }

    mutating func take(_ count: Int, _ field: @autoclosure () -> String) throws(TreeDecodingError) -> [UInt8] {
        try need(count, field())
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    /// Fails unless every byte has been read.
    func finish() throws(TreeDecodingError) {
        if remaining != 0 { throw error("end", .trailingBytes(count: remaining)) }
    }
}

/// Big-endian appends used by every encoder of this module.
extension Array where Element == UInt8 {
    @inline(__always)
    mutating func appendBE(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    @inline(__always)
    mutating func appendBE(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    @inline(__always)
    mutating func appendBE(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) { append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
}

/// Lexicographic order of byte strings (the order of raw keys, rule ST-20).
@inline(__always)
func bytesLess(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    KeyUpdate.keyPrecedes(a, b)
}
