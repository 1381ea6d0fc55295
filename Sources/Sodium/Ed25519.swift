/// Ed25519 signatures (`crypto_sign_ed25519_*`).
public enum Ed25519 {
    public static let publicKeyBytes = 32
    public static let secretKeyBytes = 64
    public static let seedBytes = 32
    public static let signatureBytes = 64

    /// A key pair. The secret key is libsodium's 64-byte form (seed ‖ public key).
    public struct KeyPair: Sendable {
        public let publicKey: [UInt8]
        public let secretKey: [UInt8]

        /// The key pair derived from a 32-byte seed (`crypto_sign_ed25519_seed_keypair`).
        public init(seed: [UInt8]) throws(SodiumError) {
            try checkLength(seed.count, Ed25519.seedBytes, "crypto_sign_ed25519_seed_keypair")
            var publicKey = [UInt8](repeating: 0, count: Ed25519.publicKeyBytes)
            var secretKey = [UInt8](repeating: 0, count: Ed25519.secretKeyBytes)
            let status = publicKey.withUnsafeMutableBytes { pk in
                secretKey.withUnsafeMutableBytes { sk in
                    seed.withUnsafeBytes { SodiumC.ed25519SeedKeypair(publicKey: pk, secretKey: sk, seed: $0) }
                }
            }
            guard status == 0 else {
                throw SodiumError(code: .failed(status: status), operation: "crypto_sign_ed25519_seed_keypair")
            }
            self.publicKey = publicKey
            self.secretKey = secretKey
        }

        /// A fresh key pair from the operating system's randomness.
        public static func generate() -> KeyPair {
            // A 32-byte random seed always yields a key pair.
            try! KeyPair(seed: RandomBytes.generate(count: Ed25519.seedBytes))
        }

        /// The 32-byte seed the pair was derived from (the first half of the secret key).
        public var seed: [UInt8] { Array(secretKey[0..<32]) }

        /// Signs `message` (`crypto_sign_ed25519_detached`).
        public func sign(_ message: [UInt8]) -> [UInt8] {
            // The secret key has the right length by construction.
            try! Ed25519.sign(message, secretKey: secretKey)
        }
    }

    /// A detached signature of `message` with a 64-byte secret key.
    public static func sign(_ message: [UInt8], secretKey: [UInt8]) throws(SodiumError) -> [UInt8] {
        try checkLength(secretKey.count, secretKeyBytes, "crypto_sign_ed25519_detached")
        var signature = [UInt8](repeating: 0, count: signatureBytes)
        let status = signature.withUnsafeMutableBytes { sig in
            message.withUnsafeBytes { msg in
                secretKey.withUnsafeBytes { SodiumC.ed25519SignDetached(signature: sig, message: msg, secretKey: $0) }
            }
        }
        guard status == 0 else {
            throw SodiumError(code: .failed(status: status), operation: "crypto_sign_ed25519_detached")
        }
        return signature
    }

    /// Whether `signature` is a valid signature of `message` by `publicKey`
    /// (`crypto_sign_ed25519_verify_detached`). Wrong lengths verify as false, never trap.
    public static func verify(signature: [UInt8], message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard signature.count == signatureBytes, publicKey.count == publicKeyBytes else { return false }
        return signature.withUnsafeBytes { sig in
            message.withUnsafeBytes { msg in
                publicKey.withUnsafeBytes { SodiumC.ed25519VerifyDetached(signature: sig, message: msg, publicKey: $0) }
            }
        } == 0
    }
}
