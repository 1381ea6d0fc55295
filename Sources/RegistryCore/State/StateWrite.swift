/// One change of a round: a put (value) or a delete (nil). A round's writes are sorted by key.
public struct StateWrite: Equatable, Sendable, CanonicalCodable {
    public let key: [UInt8]
    public let value: [UInt8]?

    public init(key: [UInt8], value: [UInt8]?) {
        self.key = key
        self.value = value
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.writeBytes(key)
        if let value { writer.write(UInt8(1)); writer.writeBytes(value) } else { writer.write(UInt8(0)) }
    }

    public init(from reader: inout CanonicalReader) throws(CodecError) {
        key = try reader.readBytes("write key", limit: StateKey.maxKeyLength)
        value = try reader.readPresence("write value") ? try reader.readBytes("write value", limit: Int(UInt32.max)) : nil
    }
}
