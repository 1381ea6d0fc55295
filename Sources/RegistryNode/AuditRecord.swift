import Foundation

/// One record of the audit log as read back (`AuditLog` writes them):
/// `{"time":"…","kind":"…","endpoint":"…","client":"…","detail":"…"}`.
public struct AuditRecord: Sendable, Equatable {
    /// RFC 3339 UTC time with milliseconds, as written.
    public var time: String
    /// The time in milliseconds since the Unix epoch (parsed from `time`).
    public var timeMillis: Int64
    /// The kind's name (an `AuditKind` raw value; a newer writer may use a name this build lacks).
    public var kind: String
    /// The endpoint that refused the request (`consensus`, `query`, …).
    public var endpoint: String
    /// The client as the endpoint saw it (address, key, token subject).
    public var client: String
    /// Free text: what was refused and why.
    public var detail: String
    /// The line as it is in the file, without its newline (for `--json`).
    public var line: String

    /// The kind, when this build knows it.
    public var auditKind: AuditKind? { AuditKind(rawValue: kind) }

    /// Parses one line (without its newline); the error says which field is wrong.
    public init(line: String) throws(AuditRecordError) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            throw AuditRecordError(reason: "not a JSON object")
        }
        func field(_ name: String) throws(AuditRecordError) -> String {
            guard let value = object[name] else { throw AuditRecordError(reason: "missing field \"\(name)\"") }
            guard let text = value as? String else { throw AuditRecordError(reason: "field \"\(name)\" is not a string") }
            return text
        }
        time = try field("time")
        guard let millis = AuditTime.millis(time) else { throw AuditRecordError(reason: "field \"time\" is not an RFC 3339 time: \(time)") }
        timeMillis = millis
        kind = try field("kind")
        endpoint = try field("endpoint")
        client = try field("client")
        detail = try field("detail")
        self.line = line
    }

    /// One readable line: `time kind endpoint client: detail`, control characters escaped.
    public var readable: String {
        "\(time) \(kind) \(endpoint) \(Self.printable(client)): \(Self.printable(detail))"
    }

    /// `text` with control characters written as `\n`, `\t`, `\u{…}` so a record stays on one line.
    static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += "\\u{\(String(scalar.value, radix: 16))}" } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}

/// Why a line of the audit log is not a record.
public struct AuditRecordError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The offending field or the parse failure.
    public var reason: String
    public var description: String { reason }
}
