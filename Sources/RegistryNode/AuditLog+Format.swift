#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension AuditLog {
    /// One JSON line (with its newline) for a record.
    static func line(time: String, kind: AuditKind, endpoint: String, client: String, detail: String) -> [UInt8] {
        var out = "{\"time\":\"" + time + "\",\"kind\":\"" + kind.rawValue + "\",\"endpoint\":"
        out += QueryJSONValue.quoted(endpoint) + ",\"client\":" + QueryJSONValue.quoted(client)
        out += ",\"detail\":" + QueryJSONValue.quoted(detail) + "}\n"
        return Array(out.utf8)
    }

    /// The current UTC time as RFC 3339 with milliseconds (`clock_gettime(CLOCK_REALTIME)`, `gmtime_r`).
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return pad(Int(parts.tm_year) + 1900, 4) + "-" + pad(Int(parts.tm_mon) + 1, 2) + "-" + pad(Int(parts.tm_mday), 2)
            + "T" + pad(Int(parts.tm_hour), 2) + ":" + pad(Int(parts.tm_min), 2) + ":" + pad(Int(parts.tm_sec), 2)
            + "." + pad(Int(now.tv_nsec / 1_000_000), 3) + "Z"
    }
}
