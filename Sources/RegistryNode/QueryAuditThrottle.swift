import Synchronization

/// Bounds the audit records one client can cause (ADR 0014): at most `perMinute` records per client
/// and kind in each minute; the rest are counted, and the first record after the minute is preceded by
/// one summary record (`N further <kind> records suppressed`). So a flood of bad or excessive requests
/// costs a bounded number of lines per client per minute. At most `maxEntries` (client, kind) pairs are
/// tracked; when full, the oldest windows are forgotten. Thread-safe; time from the caller (monotonic ns).
final class QueryAuditThrottle: Sendable {
    /// What to do with one record.
    struct Verdict: Equatable {
        /// Whether to write the record.
        var record: Bool
        /// Records suppressed in the previous window, to report first (0: none).
        var suppressedBefore: Int
    }

    private struct Window {
        var start: UInt64
        var count: Int
        var suppressed: Int
    }

    private static let windowNanoseconds: UInt64 = 60_000_000_000

    let perMinute: Int
    let maxEntries: Int
    private let windows: Mutex<[String: Window]>

    init(perMinute: Int, maxEntries: Int = 10_000) {
        self.perMinute = max(1, perMinute)
        self.maxEntries = max(1, maxEntries)
        windows = Mutex([:])
    }

    /// The verdict for a record of `kind` caused by `client` at `now`.
    func admit(client: String, kind: AuditKind, now: UInt64) -> Verdict {
        let key = kind.rawValue + " " + client
        return windows.withLock { table in
            if var window = table[key], now >= window.start, now - window.start < Self.windowNanoseconds {
                window.count += 1
                let record = window.count <= perMinute
                if !record { window.suppressed += 1 }
                table[key] = window
                return Verdict(record: record, suppressedBefore: 0)
            }
            let previous = table[key]?.suppressed ?? 0
            if table[key] == nil && table.count >= maxEntries {
                // Forget expired windows; if none, the oldest (its suppressed count is lost, not its records).
                let expired = table.filter { now < $0.value.start || now - $0.value.start >= Self.windowNanoseconds }.map(\.key)
                if expired.isEmpty {
                    if let oldest = table.min(by: { $0.value.start < $1.value.start }) { table[oldest.key] = nil }
                } else {
                    for old in expired { table[old] = nil }
                }
            }
            table[key] = Window(start: now, count: 1, suppressed: 0)
            return Verdict(record: true, suppressedBefore: previous)
        }
    }
}
