import ArgumentParser
import RegistryNode
import StateSync

/// `ai-registry snapshot <export|import|list>`: state-sync snapshots of a data directory (ADR 0019,
/// Docs/spec/snapshot.md).
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Export, import and list state-sync snapshots.",
        subcommands: [SnapshotExportCommand.self, SnapshotImportCommand.self, SnapshotListCommand.self, SnapshotFetchCommand.self]
    )

    /// The one-line JSON summary of a snapshot (what `export` and `list` print).
    static func summary(_ manifest: SnapshotManifest, directory: String) -> QueryJSONValue {
        .object([
            ("round", .unsigned(manifest.round)),
            ("root", .string(manifest.root.hex)),
            ("chain_id", .string(manifest.chainID)),
            ("entries", .unsigned(manifest.entryCount)),
            ("chunks", .unsigned(UInt64(manifest.chunks.count))),
            ("bytes", .unsigned(UInt64(manifest.totalChunkBytes))),
            ("id", .string(manifest.id.hex)),
            ("directory", .string(directory)),
        ])
    }
}
