import StateStore

/// The `storage` section: the LMDB environment and how many past rounds are kept.
public struct NodeStorageConfiguration: Sendable, Equatable {
    /// The LMDB map size in bytes (`mdb_env_set_mapsize`; address space, not disk), 1 MiB…1 TiB. Default 64 GiB.
    public var mapSizeBytes: Int
    /// When commits reach the disk: `full`, `noMetaSync` (default) or `noSync` (ADR 0008).
    public var durability: StateStore.Durability
    /// The most concurrent LMDB readers (query workers + consensus + tools), 8…4096. Default 126.
    public var maxReaders: Int
    /// Past rounds whose roots, proofs and round results stay available; 0 keeps every round. Default 100,000.
    public var retentionRounds: UInt64
    /// The most entries deleted by the prune step after each round (100…10,000,000). Default 20,000.
    public var pruneBatchEntries: Int
    /// How ApplyRound commits: `writeBehind` (default: the reply goes out once the root is computed,
    /// the LMDB write follows on a writer thread, ADR 0027) or `synchronous` (ADR 0008).
    public var commitMode: CommitMode
    /// With `writeBehind`, rounds with fewer state writes than this commit synchronously instead
    /// (0…1,000,000). Default 0: every round writes behind (ADR 0027, amended in session 4).
    public var writeBehindMinimumWrites: Int

    /// `storage.commit_mode`.
    public enum CommitMode: String, Sendable, Equatable, CaseIterable {
        /// The round's write commits on the store's writer thread after the reply (ADR 0027).
        case writeBehind = "write_behind"
        /// The round's write commits before the reply (ADR 0008).
        case synchronous
    }

    public init(mapSizeBytes: Int = 64 << 30, durability: StateStore.Durability = .noMetaSync, maxReaders: Int = 126,
                retentionRounds: UInt64 = 100_000, pruneBatchEntries: Int = 20_000, commitMode: CommitMode = .writeBehind,
                writeBehindMinimumWrites: Int = 0) {
        self.mapSizeBytes = mapSizeBytes
        self.durability = durability
        self.maxReaders = maxReaders
        self.retentionRounds = retentionRounds
        self.pruneBatchEntries = pruneBatchEntries
        self.commitMode = commitMode
        self.writeBehindMinimumWrites = writeBehindMinimumWrites
    }

    /// The defaults described on each property.
    public static let defaults = NodeStorageConfiguration()

    /// The keys of the section.
    public static let keys = ["map_size_bytes", "sync_mode", "max_readers", "retention_rounds", "prune_batch_entries", "commit_mode",
                              "write_behind_min_writes"]

    /// Parses the section (defaults for missing keys) and validates it.
    public init(json: [String: Any], path: String = "storage") throws(ConfigurationError) {
        let section = ConfigurationJSON(json, path: path)
        try section.rejectUnknown(Self.keys)
        self = .defaults
        if let value = try section.int("map_size_bytes") { mapSizeBytes = value }
        if let value = try section.string("sync_mode") {
            guard let mode = Self.durability(named: value) else {
                throw section.error("sync_mode", "must be one of full, noMetaSync, noSync (got \"\(value)\")")
            }
            durability = mode
        }
        if let value = try section.int("max_readers") { maxReaders = value }
        if let value = try section.int("retention_rounds") {
            guard value >= 0 else { throw section.error("retention_rounds", "must be 0 (keep all) or positive (got \(value))") }
            retentionRounds = UInt64(value)
        }
        if let value = try section.int("prune_batch_entries") { pruneBatchEntries = value }
        if let value = try section.string("commit_mode") {
            guard let mode = CommitMode(rawValue: value) else {
                throw section.error("commit_mode", "must be one of write_behind, synchronous (got \"\(value)\")")
            }
            commitMode = mode
        }
        if let value = try section.int("write_behind_min_writes") { writeBehindMinimumWrites = value }
        try validate(path: path)
    }

    /// Checks every value; errors name the key under `path`.
    public func validate(path: String = "storage") throws(ConfigurationError) {
        guard ((1 << 20)...(1 << 40)).contains(mapSizeBytes) else {
            throw ConfigurationError(key: path + ".map_size_bytes", message: "must be between 1048576 and 1099511627776 (got \(mapSizeBytes))")
        }
        guard (8...4096).contains(maxReaders) else {
            throw ConfigurationError(key: path + ".max_readers", message: "must be between 8 and 4096 (got \(maxReaders))")
        }
        guard (0...1_000_000).contains(writeBehindMinimumWrites) else {
            throw ConfigurationError(key: path + ".write_behind_min_writes", message: "must be between 0 and 1000000 (got \(writeBehindMinimumWrites))")
        }
        guard (100...10_000_000).contains(pruneBatchEntries) else {
            throw ConfigurationError(key: path + ".prune_batch_entries", message: "must be between 100 and 10000000 (got \(pruneBatchEntries))")
        }
    }

    /// The durability of a `sync_mode` name (`full`, `noMetaSync`, `noSync`).
    public static func durability(named name: String) -> StateStore.Durability? {
        StateStore.Durability(rawValue: name)
    }

    /// The StateStore options of this section.
    public var storeConfiguration: StateStore.Configuration {
        StateStore.Configuration(mapSize: mapSizeBytes, maxReaders: maxReaders, durability: durability)
    }
}
