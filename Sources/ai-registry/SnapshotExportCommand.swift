import ArgumentParser
import StateStore
import StateSync

/// `ai-registry snapshot export --data-dir D [--round R] [--out DIR] [--chunk-bytes N]`: writes a
/// snapshot of a retained round. Opens the store read-only, so it works while `ai-registry run`
/// holds the data directory.
struct SnapshotExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write a snapshot of a retained round (default: the latest) into a catalog directory.")

    @Option(name: .long, help: "The plugin's data directory (holding data.mdb).") var dataDir: String
    @Option(name: .long, help: "The round to export (default: the latest).") var round: UInt64?
    @Option(name: .long, help: "The catalog directory (default: <data-dir>/snapshots).") var out: String?
    @Option(name: .long, help: "The largest chunk in bytes (at most 10485760).") var chunkBytes = SnapshotFormat.maxChunkBytes

    func run() throws {
        let store: StateStore
        do {
            store = try StateStore(directory: dataDir, configuration: .init(createDirectory: false, readOnly: true))
        } catch {
            throw ValidationError("cannot open the store in \(dataDir): \(error)")
        }
        let catalog = SnapshotCatalog(directory: out ?? dataDir + "/snapshots")
        let manifest: SnapshotManifest
        do { manifest = try SnapshotExporter.export(store: store, round: round, into: catalog, chunkBytes: chunkBytes) } catch {
            throw ValidationError("export failed: \(error)")
        }
        print(SnapshotCommand.summary(manifest, directory: catalog.path(round: manifest.round)).rendered(pretty: false))
    }
}
