import ArgumentParser
import Foundation
import RegistryNode
import StateStore

/// `ai-registry migrate --data-dir D [--dry-run]`: upgrades the store in a data directory to the schema
/// this release uses (`StateStore.migrate`, ADR 0020) and prints the report as JSON. Stop the plugin
/// and back up the data directory first (Docs/operators/upgrades.md).
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Upgrade a stopped plugin's data directory to this release's store schema.",
        discussion: """
            Each step runs in one LMDB transaction that also bumps the schema, so an interrupted migration \
            leaves the store at the last completed step; run the command again to resume. A store already \
            at this release's schema is left untouched. A store written by a newer release is refused.
            """
    )

    @Option(name: .long, help: "The plugin's data directory (holding data.mdb).")
    var dataDir: String

    @Flag(name: .long, help: "Run the steps in a transaction that is rolled back: report what would change, write nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Print JSON on one line.")
    var compact = false

    func run() throws {
        guard FileManager.default.fileExists(atPath: dataDir + "/data.mdb") else {
            throw ValidationError("--data-dir: \(dataDir) holds no data.mdb")
        }
        let report: MigrationReport
        do {
            report = try StateStore.migrate(directory: dataDir, dryRun: dryRun)
        } catch {
            FileHandle.standardError.write(Data("ai-registry migrate: \(error)\n".utf8))
            throw ExitCode(1)
        }
        print(Self.json(report).rendered(pretty: !compact))
    }

    /// The report as JSON: directory, from, to, dry_run, latest_version, steps, duration_us.
    static func json(_ report: MigrationReport) -> QueryJSONValue {
        .object([
            ("directory", .string(report.directory)),
            ("from_schema", .unsigned(UInt64(report.from))),
            ("to_schema", .unsigned(UInt64(report.to))),
            ("dry_run", .bool(report.dryRun)),
            ("up_to_date", .bool(report.isNoOp)),
            ("latest_version", report.latestVersion.map { .unsigned($0) } ?? .null),
            ("steps", .array(report.steps.map { step in
                .object([
                    ("from_schema", .unsigned(UInt64(step.from))),
                    ("to_schema", .unsigned(UInt64(step.to))),
                    ("name", .string(step.name)),
                    ("summary", .string(step.summary)),
                    ("duration_us", .unsigned(step.durationNanoseconds / 1_000)),
                ])
            })),
            ("duration_us", .unsigned(report.durationNanoseconds / 1_000)),
        ])
    }
}
