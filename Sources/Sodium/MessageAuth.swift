/// Message authentication codes (`crypto_auth`, HMAC-SHA-512-256), used for query tokens.
public enum MessageAuth {
    public static let keyBytes = 32
    public static let tagBytes = 32

    /// A fresh random key.
    public static func generateKey() -> [UInt8] { RandomBytes.generate(count: keyBytes) }

    /// The tag of `message` under `key` (`crypto_auth`).
    public static func tag(_ message: [UInt8], key: [UInt8]) throws(SodiumError) -> [UInt8] {
        try checkLength(key.count, keyBytes, "crypto_auth")
        var tag = [UInt8](repeating: 0, count: tagBytes)
        let status = tag.withUnsafeMutableBytes { t in
            message.withUnsafeBytes { m in key.withUnsafeBytes { SodiumC.auth(tag: t, message: m, key: $0) } }
        }
        guard status == 0 else { throw SodiumError(code: .failed(status: status), operation: "crypto_auth") }
        return tag
    }

    /// Whether `tag` authenticates `message` under `key`, in constant time (`crypto_auth_verify`).
    public static func verify(tag: [UInt8], message: [UInt8], key: [UInt8]) -> Bool {
        guard tag.count == tagBytes, key.count == keyBytes else { return false }
        return tag.withUnsafeBytes { t in
            message.withUnsafeBytes { m in key.withUnsafeBytes { SodiumC.authVerify(tag: t, message: m, key: $0) } }
        } == 0
    }
}
