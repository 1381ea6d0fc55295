import Foundation
import Sodium

/// A MAC key for query tokens (`crypto_auth`, 32 bytes) and its key id. Tokens name the key id, so a
/// server can hold several keys (rotation). The secret is never printed: `description` shows the id.
///
/// Key file (`ai-registry token keygen`, mode 0600), one JSON object:
/// `{"format":"ai-registry-token-key","version":1,"key_id":"k1a2b3c4d","secret":"<64 hex>"}`.
public struct QueryTokenKey: Sendable, Equatable, CustomStringConvertible {
    /// 1…32 characters of `[A-Za-z0-9._-]`.
    public let keyID: String
    /// The 32-byte MAC key.
    let secret: [UInt8]

    /// The `format` value of key files.
    public static let fileFormat = "ai-registry-token-key"

    /// A key from its parts; the error names the bad field.
    public init(keyID: String, secret: [UInt8]) throws(QueryTokenError) {
        guard Self.isValidKeyID(keyID) else {
            throw .invalidField(field: "key_id", reason: "must be 1…32 characters of A-Z a-z 0-9 . _ -")
        }
        guard secret.count == MessageAuth.keyBytes else {
            throw .invalidField(field: "secret", reason: "must be \(MessageAuth.keyBytes) bytes (got \(secret.count))")
        }
        self.keyID = keyID
        self.secret = secret
    }

    /// A fresh random key (`randombytes_buf`); the key id defaults to `k` + 8 hex digits of
    /// BLAKE2b-256 of the secret.
    public static func generate(keyID: String? = nil) throws(QueryTokenError) -> QueryTokenKey {
        let secret = MessageAuth.generateKey()
        return try QueryTokenKey(keyID: keyID ?? "k" + Hex.encode(Blake2b.hash256(secret).bytes.prefix(4)), secret: secret)
    }

    /// Whether `keyID` is 1…32 characters of `[A-Za-z0-9._-]`.
    public static func isValidKeyID(_ keyID: String) -> Bool {
        let utf8 = Array(keyID.utf8)
        guard (1...32).contains(utf8.count) else { return false }
        return utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                || c == UInt8(ascii: ".") || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
        }
    }

    public var description: String { "QueryTokenKey(\(keyID))" }

    public static func == (a: QueryTokenKey, b: QueryTokenKey) -> Bool {
        a.keyID == b.keyID && ConstantTime.equals(a.secret, b.secret)
    }

    /// The key file's bytes (JSON, one line, newline-terminated).
    public func fileContents() -> [UInt8] {
        Array(
            "{\"format\":\"\(Self.fileFormat)\",\"version\":1,\"key_id\":\"\(keyID)\",\"secret\":\"\(Hex.encode(secret))\"}\n"
                .utf8)
    }

    /// Parses a key file's bytes; `path` only names the file in errors.
    public init(fileContents: [UInt8], path: String) throws(QueryTokenError) {
        func fail(_ reason: String) -> QueryTokenError { .keyFile(path: path, reason: reason) }
        guard fileContents.count <= 4096 else { throw fail("larger than 4096 bytes") }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(fileContents)) } catch {
            throw fail("not a JSON object")
        }
        guard let json = object as? [String: Any] else { throw fail("not a JSON object") }
        for key in json.keys.sorted() where !["format", "version", "key_id", "secret"].contains(key) {
            throw fail("unknown key \"\(key)\"")
        }
        guard json["format"] as? String == Self.fileFormat else { throw fail("\"format\" must be \"\(Self.fileFormat)\"") }
        guard let version = json["version"] as? Int, version == 1 else { throw fail("\"version\" must be 1") }
        guard let keyID = json["key_id"] as? String else { throw fail("\"key_id\" must be a string") }
        guard let secretHex = json["secret"] as? String, let secret = Hex.decode(secretHex) else {
            throw fail("\"secret\" must be hex")
        }
        do { try self.init(keyID: keyID, secret: secret) } catch {
            throw fail(error.description)
        }
    }

    /// Reads and parses the key file at `path`.
    public static func load(path: String) throws(QueryTokenError) -> QueryTokenKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .keyFile(path: path, reason: "cannot be read")
        }
        return try QueryTokenKey(fileContents: [UInt8](data), path: path)
    }

    /// The MAC of `message` (`crypto_auth`).
    func tag(_ message: [UInt8]) -> [UInt8] {
        // The key length is checked at init, so crypto_auth cannot fail; an empty tag never verifies.
        (try? MessageAuth.tag(message, key: secret)) ?? []
    }

    /// Whether `tag` authenticates `message`, in constant time (`crypto_auth_verify`).
    func verify(tag: [UInt8], message: [UInt8]) -> Bool {
        MessageAuth.verify(tag: tag, message: message, key: secret)
    }
}
