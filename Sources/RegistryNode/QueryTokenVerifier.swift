/// Checks query tokens against the server's keys and a wall-clock time (the query side is not
/// consensus, so wall-clock time is right here). Order of checks: text and canonical form, key id,
/// MAC (constant time, `crypto_auth_verify`), then validity times; scopes are checked per request.
public struct QueryTokenVerifier: Sendable {
    /// The keys tokens may be signed with.
    public let keys: [QueryTokenKey]
    /// How far in the future `issuedAt` may be.
    public let clockSkewSeconds: UInt64

    public init(keys: [QueryTokenKey], clockSkewSeconds: UInt64 = 60) {
        self.keys = keys
        self.clockSkewSeconds = clockSkewSeconds
    }

    /// The token in `text` when it is well formed, signed by a known key and valid at `now` (unix seconds).
    public func verify(_ text: String, now: UInt64) -> Result<QueryToken, QueryTokenError> {
        do throws(QueryTokenError) {
            let (token, payload, tag) = try QueryToken.parse(text)
            guard let key = keys.first(where: { $0.keyID == token.keyID }) else {
                throw .unknownKey(keyID: token.keyID)
            }
            guard key.verify(tag: tag, message: QueryToken.macDomain + payload) else {
                throw .badSignature(keyID: token.keyID)
            }
            guard now < token.expiresAt else { throw .expired(expiresAt: token.expiresAt, now: now) }
            let (latest, overflow) = now.addingReportingOverflow(clockSkewSeconds)
            guard overflow || token.issuedAt <= latest else { throw .notYetValid(issuedAt: token.issuedAt, now: now) }
            return .success(token)
        } catch {
            return .failure(error)
        }
    }
}
