import Sodium

/// Reads the canonical binary encoding strictly: every malformed input is a `CodecError`.
public struct CanonicalReader: Sendable {
    private let bytes: [UInt8]
    /// The offset of the next unread byte.
    public private(set) var offset: Int

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.offset = 0
    }

    /// The number of unread bytes.
    public var remaining: Int { bytes.count - offset }

    /// Throws unless every byte has been read.
    public func finish() throws(CodecError) {
        if remaining != 0 { throw .trailingBytes(count: remaining) }
    }

    private mutating func take(_ count: Int, _ field: String) throws(CodecError) -> ArraySlice<UInt8> {
        guard count >= 0, remaining >= count else { throw .truncated(field: field) }
        let slice = bytes[offset..<(offset + count)]
        offset += count
        return slice
    }

    public mutating func readUInt8(_ field: String) throws(CodecError) -> UInt8 {
        try take(1, field).first!
    }

    public mutating func readUInt16(_ field: String) throws(CodecError) -> UInt16 {
        var value: UInt16 = 0
        for byte in try take(2, field) { value = value << 8 | UInt16(byte) }
        return value
    }

    public mutating func readUInt32(_ field: String) throws(CodecError) -> UInt32 {
        let slice = try take(4, field)
        return slice.withUnsafeBytes { UInt32(bigEndian: $0.loadUnaligned(as: UInt32.self)) }
    }

    public mutating func readUInt64(_ field: String) throws(CodecError) -> UInt64 {
        let slice = try take(8, field)
        return slice.withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)) }
    }

    /// A byte that must be 0 or 1.
    public mutating func readBool(_ field: String) throws(CodecError) -> Bool {
        let flag = try readUInt8(field)
        switch flag {
        case 0: return false
        case 1: return true
        default: throw .invalidFlag(field: field, value: flag)
        }
    }

    public mutating func readDigest(_ field: String) throws(CodecError) -> Digest256 {
        let slice = try take(32, field)
        return slice.withUnsafeBytes { Digest256(unsafeRaw: $0.baseAddress!) }
    }

    /// Fixed-length raw bytes.
    public mutating func readRaw(_ count: Int, _ field: String) throws(CodecError) -> [UInt8] {
        Array(try take(count, field))
    }

    /// A length-prefixed byte string of at most `limit` bytes.
    public mutating func readBytes(_ field: String, limit: Int) throws(CodecError) -> [UInt8] {
        let length = try readUInt32(field)
        guard Int(length) <= limit else { throw .lengthExceedsLimit(field: field, length: UInt64(length), limit: limit) }
        return Array(try take(Int(length), field))
    }

    /// A length-prefixed UTF-8 string of at most `limit` bytes.
    public mutating func readString(_ field: String, limit: Int) throws(CodecError) -> String {
        let length = try readUInt32(field)
        guard Int(length) <= limit else { throw .lengthExceedsLimit(field: field, length: UInt64(length), limit: limit) }
        let slice = try take(Int(length), field)
        // All-ASCII bytes (nearly every stored string) decode without repair, so `String(decoding:)` gives
        // the same string as validation without `String(validating:)`'s unspecialized generic path
        // (~1,000 instructions per string) and without copying the bytes into an array first.
        let decoded: String? = slice.withUnsafeBufferPointer { buffer in
            var high: UInt8 = 0
            for byte in buffer { high |= byte }
            if high < 0x80 { return String(decoding: buffer, as: UTF8.self) }
            return String(validating: buffer, as: UTF8.self)
        }
        guard let string = decoded else { throw .invalidUTF8(field: field) }
        return string
    }

    /// A count prefix of at most `limit` elements.
    public mutating func readCount(_ field: String, limit: Int) throws(CodecError) -> Int {
        let count = try readUInt32(field)
        guard Int(count) <= limit else { throw .lengthExceedsLimit(field: field, length: UInt64(count), limit: limit) }
        return Int(count)
    }

    /// A counted sequence of strings.
    public mutating func readStrings(_ field: String, maxCount: Int, maxLength: Int) throws(CodecError) -> [String] {
        let count = try readCount(field, limit: maxCount)
        var values: [String] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try readString(field, limit: maxLength)) }
        return values
    }

    /// A counted sequence of decodable values.
    public mutating func readArray<T: CanonicalDecodable>(_ field: String, limit: Int, as type: T.Type = T.self) throws(CodecError) -> [T] {
        let count = try readCount(field, limit: limit)
        var values: [T] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try T(from: &self)) }
        return values
    }

    /// The optional flag (0 absent, 1 present); the caller reads the value when true.
    public mutating func readPresence(_ field: String) throws(CodecError) -> Bool {
        try readBool(field)
    }

    public mutating func readOptionalUInt64(_ field: String) throws(CodecError) -> UInt64? {
        try readPresence(field) ? try readUInt64(field) : nil
    }

    public mutating func readOptionalString(_ field: String, limit: Int) throws(CodecError) -> String? {
        try readPresence(field) ? try readString(field, limit: limit) : nil
    }

    public mutating func readOptionalDigest(_ field: String) throws(CodecError) -> Digest256? {
        try readPresence(field) ? try readDigest(field) : nil
    }

    public mutating func readOptional<T: CanonicalDecodable>(_ field: String, as type: T.Type = T.self) throws(CodecError) -> T? {
        try readPresence(field) ? try T(from: &self) : nil
    }

    /// A type tag that must equal `expected`.
    public mutating func expectTag(_ expected: TypeTag) throws(CodecError) {
        let tag = try readUInt8("type tag")
        guard tag == expected.rawValue else { throw .wrongTypeTag(expected: expected.rawValue, actual: tag) }
    }
}
