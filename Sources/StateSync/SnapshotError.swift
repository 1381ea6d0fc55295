import Sodium
import StateStore
import StateTree

/// A failure of a snapshot operation. Every case names the round, chunk, field or path at fault.
public enum SnapshotError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file-system call failed (`operation` is the C function, `errno` its code).
    case io(operation: String, path: String, errno: Int32)
    /// The state store failed.
    case store(operation: String, error: StateStoreError)
    /// The manifest is not a valid canonical manifest: `field` is the offending JSON field.
    case manifestInvalid(field: String, reason: String)
    /// The manifest or a chunk has a format this build does not read.
    case unsupportedFormat(found: UInt32, supported: UInt32)
    /// Export of a round the store does not hold (never committed, pruned, or an empty store).
    case roundNotAvailable(round: UInt64?, reason: String)
    /// No complete snapshot of `round` in the catalog.
    case snapshotNotFound(round: UInt64)
    /// A chunk index outside the manifest's chunk list.
    case chunkIndexOutOfRange(round: UInt64, index: Int, chunkCount: Int)
    /// Chunks must be applied in index order: `expected` was due, `received` came.
    case chunkOutOfOrder(round: UInt64, expected: Int, received: Int)
    /// A chunk whose size differs from the manifest's.
    case chunkSizeMismatch(round: UInt64, index: Int, expected: Int, actual: Int)
    /// A chunk whose BLAKE2b-256 differs from the manifest's.
    case chunkHashMismatch(round: UInt64, index: Int, expected: Digest256, actual: Digest256)
    /// A chunk that hashes right but is not a valid chunk of this snapshot: `offset` is the byte at fault.
    case chunkMalformed(round: UInt64, index: Int, offset: Int, reason: String)
    /// Entries out of key-hash order or repeated (within a chunk or across chunks).
    case entriesNotAscending(round: UInt64, index: Int, offset: Int, reason: String)
    /// An entry too large for the chunk size of an export.
    case entryTooLarge(round: UInt64, byteCount: Int, chunkBytes: Int)
    /// An export chunk size below `SnapshotFormat.minChunkBytes` or above `maxChunkBytes`.
    case invalidChunkBytes(Int)
    /// `finish` before every chunk was applied.
    case missingChunks(round: UInt64, applied: Int, expected: Int)
    /// The rebuilt root differs from the manifest's.
    case rootMismatch(round: UInt64, expected: Digest256, actual: Digest256)
    /// The manifest's root differs from the root the operator trusts.
    case untrustedRoot(round: UInt64, trusted: Digest256, manifest: Digest256)
    /// The import's target directory exists and is not empty.
    case dataDirectoryNotEmpty(path: String)
    /// The import failed earlier (and its staging directory is gone); start again.
    case importAborted(round: UInt64)

    public var description: String {
        switch self {
        case .io(let operation, let path, let code):
            return "\(operation) \(path) failed (errno \(code))"
        case .store(let operation, let error):
            return "\(operation): \(error)"
        case .manifestInvalid(let field, let reason):
            return "manifest: field \"\(field)\": \(reason)"
        case .unsupportedFormat(let found, let supported):
            return "snapshot format \(found) is not supported (this build reads format \(supported))"
        case .roundNotAvailable(let round, let reason):
            return "export: round \(round.map(String.init) ?? "latest") is not available: \(reason)"
        case .snapshotNotFound(let round):
            return "no complete snapshot of round \(round)"
        case .chunkIndexOutOfRange(let round, let index, let count):
            return "snapshot \(round): chunk \(index) does not exist (\(count) chunks)"
        case .chunkOutOfOrder(let round, let expected, let received):
            return "snapshot \(round): chunk \(received) received, chunk \(expected) expected (chunks apply in order)"
        case .chunkSizeMismatch(let round, let index, let expected, let actual):
            return "snapshot \(round): chunk \(index) has \(actual) bytes, the manifest says \(expected)"
        case .chunkHashMismatch(let round, let index, let expected, let actual):
            return "snapshot \(round): chunk \(index) hashes to \(actual), the manifest says \(expected)"
        case .chunkMalformed(let round, let index, let offset, let reason):
            return "snapshot \(round): chunk \(index) at byte \(offset): \(reason)"
        case .entriesNotAscending(let round, let index, let offset, let reason):
            return "snapshot \(round): chunk \(index) at byte \(offset): \(reason)"
        case .entryTooLarge(let round, let bytes, let chunkBytes):
            return "export of round \(round): an entry of \(bytes) bytes does not fit in a chunk of \(chunkBytes) bytes"
        case .invalidChunkBytes(let bytes):
            return "export: chunk size \(bytes) is outside \(SnapshotFormat.minChunkBytes)...\(SnapshotFormat.maxChunkBytes)"
        case .missingChunks(let round, let applied, let expected):
            return "snapshot \(round): finish after \(applied) of \(expected) chunks"
        case .rootMismatch(let round, let expected, let actual):
            return "snapshot \(round): the rebuilt root is \(actual), the manifest says \(expected)"
        case .untrustedRoot(let round, let trusted, let manifest):
            return "snapshot \(round): the manifest's root \(manifest) is not the trusted root \(trusted)"
        case .dataDirectoryNotEmpty(let path):
            return "import: \(path) exists and is not empty"
        case .importAborted(let round):
            return "import of snapshot \(round) failed earlier; start again"
        }
    }
}
