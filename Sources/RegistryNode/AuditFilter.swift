/// Which audit records `ai-registry audit tail` prints: kinds and a start time.
public struct AuditFilter: Sendable, Equatable {
    /// Only these kinds (raw names); empty means every kind.
    public var kinds: [String]
    /// Only records at or after this time (milliseconds since the Unix epoch); nil means all.
    public var sinceMillis: Int64?

    public init(kinds: [AuditKind] = [], sinceMillis: Int64? = nil) {
        self.kinds = kinds.map(\.rawValue)
        self.sinceMillis = sinceMillis
    }

    /// Every record.
    public static let all = AuditFilter()

    /// Whether `record` passes.
    public func accepts(_ record: AuditRecord) -> Bool {
        if !kinds.isEmpty, !kinds.contains(record.kind) { return false }
        if let sinceMillis, record.timeMillis < sinceMillis { return false }
        return true
    }
}
