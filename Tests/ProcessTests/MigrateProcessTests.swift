import Foundation
import TestSupport
import Testing

/// `ai-registry migrate` and `ai-registry run` (the real CLI) on a copy of the committed schema-1
/// store `Tests/Fixtures/store-v1` (ADR 0020).
@Suite("ai-registry migrate", .serialized)
struct MigrateProcessTests {
    typealias CLI = AuditTailProcessTests.CLI

    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/store-v1/data.mdb").path

    /// The JSON object printed on stdout.
    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("run refuses a schema-1 store naming the command; migrate --dry-run, migrate, migrate again")
    func migrateFixture() throws {
        let directory = TemporaryDirectory(prefix: "migrate-cli")
        let data = directory.path + "/data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: false)
        try FileManager.default.copyItem(atPath: Self.fixture, toPath: data + "/data.mdb")
        let original = try #require(FileManager.default.contents(atPath: data + "/data.mdb"))

        let run = try CLI(
            ["run", "--data-dir", data, "--consensus", "ipc://\(directory.path)/consensus.sock",
             "--no-query", "--no-events", "--no-metrics", "--no-gateway"],
            directory: directory.path, name: "run").finish()
        #expect(run.status == 1)
        #expect(run.stderr.contains("has schema 1, older than this build's schema 2"), "\(run.stderr)")
        #expect(run.stderr.contains("ai-registry migrate --data-dir \(data)"), "\(run.stderr)")
        #expect(FileManager.default.contents(atPath: data + "/data.mdb") == original)

        let dry = try CLI(["migrate", "--data-dir", data, "--dry-run", "--compact"], directory: directory.path, name: "dry").finish()
        #expect(dry.status == 0, "\(dry.stderr)")
        let dryReport = try Self.object(dry.stdout)
        #expect(dryReport["dry_run"] as? Bool == true)
        #expect(dryReport["from_schema"] as? Int == 1 && dryReport["to_schema"] as? Int == 2)
        #expect(FileManager.default.contents(atPath: data + "/data.mdb") == original)

        let migrate = try CLI(["migrate", "--data-dir", data, "--compact"], directory: directory.path, name: "migrate").finish()
        #expect(migrate.status == 0, "\(migrate.stderr)")
        let report = try Self.object(migrate.stdout)
        #expect(report["dry_run"] as? Bool == false && report["up_to_date"] as? Bool == false)
        #expect(report["from_schema"] as? Int == 1 && report["to_schema"] as? Int == 2)
        #expect(report["latest_version"] as? Int == 36)
        let steps = try #require(report["steps"] as? [[String: Any]])
        #expect(steps.count == 1)
        #expect((steps.first?["summary"] as? String)?.hasPrefix("store.history_start = 1 ") == true)

        let again = try CLI(["migrate", "--data-dir", data, "--compact"], directory: directory.path, name: "again").finish()
        #expect(again.status == 0)
        let noOp = try Self.object(again.stdout)
        #expect(noOp["up_to_date"] as? Bool == true && noOp["from_schema"] as? Int == 2)
        #expect((noOp["steps"] as? [Any])?.isEmpty == true)
    }

    @Test("migrate refuses a directory without data.mdb")
    func noStore() throws {
        let directory = TemporaryDirectory(prefix: "migrate-cli")
        let result = try CLI(["migrate", "--data-dir", directory.path], directory: directory.path, name: "empty").finish()
        #expect(result.status != 0)
        #expect(result.stderr.contains("holds no data.mdb"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/data.mdb"))
    }
}
