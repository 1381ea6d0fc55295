import Sodium

/// Builds the canonical binary encoding (see Docs/spec/canonical-codec.md).
///
/// Integers are fixed-width big-endian; byte strings and strings are prefixed with a `UInt32` length;
/// optionals and booleans are one byte, 0 or 1; sequences are prefixed with a `UInt32` count; fields
/// appear in the fixed order of the type's `encode(to:)`.
public struct CanonicalWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func write(_ value: UInt8) { bytes.append(value) }

    public mutating func write(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    // Fixed-width values are appended from a typed byte buffer (a bulk copy): `append(contentsOf:)` of a
    // raw buffer copied byte by byte through generic code and was the largest cost of encoding.
    @inline(__always)
    private mutating func appendBytes<T>(of value: T) {
        withUnsafeBytes(of: value) { raw in raw.withMemoryRebound(to: UInt8.self) { bytes.append(contentsOf: $0) } }
    }

    // 4- and 8-byte integers as single-byte appends: cheaper than the bulk copy below (its generic
    // `append(contentsOf:)` plus a `memcpy` call cost more than 4 or 8 inlined appends); the digest's 32
    // bytes stay a bulk copy.
    public mutating func write(_ value: UInt32) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    public mutating func write(_ value: UInt64) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 56))
        bytes.append(UInt8(truncatingIfNeeded: value >> 48))
        bytes.append(UInt8(truncatingIfNeeded: value >> 40))
        bytes.append(UInt8(truncatingIfNeeded: value >> 32))
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    public mutating func write(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// 32 raw bytes, no length prefix.
    public mutating func write(_ value: Digest256) {
        appendBytes(of: (value.w0.bigEndian, value.w1.bigEndian, value.w2.bigEndian, value.w3.bigEndian))
    }

    /// A `UInt32` length prefix, then the bytes.
    public mutating func writeBytes(_ value: [UInt8]) {
        write(UInt32(truncatingIfNeeded: value.count))
        bytes.append(contentsOf: value)
    }

    /// A `UInt32` length prefix, then the UTF-8 bytes.
    public mutating func write(_ value: String) {
        let utf8 = value.utf8
        write(UInt32(truncatingIfNeeded: utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// Raw bytes with no prefix (for fixed layouts such as keys).
    public mutating func writeRaw<S: Sequence>(_ value: S) where S.Element == UInt8 { bytes.append(contentsOf: value) }

    /// A `UInt32` count, then each element.
    public mutating func write<T: CanonicalEncodable>(_ values: [T]) {
        write(UInt32(truncatingIfNeeded: values.count))
        for value in values { value.encode(to: &self) }
    }

    /// A `UInt32` count, then each string.
    public mutating func write(_ values: [String]) {
        write(UInt32(truncatingIfNeeded: values.count))
        for value in values { write(value) }
    }

    /// 0, or 1 followed by the value.
    public mutating func writeOptional<T: CanonicalEncodable>(_ value: T?) {
        if let value { write(UInt8(1)); value.encode(to: &self) } else { write(UInt8(0)) }
    }

    public mutating func writeOptional(_ value: UInt64?) {
        if let value { write(UInt8(1)); write(value) } else { write(UInt8(0)) }
    }

    public mutating func writeOptional(_ value: String?) {
        if let value { write(UInt8(1)); write(value) } else { write(UInt8(0)) }
    }

    public mutating func writeOptional(_ value: Digest256?) {
        if let value { write(UInt8(1)); write(value) } else { write(UInt8(0)) }
    }

    public mutating func write<T: CanonicalEncodable>(_ value: T) { value.encode(to: &self) }
}
