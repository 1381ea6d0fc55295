/// Why a query token (or a token key) was refused. The descriptions never contain secret material.
public enum QueryTokenError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The token text or its canonical bytes are not well formed; `reason` says where.
    case malformed(reason: String)
    /// A field of a token being issued is out of its limits.
    case invalidField(field: String, reason: String)
    /// The token names a key id this server does not hold.
    case unknownKey(keyID: String)
    /// The MAC does not verify under the named key (forged or altered token).
    case badSignature(keyID: String)
    /// The token expired at `expiresAt` (unix seconds); the server's clock reads `now`.
    case expired(expiresAt: UInt64, now: UInt64)
    /// The token's issued-at lies further in the future than the allowed clock skew.
    case notYetValid(issuedAt: UInt64, now: UInt64)
    /// The token is valid but lacks the scope the request needs.
    case missingScope(QueryScope, granted: QueryScope.Set)
    /// A token key file could not be read or parsed.
    case keyFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .malformed(let reason): return "malformed token: \(reason)"
        case .invalidField(let field, let reason): return "token.\(field): \(reason)"
        case .unknownKey(let keyID): return "token key id \"\(keyID)\" is not known to this server"
        case .badSignature(let keyID): return "token MAC does not verify under key \"\(keyID)\""
        case .expired(let expiresAt, let now): return "token expired at \(expiresAt) (now \(now))"
        case .notYetValid(let issuedAt, let now): return "token issued at \(issuedAt) is in the future (now \(now))"
        case .missingScope(let scope, let granted):
            return "token scopes [\(granted)] do not include \"\(scope.rawValue)\""
        case .keyFile(let path, let reason): return "token key file \(path): \(reason)"
        }
    }
}
