import ArgumentParser
import StateSync

/// `ai-registry snapshot list [--dir DIR | --data-dir D]`: the complete snapshots of a catalog, one
/// JSON line each, ascending by round.
struct SnapshotListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the snapshots of a catalog (JSON lines).")

    @Option(name: .long, help: "The catalog directory.") var dir: String?
    @Option(name: .long, help: "A data directory whose catalog (<data-dir>/snapshots) to list.") var dataDir: String?

    func validate() throws {
        if (dir == nil) == (dataDir == nil) { throw ValidationError("give exactly one of --dir and --data-dir") }
    }

    func run() throws {
        let catalog = SnapshotCatalog(directory: dir ?? (dataDir ?? ".") + "/snapshots")
        let manifests: [SnapshotManifest]
        do { manifests = try catalog.list() } catch { throw ValidationError("list failed: \(error)") }
        for manifest in manifests {
            print(SnapshotCommand.summary(manifest, directory: catalog.path(round: manifest.round)).rendered(pretty: false))
        }
    }
}
