import ArgumentParser
import RegistryNode
import Sodium
import StateSync

/// `ai-registry snapshot import --from DIR --round R --data-dir NEW [--trusted-root HEX]`: builds a
/// new data directory from a snapshot in a catalog, checking every chunk and the final root.
struct SnapshotImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Build a new data directory from a snapshot, verifying every chunk and the root.")

    @Option(name: .long, help: "The catalog directory holding the snapshot.") var from: String
    @Option(name: .long, help: "The snapshot's round.") var round: UInt64
    @Option(name: .long, help: "The new data directory (must not exist or be empty).") var dataDir: String
    @Option(name: .long, help: "The state root you trust for that round (hex), e.g. from the host chain.") var trustedRoot: String?

    func validate() throws {
        if let trustedRoot, Hex.decode(trustedRoot).flatMap({ Digest256(bytes: $0) }) == nil {
            throw ValidationError("--trusted-root must be 64 hex digits")
        }
    }

    func run() throws {
        let trusted = trustedRoot.flatMap(Hex.decode).flatMap { Digest256(bytes: $0) }
        let root: Digest256
        do {
            root = try SnapshotImporter.importSnapshot(
                from: SnapshotCatalog(directory: from), round: round, dataDirectory: dataDir, trustedRoot: trusted)
        } catch {
            throw ValidationError("import failed: \(error)")
        }
        let summary: QueryJSONValue = .object([
            ("round", .unsigned(round)), ("root", .string(root.hex)), ("data_dir", .string(dataDir)),
            ("trusted_root_checked", .bool(trusted != nil)),
        ])
        print(summary.rendered(pretty: false))
    }
}
