#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One audit file opened read-only, with its identity (device and inode) so a reader notices when
/// the path is rotated away. Every system call of the audit readers is here. Closed on release.
final class AuditFile {
    /// The path it was opened by.
    let path: String
    let descriptor: Int32
    /// `st_dev`, `st_ino` at open: the file, whatever its name becomes.
    let identity: AuditFileIdentity

    /// Opens `path` read-only (`open(O_RDONLY)`, `fstat`); nil when it does not exist or cannot be read.
    init?(path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            _ = close(descriptor)
            return nil
        }
        self.path = path
        self.descriptor = descriptor
        identity = AuditFileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    deinit { _ = close(descriptor) }

    /// The current size (`fstat`), 0 if it cannot be read.
    var size: Int {
        var info = stat()
        return fstat(descriptor, &info) == 0 ? Int(info.st_size) : 0
    }

    /// Up to `count` bytes at `offset` (`pread`, retried on EINTR and short reads); fewer at the end.
    func read(at offset: Int, count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress! + done, count - done, off_t(offset + done))
            }
            if got < 0, errno == EINTR { continue }
            if got <= 0 { break }
            done += got
        }
        bytes.removeSubrange(done...)
        return bytes
    }

    /// The identity of the file now at `path` (`stat`), or nil when there is none.
    static func identity(of path: String) -> AuditFileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return AuditFileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// Whether a file exists at `path` (`access(F_OK)`).
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }
}

/// A file's device and inode numbers.
public struct AuditFileIdentity: Sendable, Equatable {
    public var device: UInt64
    public var inode: UInt64
}
