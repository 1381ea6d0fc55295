import Sodium

/// An account: the 32-byte Ed25519 public key that signs its transactions.
public struct AccountID: Hashable, Comparable, Sendable, CanonicalCodable, CustomStringConvertible {
    public let raw: Digest256

    public init(_ raw: Digest256) { self.raw = raw }

    /// The account of a 32-byte public key; nil for any other length.
    public init?(publicKey: [UInt8]) {
        guard let raw = Digest256(bytes: publicKey) else { return nil }
        self.raw = raw
    }

    public var bytes: [UInt8] { raw.bytes }
    public var description: String { raw.hex }
    public static func < (a: AccountID, b: AccountID) -> Bool { a.raw < b.raw }
    public func encode(to writer: inout CanonicalWriter) { writer.write(raw) }
    public init(from reader: inout CanonicalReader) throws(CodecError) { raw = try reader.readDigest("account") }
}

/// A model: BLAKE2b-256 of `"ai-registry/model-id/v1" ‖ len ‖ name ‖ len ‖ version` (Docs/spec/lifecycle.md, LC-1).
/// Owner transfers keep the id.
public struct ModelID: Hashable, Comparable, Sendable, CanonicalCodable, CustomStringConvertible {
    public let raw: Digest256

    public init(_ raw: Digest256) { self.raw = raw }

    /// The id derived from a model's name and version.
    public init(name: String, version: String) {
        // Sized up front (the default 64 bytes regrew for most names) and the domain bytes kept, not
        // rebuilt into an array per id; the hashed bytes are unchanged.
        var writer = CanonicalWriter(capacity: Self.domain.count + 8 + name.utf8.count + version.utf8.count)
        writer.writeRaw(Self.domain)
        writer.write(name)
        writer.write(version)
        raw = Blake2b.hash256(writer.bytes)
    }

    /// The domain-separation prefix of the id hash.
    private static let domain: [UInt8] = Array("ai-registry/model-id/v1".utf8)

    public var bytes: [UInt8] { raw.bytes }
    public var description: String { raw.hex }
    public static func < (a: ModelID, b: ModelID) -> Bool { a.raw < b.raw }
    public func encode(to writer: inout CanonicalWriter) { writer.write(raw) }
    public init(from reader: inout CanonicalReader) throws(CodecError) { raw = try reader.readDigest("model id") }
}

/// A proposal number, assigned in submission order from 1.
public typealias ProposalID = UInt64

/// A round number (the state tree version).
public typealias Round = UInt64

/// An amount in base units (D3).
public typealias Amount = UInt64
