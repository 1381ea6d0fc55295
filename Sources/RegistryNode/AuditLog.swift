#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import Synchronization

/// The structured audit log: one JSON object per line,
/// `{"time":"2025-01-01T00:00:00.000Z","kind":"frameTooLarge","endpoint":"consensus","client":"…","detail":"…"}`,
/// appended to a file rotated by size (`file.1` is the newest rotated file, `file.N` the oldest), and
/// also logged through swift-log at `notice`. Wall-clock time is fine here: it is not consensus state.
///
/// Thread-safe: every endpoint thread records into the same log.
public final class AuditLog: Sendable {
    /// The file the records go to (nil: swift-log only).
    public let path: String?
    /// The size at which the file is rotated.
    public let maxBytes: Int
    /// How many rotated files are kept (`file.1` … `file.maxFiles`).
    public let maxFiles: Int
    private let logger: Logger
    private let state: Mutex<FileState>

    private struct FileState {
        var descriptor: Int32 = -1
        var size: Int = 0
    }

    /// Opens (creating, mode 0640) or appends to the audit file at `path`; nil records through `logger` only.
    public init(path: String?, maxBytes: Int = 64 << 20, maxFiles: Int = 5, logger: Logger) throws(AuditLogError) {
        self.path = path
        self.maxBytes = max(4096, maxBytes)
        self.maxFiles = max(1, maxFiles)
        self.logger = logger
        var initial = FileState()
        if let path {
            initial = try Self.open(path)
        }
        state = Mutex(initial)
    }

    deinit {
        state.withLock { state in
            if state.descriptor >= 0 { _ = close(state.descriptor) }
            state.descriptor = -1
        }
    }

    /// Appends one record. Never throws: a failing audit file is reported through the logger.
    public func record(_ kind: AuditKind, endpoint: String, client: String, detail: String) {
        logger.notice(
            "audit",
            metadata: ["kind": "\(kind.rawValue)", "endpoint": "\(endpoint)", "client": "\(client)", "detail": "\(detail)"]
        )
        guard let path else { return }
        let line = Self.line(time: Self.timestamp(), kind: kind, endpoint: endpoint, client: client, detail: detail)
        let failure: String? = state.withLock { state -> String? in
            do {
                if state.descriptor < 0 { state = try Self.open(path) }
                if state.size > 0, state.size + line.count > maxBytes {
                    try rotate(&state, path: path)
                }
                try Self.writeAll(state.descriptor, line)
                state.size += line.count
                return nil
            } catch {
                return "\(error)"
            }
        }
        if let failure {
            logger.error("audit log write failed", metadata: ["path": "\(path)", "error": "\(failure)"])
        }
    }

    /// Flushes the file to disk (`fsync`).
    public func sync() {
        state.withLock { state in
            if state.descriptor >= 0 { _ = fsync(state.descriptor) }
        }
    }

    private func rotate(_ state: inout FileState, path: String) throws(AuditLogError) {
        _ = close(state.descriptor)
        state.descriptor = -1
        // file.N-1 → file.N, …, file → file.1 (rename over the oldest drops it).
        for index in stride(from: maxFiles - 1, through: 1, by: -1) {
            _ = rename("\(path).\(index)", "\(path).\(index + 1)")
        }
        if rename(path, "\(path).1") != 0 {
            throw AuditLogError(operation: "rename", path: path, code: errno)
        }
        state = try Self.open(path)
    }

    private static func open(_ path: String) throws(AuditLogError) -> FileState {
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { throw AuditLogError(operation: "open", path: path, code: errno) }
        var info = stat()
        let size = fstat(descriptor, &info) == 0 ? Int(info.st_size) : 0
        return FileState(descriptor: descriptor, size: size)
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) throws(AuditLogError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw AuditLogError(operation: "write", path: "", code: errno)
            }
            offset += written
        }
    }
}
