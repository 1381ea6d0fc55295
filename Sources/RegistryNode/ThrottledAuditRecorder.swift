/// Writes one endpoint's audit records through a `QueryAuditThrottle` (ADR 0014): at most `perMinute`
/// records per client and kind each minute, then one summary of the suppressed ones. Used by the query
/// endpoint and the HTTP gateway so a flood costs a bounded number of lines.
public struct ThrottledAuditRecorder: Sendable {
    /// The audit log written to.
    public let audit: AuditLog
    /// The endpoint named in every record (`query`, `gateway`).
    public let endpoint: String
    let throttle: QueryAuditThrottle

    /// A recorder with its own throttle of `perMinute` records per client and kind, tracking at most
    /// `maxEntries` (client, kind) pairs.
    public init(audit: AuditLog, endpoint: String, perMinute: Int, maxEntries: Int = 10_000) {
        self.init(audit: audit, endpoint: endpoint, throttle: QueryAuditThrottle(perMinute: perMinute, maxEntries: maxEntries))
    }

    init(audit: AuditLog, endpoint: String, throttle: QueryAuditThrottle) {
        self.audit = audit
        self.endpoint = endpoint
        self.throttle = throttle
    }

    /// Records `kind` caused by `client` at monotonic time `now` (ns) unless throttled; the detail is
    /// cut to 512 characters.
    public func record(_ kind: AuditKind, client: String, detail: String, now: UInt64) {
        let verdict = throttle.admit(client: client, kind: kind, now: now)
        if verdict.suppressedBefore > 0 {
            audit.record(
                kind, endpoint: endpoint, client: client,
                detail: "\(verdict.suppressedBefore) further \(kind.rawValue) records from this client were suppressed in the previous minute")
        }
        if verdict.record {
            audit.record(kind, endpoint: endpoint, client: client, detail: String(detail.prefix(512)))
        }
    }
}
