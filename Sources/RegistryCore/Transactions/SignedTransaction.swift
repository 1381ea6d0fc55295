import Sodium

/// A transaction as transmitted (ADR 0004), tag `0x0D`: the body bytes exactly as signed, the signer's
/// Ed25519 public key and the signature over `signBytes`.
public struct SignedTransaction: Equatable, Sendable, CanonicalCodable {
    public var bodyBytes: [UInt8]
    public var publicKey: [UInt8]
    public var signature: [UInt8]

    /// The sign-bytes domain separator.
    public static let domain: [UInt8] = Array("ai-registry/tx/v1".utf8)

    public init(bodyBytes: [UInt8], publicKey: [UInt8], signature: [UInt8]) {
        self.bodyBytes = bodyBytes; self.publicKey = publicKey; self.signature = signature
    }

    /// `"ai-registry/tx/v1" ‖ u32 len ‖ chainID ‖ bodyBytes` (TX-2).
    public static func signBytes(chainID: String, bodyBytes: [UInt8]) -> [UInt8] {
        var writer = CanonicalWriter(capacity: domain.count + 4 + chainID.utf8.count + bodyBytes.count)
        writer.writeRaw(domain)
        writer.write(chainID)
        writer.writeRaw(bodyBytes)
        return writer.bytes
    }

    /// Signs an encoded body with a key pair.
    public static func sign(body: TransactionBody, with key: Ed25519.KeyPair) -> SignedTransaction {
        let bodyBytes = body.canonicalBytes()
        let signature = key.sign(signBytes(chainID: body.chainID, bodyBytes: bodyBytes))
        return SignedTransaction(bodyBytes: bodyBytes, publicKey: key.publicKey, signature: signature)
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(TypeTag.signedTransaction.rawValue)
        writer.writeBytes(bodyBytes); writer.writeRaw(publicKey); writer.writeRaw(signature)
    }

    public init(from reader: inout CanonicalReader) throws(CodecError) {
        try reader.expectTag(.signedTransaction)
        bodyBytes = try reader.readBytes("body", limit: 1 << 20)
        publicKey = try reader.readRaw(32, "public key")
        signature = try reader.readRaw(64, "signature")
    }
}
