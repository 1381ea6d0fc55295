/// A query token: who (`subject`), what (`scopes`), until when (`expiresAt`), signed with a MAC key
/// named by `keyID` (ADR 0013).
///
/// Canonical bytes (big-endian, no padding, nothing trailing):
/// `version u8 = 1 ‖ keyID len u8 ‖ keyID ‖ subject len u16 ‖ subject ‖ scopes u32 ‖ issuedAt u64 ‖ expiresAt u64`.
/// Text form: `ait1.` ‖ base64url(canonical bytes) ‖ `.` ‖ base64url(tag), where the tag is
/// `crypto_auth(key, "ai-registry/query-token/v1" ‖ canonical bytes)` (HMAC-SHA-512-256).
public struct QueryToken: Sendable, Equatable {
    /// The canonical format version.
    public static let version: UInt8 = 1
    /// The text prefix of version-1 tokens.
    public static let textPrefix = "ait1."
    /// The domain separation string the MAC covers before the canonical bytes.
    public static let macDomain: [UInt8] = Array("ai-registry/query-token/v1".utf8)
    /// The longest subject in bytes.
    public static let maxSubjectBytes = 128
    /// The longest token text accepted (longer texts are refused before any decoding).
    public static let maxTextLength = 512

    /// The id of the key that signs the token.
    public var keyID: String
    /// Who the token is for: the client identity in audit records and for rate limiting. 1…128 bytes
    /// of UTF-8 without control characters.
    public var subject: String
    /// What the bearer may do.
    public var scopes: QueryScope.Set
    /// When the token was issued (unix seconds).
    public var issuedAt: UInt64
    /// When the token stops being accepted (unix seconds, exclusive).
    public var expiresAt: UInt64

    public init(keyID: String, subject: String, scopes: QueryScope.Set, issuedAt: UInt64, expiresAt: UInt64) {
        self.keyID = keyID
        self.subject = subject
        self.scopes = scopes
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
    }

    /// Checks the fields of a token to be issued; the error names the field.
    public func validate() throws(QueryTokenError) {
        guard QueryTokenKey.isValidKeyID(keyID) else {
            throw .invalidField(field: "key_id", reason: "must be 1…32 characters of A-Z a-z 0-9 . _ -")
        }
        try Self.validateSubject(subject)
        guard scopes != .none else { throw .invalidField(field: "scopes", reason: "must name at least one scope") }
        guard expiresAt > issuedAt else {
            throw .invalidField(field: "expires_at", reason: "must be after issued_at (\(issuedAt))")
        }
    }

