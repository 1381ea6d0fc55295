/// A CURVE (Curve25519) key pair for CurveZMQ, held as 32-byte binary keys.
public struct CurveKeyPair: Sendable, Hashable {
    /// The public key (32 bytes).
    public let publicKey: [UInt8]
    /// The secret key (32 bytes). Never log it.
    public let secretKey: [UInt8]

    /// A fresh key pair (`zmq_curve_keypair`, decoded from Z85). Fails with `.notSupported` when
    /// libzmq was built without CURVE.
    public static func generate() throws(ZMQError) -> CurveKeyPair {
        let (publicText, secretText) = try ZMQC.curveKeyPair()
        guard let publicKey = Z85.decode(publicText), let secretKey = Z85.decode(secretText) else {
            throw ZMQError(code: .invalidArgument, operation: "zmq_curve_keypair")
        }
        return CurveKeyPair(unchecked: publicKey, secretKey)
    }

    /// The pair of a 32-byte secret key, deriving the public key (`zmq_curve_public`).
    public init(secretKey: [UInt8]) throws(ZMQError) {
        guard secretKey.count == 32 else { throw ZMQError(code: .invalidArgument, operation: "zmq_curve_public") }
        let secretText = try Z85.encode(secretKey)
        guard let publicKey = Z85.decode(try ZMQC.curvePublic(secretKey: secretText)) else {
            throw ZMQError(code: .invalidArgument, operation: "zmq_curve_public")
        }
        self.init(unchecked: publicKey, secretKey)
    }

    /// A pair from its two 32-byte keys (not checked to match).
    public init(publicKey: [UInt8], secretKey: [UInt8]) throws(ZMQError) {
        guard publicKey.count == 32, secretKey.count == 32 else {
            throw ZMQError(code: .invalidArgument, operation: "CurveKeyPair.init")
        }
        self.init(unchecked: publicKey, secretKey)
    }

    private init(unchecked publicKey: [UInt8], _ secretKey: [UInt8]) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// The public key as 40 Z85 characters (the form ZeroMQ tools print).
    public var publicKeyZ85: String { (try? Z85.encode(publicKey)) ?? "" }

    /// The secret key as 40 Z85 characters.
    public var secretKeyZ85: String { (try? Z85.encode(secretKey)) ?? "" }

    /// Whether libzmq supports CURVE (`zmq_has("curve")`).
    public static var isAvailable: Bool { ZMQC.has("curve") }
}

/// Z85 (ZeroMQ RFC 32) text encoding of binary data, used for CURVE keys.
public enum Z85 {
    /// Encodes `bytes` (`zmq_z85_encode`); the length must be a multiple of 4 (`.invalidArgument`).
    public static func encode(_ bytes: [UInt8]) throws(ZMQError) -> String {
        guard bytes.count % 4 == 0 else { throw ZMQError(code: .invalidArgument, operation: "zmq_z85_encode") }
        if bytes.isEmpty { return "" }
        return try ZMQC.z85Encode(bytes)
    }

    /// Decodes Z85 text (`zmq_z85_decode`); nil when the length is not a multiple of 5 or a
    /// character is outside the alphabet.
    public static func decode(_ text: String) -> [UInt8]? {
        if text.isEmpty { return [] }
        guard text.utf8.count % 5 == 0 else { return nil }
        return ZMQC.z85Decode(text)
    }
}
