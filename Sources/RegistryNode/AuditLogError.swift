#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure to open, write or rotate the audit file: the system call, the path and `errno`.
public struct AuditLogError: Error, Sendable, CustomStringConvertible {
    /// The system call (`open`, `write`, `rename`).
    public var operation: String
    /// The file involved.
    public var path: String
    /// `errno` after the call.
    public var code: Int32

    public init(operation: String, path: String, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    public var description: String {
        "audit log \(operation)(\(path)) failed: \(String(cString: strerror(code))) (errno \(code))"
    }
}
