// Every file-system call of StateSync. C calls are named beside the Swift function; directory
// listing and recursive removal go through Foundation's FileManager.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum FileSystem {
    /// Creates `path` (`open` with `O_CREAT | O_EXCL`), writes `bytes` (`write`), flushes them
    /// (`fsync`) and closes it (`close`).
    static func writeNewFile(_ path: String, _ bytes: [UInt8]) throws(SnapshotError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "write", path: path, errno: errno)
            }
            written += result
        }
        guard fsync(fd) == 0 else { throw .io(operation: "fsync", path: path, errno: errno) }
    }

    /// The contents of `path` (`open`, `fstat`, `read`), refusing files above `maxBytes`
    /// (`EFBIG`). Nil when the file does not exist.
    static func readFile(_ path: String, maxBytes: Int) throws(SnapshotError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw .io(operation: "open", path: path, errno: errno)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io(operation: "fstat", path: path, errno: errno) }
        let size = Int(info.st_size)
        guard size <= maxBytes else { throw .io(operation: "read", path: path, errno: EFBIG) }
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let result = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, size - done) }
            if result < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "read", path: path, errno: errno)
            }
            if result == 0 { break }
            done += result
        }
        return done == size ? bytes : Array(bytes[0..<done])
    }

    /// Creates the directory `path` with mode 0700 (`mkdir`); an existing directory is fine when
    /// `existingOK`.
    static func makeDirectory(_ path: String, existingOK: Bool = false) throws(SnapshotError) {
        if mkdir(path, 0o700) != 0 {
            let code = errno
            if code == EEXIST && existingOK && isDirectory(path) { return }
            throw .io(operation: "mkdir", path: path, errno: code)
        }
    }

    /// Creates `path` and its missing parents (`mkdir`).
    static func makeDirectories(_ path: String) throws(SnapshotError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += component
            try makeDirectory(prefix, existingOK: true)
            prefix += "/"
        }
    }

    /// Renames `from` to `to` atomically (`rename`).
    static func renameItem(_ from: String, _ to: String) throws(SnapshotError) {
        guard rename(from, to) == 0 else { throw .io(operation: "rename", path: from + " -> " + to, errno: errno) }
    }

    /// Flushes a directory's entries (`open` with `O_DIRECTORY`, `fsync`), so a rename in it is durable.
    static func syncDirectory(_ path: String) throws(SnapshotError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .io(operation: "fsync", path: path, errno: errno) }
    }

    /// Whether `path` is a directory (`stat`).
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether anything exists at `path` (`lstat`).
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// The names in a directory (FileManager), sorted; nil when it does not exist.
    static func list(_ path: String) throws(SnapshotError) -> [String]? {
        guard isDirectory(path) else { return nil }
        do { return try FileManager.default.contentsOfDirectory(atPath: path).sorted() } catch {
            throw .io(operation: "opendir", path: path, errno: Int32((error as NSError).code))
        }
    }

    /// Removes `path` and everything under it (FileManager); nothing there is fine.
    static func removeTree(_ path: String) throws(SnapshotError) {
        guard exists(path) else { return }
        do { try FileManager.default.removeItem(atPath: path) } catch {
            throw .io(operation: "remove", path: path, errno: Int32((error as NSError).code))
        }
    }

    /// The process id (`getpid`), to name temporary directories.
    static var processID: Int32 { getpid() }

    /// The parent directory and last component of `path`.
    static func split(_ path: String) -> (parent: String, name: String) {
        var trimmed = path
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return (".", trimmed) }
        let parent = String(trimmed[..<slash])
        return (parent.isEmpty ? "/" : parent, String(trimmed[trimmed.index(after: slash)...]))
    }
}
