import LMDB
import Sodium
import StateTree

/// A failure of a `StateStore` operation. Every case names the operation (`"open"`, `"commit"`,
/// `"snapshot"`, `"get"`, `"prune"`, …); storage failures keep LMDB's code and C function, and name the
/// database, version and key involved when there is one. Nothing in the store traps on bad input or on
/// bad bytes read from disk.
public enum StateStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// LMDB failed: `error` holds the C function and code (e.g. `mdb_put` → `MDB_MAP_FULL`).
    /// `database` is the named database touched (`"nodes"`, `"state"`, …), `version` the version being
    /// committed or read, `key` the raw key of the failed put/get/delete, each when relevant.
    case storage(operation: String, database: String?, version: UInt64?, key: [UInt8]?, error: LMDBError)
    /// The tree refused or failed: e.g. `corruptNode(key, version, reason)` for a mangled node on disk,
    /// `versionNotFound` for a pruned or never committed version.
    case tree(operation: String, error: StateTreeError)
    /// `commit` was given a version not above the latest committed one (rule ST-21).
    case versionNotIncreasing(version: UInt64, latest: UInt64)
    /// `writes[index]` (or `metadata[index]`) is not strictly above the previous key: unsorted or
    /// duplicate keys.
    case writesNotStrictlyAscending(field: String, index: Int)
    /// `writes[index]` (or `metadata[index]`) has a key LMDB cannot store: empty, or longer than
    /// `maxLength` bytes (LMDB's key limit, 511 by default).
    case invalidKey(field: String, index: Int, length: Int, maxLength: Int)
    /// A metadata key in the namespace the store keeps for itself (`store.`…).
    case reservedMetadataKey([UInt8])
    /// The data directory could not be created (`mkdir`, with `errno`).
    case createDirectory(path: String, errno: Int32)
    /// The store was written by a schema this code does not read: a newer release's (`found` above
    /// `supported`), or an unknown one (0, or older than the oldest `StateStore.migrate` upgrades).
    case unsupportedSchema(found: UInt32, supported: UInt32)
    /// The store at `path` has an older schema (`found`) that `StateStore.migrate` (the CLI's
    /// `ai-registry migrate --data-dir <path>`) upgrades to `current`. Opening it read-only is allowed.
    case schemaNeedsMigration(path: String, found: UInt32, current: UInt32)
    /// Bytes the store keeps for itself are malformed or disagree (e.g. the latest version in `meta`
    /// and the last root record): the store is damaged.
    case corruptStore(operation: String, reason: String)
    /// The write-behind write of `version` failed with `cause` (ADR 0027): nothing of it was written,
    /// and the store refuses every later commit, prune and import until it is reopened (at the last
    /// version that committed).
    indirect case writeBehindFailed(version: UInt64, cause: StateStoreError)

    /// The LMDB error behind a `storage` failure, if that is what this is.
    public var lmdbError: LMDBError? {
        if case .storage(_, _, _, _, let error) = self { return error }
        if case .writeBehindFailed(_, let cause) = self { return cause.lmdbError }
        return nil
    }

    public var description: String {
        switch self {
        case .storage(let operation, let database, let version, let key, let error):
            var text = "\(operation): \(error)"
            if let database { text += " in database \"\(database)\"" }
            if let version { text += " at version \(version)" }
            if let key { text += " for key \(Hex.encode(key.prefix(64)))\(key.count > 64 ? "…" : "")" }
            return text
        case .tree(let operation, let error):
            return "\(operation): \(error)"
        case .versionNotIncreasing(let version, let latest):
            return "commit: version \(version) is not above the latest version \(latest)"
        case .writesNotStrictlyAscending(let field, let index):
            return "commit: \(field)[\(index)].key is not strictly greater than the previous key"
        case .invalidKey(let field, let index, let length, let maxLength):
            return "commit: \(field)[\(index)].key has \(length) bytes; keys must have 1...\(maxLength) bytes"
        case .reservedMetadataKey(let key):
            return "commit: metadata key \"\(String(decoding: key, as: UTF8.self))\" is reserved by the store"
        case .createDirectory(let path, let code):
            return "open: mkdir \(path) failed (errno \(code))"
        case .unsupportedSchema(let found, let supported):
            if found > supported {
                return "open: the store has schema \(found), written by a newer release; this build reads schema \(supported) "
                    + "and does not downgrade: run the newer release, or restore the backup taken before the upgrade"
            }
            return "open: store schema \(found) is unknown (this build reads schema \(supported) and migrates from schema \(StateStore.oldestMigratableSchema))"
        case .schemaNeedsMigration(let path, let found, let current):
            return "open: the store in \(path) has schema \(found), older than this build's schema \(current); "
                + "stop the node, back up the data directory and run `ai-registry migrate --data-dir \(path)` to upgrade it"
        case .corruptStore(let operation, let reason):
            return "\(operation): the store is damaged: \(reason)"
        case .writeBehindFailed(let version, let cause):
            return "commitWriteBehind: the write of version \(version) failed (\(cause)); "
                + "nothing after it may be written: the store refuses commits until it is reopened"
        }
    }
}
