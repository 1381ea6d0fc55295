import Foundation
import Sodium
import ZMQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Key files as `ai-registry keys` writes them and the configuration reads them: one key per file as
/// text (CURVE keys as 40 Z85 characters, Ed25519 seeds and public keys as 64 hex characters), a final
/// newline; secret files are created with mode 0600 and never overwritten unless asked.
public enum KeysFile {
    /// Why a key file could not be read or written.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var message: String
        public init(path: String, message: String) { self.path = path; self.message = message }
        public var description: String { "\(path): \(message)" }
    }

    /// A 32-byte key from 40 Z85 or 64 hex characters (surrounding white space ignored).
    public static func decodeKey(_ text: String) -> [UInt8]? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.utf8.count == 40, let key = Z85.decode(trimmed), key.count == 32 { return key }
        if trimmed.utf8.count == 64, let key = Hex.decode(trimmed), key.count == 32 { return key }
        return nil
    }

    /// Reads a 32-byte key file (Z85 or hex text; a JSON object with `secret_key` or `public_key` also works).
    public static func readKey(path: String) throws(Failure) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(path: path, message: "cannot read the file")
        }
        guard data.count <= 65_536 else { throw Failure(path: path, message: "too large for a key file") }
        let text = String(decoding: data, as: UTF8.self)
        if let key = decodeKey(text) { return key }
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            for name in ["secret_key", "public_key", "secret", "public"] {
                if let value = object[name] as? String, let key = decodeKey(value) { return key }
            }
        }
        throw Failure(path: path, message: "holds no 32-byte key (40 Z85 or 64 hex characters)")
    }

    /// Writes `text` + newline to `path` with `mode` (0600 for secrets), refusing to replace an existing
    /// file unless `overwrite`. The file is written under a temporary name and renamed into place.
    public static func write(_ text: String, to path: String, mode: mode_t, overwrite: Bool) throws(Failure) {
        if !overwrite && FileManager.default.fileExists(atPath: path) {
            throw Failure(path: path, message: "exists; use --force to overwrite")
        }
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw Failure(path: path, message: "cannot create: \(String(cString: strerror(errno)))") }
        // The umask may have removed bits; secret files must be exactly `mode`.
        _ = fchmod(descriptor, mode)
        let bytes = Array((text + "\n").utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        guard written == bytes.count, synced == 0 else {
            unlink(temporary)
            throw Failure(path: path, message: "write failed: \(String(cString: strerror(errno)))")
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw Failure(path: path, message: "rename failed: \(String(cString: strerror(errno)))")
        }
    }
}
