import Foundation
import RegistryCore
import Sodium

/// Field checks shared by the request mappings; every failure names the field path.
public enum WireValidation {
    /// A 32-byte account id (an Ed25519 public key).
    public static func account(_ data: Data, field: String) throws(WireError) -> AccountID {
        guard data.count == 32, let digest = Digest256(bytes: [UInt8](data)) else {
            throw .invalid(field, "must be 32 bytes (an Ed25519 public key), got \(data.count)")
        }
        return AccountID(digest)
    }

    /// A 32-byte id (model id, hash).
    public static func digest(_ data: Data, field: String) throws(WireError) -> Digest256 {
        guard data.count == 32, let digest = Digest256(bytes: [UInt8](data)) else {
            throw .invalid(field, "must be 32 bytes, got \(data.count)")
        }
        return digest
    }

    /// A count no larger than `limit`.
    public static func count(_ count: Int, limit: Int, field: String) throws(WireError) {
        guard count <= limit else { throw .invalid(field, "at most \(limit) entries, got \(count)") }
    }
}
