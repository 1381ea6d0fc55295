import LMDB

/// Every database of a store's environment (ADR 0007).
struct StoreTables: Sendable {
    /// `nodes`, `stale`, `roots`: the versioned tree.
    let tree: TreeTables
    /// `state`: raw key → value of the latest version (the flat state), for point reads and ordered
    /// range scans.
    let state: Database
    /// `rounds`: version (u64 BE) → the opaque record the shell stores with the round.
    let rounds: Database
    /// `meta`: `store.schema` (u32 BE), `store.latest` (u64 BE), and the shell's metadata.
    let meta: Database

    static let stateName = "state", roundsName = "rounds", metaName = "meta"
    /// The number of named databases a store uses (the environment allows a few more).
    static let count = 6

    init(opening environment: Environment, create: Bool) throws(StateStoreError) {
        do {
            tree = try TreeTables(opening: environment, create: create)
            state = try environment.openDatabase(StoreTables.stateName, create: create)
            rounds = try environment.openDatabase(StoreTables.roundsName, create: create)
            meta = try environment.openDatabase(StoreTables.metaName, create: create)
        } catch {
            throw .storage(operation: "open", database: nil, version: nil, key: nil, error: error)
        }
    }
}

/// The keys the store keeps in `meta` for itself. The shell's metadata keys may not start with
/// `store.`.
enum MetaKey {
    static let reservedPrefix = Array("store.".utf8)
    /// The schema of the store's layout (u32 BE), `StateStore.schemaVersion`.
    static let schema = Array("store.schema".utf8)
    /// The latest committed version (u64 BE); absent in an empty store.
    static let latest = Array("store.latest".utf8)
    /// Schema 2: the first version whose history this store holds (u64 BE) — the genesis version for a
    /// store that replayed from genesis, the snapshot round for a store imported by state sync
    /// (ADR 0020). Absent in an empty store.
    static let historyStart = Array("store.history_start".utf8)

    static func isReserved(_ key: [UInt8]) -> Bool { key.starts(with: reservedPrefix) }
}