    static func validateSubject(_ subject: String) throws(QueryTokenError) {
        let count = subject.utf8.count
        guard (1...maxSubjectBytes).contains(count) else {
            throw .invalidField(field: "subject", reason: "must have 1…\(maxSubjectBytes) bytes (got \(count))")
        }
        guard !subject.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .invalidField(field: "subject", reason: "must not contain control characters")
        }
    }

    /// The canonical bytes (see the type's documentation).
    public var canonicalBytes: [UInt8] {
        var out: [UInt8] = [Self.version]
        let id = Array(keyID.utf8)
        out.append(UInt8(truncatingIfNeeded: id.count))
        out += id
        let subjectBytes = Array(subject.utf8)
        out.append(UInt8(truncatingIfNeeded: subjectBytes.count >> 8))
        out.append(UInt8(truncatingIfNeeded: subjectBytes.count))
        out += subjectBytes
        appendBigEndian(scopes.mask, to: &out)
        appendBigEndian(issuedAt, to: &out)
        appendBigEndian(expiresAt, to: &out)
        return out
    }

    /// Decodes canonical bytes strictly: unknown version, bad lengths, unknown scope bits, invalid
    /// UTF-8 or trailing bytes are `malformed`.
    public init(canonicalBytes bytes: [UInt8]) throws(QueryTokenError) {
        var reader = TokenReader(bytes: bytes)
        let version = try reader.byte("version")
        guard version == Self.version else { throw .malformed(reason: "version \(version) is not supported (1)") }
        let idLength = Int(try reader.byte("key id length"))
        let idBytes = try reader.bytes(idLength, "key id")
        guard let keyID = String(validating: idBytes, as: UTF8.self), QueryTokenKey.isValidKeyID(keyID) else {
            throw .malformed(reason: "key id is not 1…32 characters of A-Z a-z 0-9 . _ -")
        }
        let subjectLength = Int(try reader.byte("subject length")) << 8 | Int(try reader.byte("subject length"))
        let subjectBytes = try reader.bytes(subjectLength, "subject")
        guard let subject = String(validating: subjectBytes, as: UTF8.self) else {
            throw .malformed(reason: "subject is not UTF-8")
        }
        do { try Self.validateSubject(subject) } catch { throw .malformed(reason: error.description) }
        let mask = UInt32(truncatingIfNeeded: try reader.integer(4, "scopes"))
        guard let scopes = QueryScope.Set(validatingMask: mask) else {
            throw .malformed(reason: "scopes mask \(mask) has unknown bits")
        }
        let issuedAt = try reader.integer(8, "issued_at")
        let expiresAt = try reader.integer(8, "expires_at")
        guard reader.isAtEnd else { throw .malformed(reason: "\(bytes.count - reader.offset) trailing bytes") }
        self.init(keyID: keyID, subject: subject, scopes: scopes, issuedAt: issuedAt, expiresAt: expiresAt)
    }

    /// The token's text, signed with `key` (whose id must equal `keyID`).
    public func signed(with key: QueryTokenKey) throws(QueryTokenError) -> String {
        try validate()
        guard key.keyID == keyID else {
            throw .invalidField(field: "key_id", reason: "is \"\(keyID)\" but the key's id is \"\(key.keyID)\"")
        }
        let payload = canonicalBytes
        let tag = key.tag(Self.macDomain + payload)
        return Self.textPrefix + Base64URL.encode(payload) + "." + Base64URL.encode(tag)
    }

    /// Splits a token's text into the decoded token, its canonical bytes and its tag, without checking
    /// the MAC (see `QueryTokenVerifier`).
    public static func parse(_ text: String) throws(QueryTokenError) -> (token: QueryToken, payload: [UInt8], tag: [UInt8]) {
        guard text.utf8.count <= maxTextLength else {
            throw .malformed(reason: "longer than \(maxTextLength) characters")
        }
        guard text.hasPrefix(textPrefix) else { throw .malformed(reason: "does not start with \"\(textPrefix)\"") }
        let body = text.dropFirst(textPrefix.count)
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .malformed(reason: "expected ait1.<payload>.<tag>") }
        guard let payload = Base64URL.decode(parts[0]) else { throw .malformed(reason: "payload is not base64url") }
        guard let tag = Base64URL.decode(parts[1]) else { throw .malformed(reason: "tag is not base64url") }
        return (try QueryToken(canonicalBytes: payload), payload, tag)
    }
}

private func appendBigEndian<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
    var shift = T.bitWidth - 8
    while shift >= 0 {
        out.append(UInt8(truncatingIfNeeded: value >> shift))
        shift -= 8
    }
}

/// A bounds-checked reader of token bytes.
private struct TokenReader {
    let bytes: [UInt8]
    var offset = 0

    var isAtEnd: Bool { offset == bytes.count }

    mutating func byte(_ field: String) throws(QueryTokenError) -> UInt8 {
        guard offset < bytes.count else { throw .malformed(reason: "ends before \(field)") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func bytes(_ count: Int, _ field: String) throws(QueryTokenError) -> [UInt8] {
        guard count <= bytes.count - offset else { throw .malformed(reason: "ends inside \(field)") }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func integer(_ width: Int, _ field: String) throws(QueryTokenError) -> UInt64 {
        var value: UInt64 = 0
        for byte in try bytes(width, field) { value = value << 8 | UInt64(byte) }
        return value
    }
}
