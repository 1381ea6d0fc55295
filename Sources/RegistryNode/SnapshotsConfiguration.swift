import Foundation
import StateSync

/// The `snapshots` section: periodic state-sync snapshots taken by `ai-registry run` and served on
/// the query endpoint (`list_snapshots`, `get_snapshot_chunk`; ADR 0022, ADR 0019).
///
/// Defaults: off (`interval_rounds` 0), keep 2, directory `<data_dir>/snapshots`, 10 MiB chunks. Off by
/// default because an export reads the whole state on a background thread (a few seconds of one core
/// per million keys, Docs/benchmarks.md) and keeps an LMDB read transaction open meanwhile; an operator
/// who offers state sync to new validators turns it on (e.g. 10,000 rounds). The query endpoint serves
/// whatever complete snapshots the directory holds, also those written by `ai-registry snapshot export`.
public struct SnapshotsConfiguration: Sendable, Equatable {
    /// Export round R after it commits when R is a multiple of this; 0 turns periodic snapshots off.
    /// 0…1,000,000,000. Default 0.
    public var intervalRounds: UInt64
    /// The most recent snapshots kept after each export (1…1000). Default 2.
    public var keep: Int
    /// The catalog directory; nil means `<data_dir>/snapshots`.
    public var directory: String?
    /// The largest chunk file (`SnapshotFormat.minChunkBytes`…10 MiB). Default 10 MiB.
    public var chunkBytes: Int

    public init(intervalRounds: UInt64 = 0, keep: Int = 2, directory: String? = nil,
                chunkBytes: Int = SnapshotFormat.maxChunkBytes) {
        self.intervalRounds = intervalRounds
        self.keep = keep
        self.directory = directory
        self.chunkBytes = chunkBytes
    }

    /// The defaults described on each property.
    public static let defaults = SnapshotsConfiguration()

    /// The keys of the section.
    public static let keys = ["interval_rounds", "keep", "directory", "chunk_bytes"]

    /// Parses the section (defaults for missing keys) and validates it.
    public init(json: [String: Any], path: String = "snapshots") throws(ConfigurationError) {
        let section = ConfigurationJSON(json, path: path)
        try section.rejectUnknown(Self.keys)
        self = .defaults
        if let value = try section.int("interval_rounds") {
            guard value >= 0 else { throw section.error("interval_rounds", "must be 0 (off) or positive (got \(value))") }
            intervalRounds = UInt64(value)
        }
        if let value = try section.int("keep") { keep = value }
        if let value = try section.string("directory") { directory = value }
        if let value = try section.int("chunk_bytes") { chunkBytes = value }
        try validate(path: path)
    }

    /// Checks every value; errors name the key under `path`.
    public func validate(path: String = "snapshots") throws(ConfigurationError) {
        guard intervalRounds <= 1_000_000_000 else {
            throw ConfigurationError(key: path + ".interval_rounds", message: "must be between 0 and 1000000000 (got \(intervalRounds))")
        }
        guard (1...1000).contains(keep) else {
            throw ConfigurationError(key: path + ".keep", message: "must be between 1 and 1000 (got \(keep))")
        }
        if let directory, directory.isEmpty {
            throw ConfigurationError(key: path + ".directory", message: "must not be empty (omit it for <data_dir>/snapshots)")
        }
        guard (SnapshotFormat.minChunkBytes...SnapshotFormat.maxChunkBytes).contains(chunkBytes) else {
            throw ConfigurationError(
                key: path + ".chunk_bytes",
                message: "must be between \(SnapshotFormat.minChunkBytes) and \(SnapshotFormat.maxChunkBytes) (got \(chunkBytes))")
        }
    }

    /// The catalog directory for a node whose data directory is `dataDirectory`.
    public func resolvedDirectory(dataDirectory: String) -> String {
        directory ?? (dataDirectory as NSString).appendingPathComponent("snapshots")
    }
}

extension NodeConfiguration {
    /// The snapshot catalog's directory: `snapshots.directory`, or `<data_dir>/snapshots` when unset.
    public var snapshotDirectory: String { snapshots.resolvedDirectory(dataDirectory: dataDirectory) }
}
