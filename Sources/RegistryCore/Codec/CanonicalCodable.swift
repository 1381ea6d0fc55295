/// A value with a canonical binary encoding.
public protocol CanonicalEncodable {
    /// Appends the value's fields, in their fixed order, to `writer`.
    func encode(to writer: inout CanonicalWriter)
}

/// A value decodable from its canonical binary encoding.
public protocol CanonicalDecodable {
    /// Reads the value's fields, in their fixed order, from `reader`.
    init(from reader: inout CanonicalReader) throws(CodecError)
}

/// Both directions.
public typealias CanonicalCodable = CanonicalEncodable & CanonicalDecodable

extension CanonicalEncodable {
    /// The canonical bytes of the value.
    public func canonicalBytes() -> [UInt8] {
        var writer = CanonicalWriter()
        encode(to: &writer)
        return writer.bytes
    }
}

extension CanonicalDecodable {
    /// Decodes a whole byte string, rejecting trailing bytes.
    public init(canonicalBytes bytes: [UInt8]) throws(CodecError) {
        var reader = CanonicalReader(bytes)
        self = try Self(from: &reader)
        try reader.finish()
    }
}
