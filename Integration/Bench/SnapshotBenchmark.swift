// `registry-bench snapshot`: state-sync snapshot export and import (Docs/benchmarks.md, Snapshots).
import Foundation
import StateStore
import StateSync

/// Builds a store of `--keys` keys (the tree benchmark's workload: `m/` + 32 random bytes, 100–300-byte
/// values; a few large `noSync` commits), then times `SnapshotExporter.export` of the latest round
/// and `SnapshotImporter.importSnapshot` of it into a new data directory (root checked against the
/// source's), and prints wall and CPU time, bytes written and chunk count against the 10 s targets.
enum SnapshotBenchmark {
    struct Options {
        var keys = 1_000_000
        var loadBatch = 100_000
        var chunkBytes = SnapshotFormat.maxChunkBytes
        var parent = NSTemporaryDirectory()
        var keep = false
    }

    static let help = """
        usage: registry-bench snapshot [--keys N] [--load-batch N] [--chunk-bytes N] [--dir PARENT] [--keep]
          --keys         keys in the source store (default 1000000)
          --load-batch   keys per commit while building the source store (default 100000)
          --chunk-bytes  largest chunk (default 10485760)
          --dir          where the temporary directories go (default the system temp directory)
          --keep         keep the directories
        """

    static let targetNanoseconds: UInt64 = 10_000_000_000

    static func run(_ arguments: [String]) -> Int32 {
        var options = Options()
        var index = 0
        func value() -> String? {
            index += 1
            return index < arguments.count ? arguments[index] : nil
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--keys":
                guard let n = value().flatMap({ Int($0) }), n >= 0 else { return fail("--keys needs a number") }
                options.keys = n
            case "--load-batch":
                guard let n = value().flatMap({ Int($0) }), n > 0 else { return fail("--load-batch needs a number") }
                options.loadBatch = n
            case "--chunk-bytes":
                guard let n = value().flatMap({ Int($0) }), n > 0 else { return fail("--chunk-bytes needs a number") }
                options.chunkBytes = n
            case "--dir":
                guard let dir = value() else { return fail("--dir needs a path") }
                options.parent = dir
            case "--keep":
                options.keep = true
            case "--help", "-h":
                print(help)
                return 0
            default:
                return fail("unknown option \(arguments[index])")
            }
            index += 1
        }
        do {
            return try benchmark(options)
        } catch {
            print("snapshot benchmark failed: \(error)")
            return 1
        }
    }

    static func fail(_ message: String) -> Int32 {
        print("registry-bench snapshot: \(message)\n\(help)")
        return 2
    }

    static func benchmark(_ options: Options) throws -> Int32 {
        let directory = try TreeBenchmark.makeDirectory(parent: options.parent)
        defer { if !options.keep { try? FileManager.default.removeItem(atPath: directory) } }
        var machine = TreeBenchmark.Options()
        machine.configuration.durability = .noSync  // the source store's mode (the import's staging store too)
        TreeBenchmark.printMachine(machine)
        print("snapshot benchmark: \(options.keys) keys, chunks of at most \(options.chunkBytes) bytes, in \(directory)")

        let loadStart = Clock.now()
        let source = try StateStore(directory: directory + "/source", configuration: .init(durability: .noSync))
        var workload = Workload(seed: 0x5A95)
        var round: UInt64 = 1
        var loaded = 0
        repeat {
            let count = min(options.loadBatch, options.keys - loaded)
            try source.commit(version: round, writes: workload.inserts(count))
            loaded += count
            round += 1
        } while loaded < options.keys
        try source.sync()
        let sourceRoot = try source.snapshot().latestRootHash()
        print(String(format: "source store: %d keys in %d commits, %.1f s", loaded, round - 1, seconds(Clock.now() - loadStart)))

        let catalog = SnapshotCatalog(directory: directory + "/snapshots")
        let exportWall = Clock.now(), exportCPU = Clock.processCPU()
        let manifest = try SnapshotExporter.export(store: source, round: nil, into: catalog, chunkBytes: options.chunkBytes)
        let exportNanoseconds = Clock.now() - exportWall, exportCPUNanoseconds = Clock.processCPU() - exportCPU

        let target = directory + "/imported"
        let importWall = Clock.now(), importCPU = Clock.processCPU()
        let importedRoot = try SnapshotImporter.importSnapshot(from: catalog, round: manifest.round, dataDirectory: target,
                                                               trustedRoot: sourceRoot)
        let importNanoseconds = Clock.now() - importWall, importCPUNanoseconds = Clock.processCPU() - importCPU
        guard importedRoot == sourceRoot, manifest.root == sourceRoot else {
            print("FAIL: imported root \(importedRoot) differs from the source's \(String(describing: sourceRoot))")
            return 1
        }
        let megabytes = Double(manifest.totalChunkBytes) / 1_000_000
        let importedBytes = (try? FileManager.default.attributesOfItem(atPath: target + "/data.mdb")[.size] as? Int) ?? 0
        print(String(format: "snapshot: round %llu, %llu entries, %d chunks, %.1f MB written", manifest.round, manifest.entryCount,
                     manifest.chunks.count, megabytes))
        print(String(format: "export: %.2f s wall, %.2f s CPU (%.0f MB/s) — target ≤ 10 s: %@", seconds(exportNanoseconds),
                     seconds(exportCPUNanoseconds), megabytes / seconds(exportNanoseconds),
                     exportNanoseconds <= targetNanoseconds ? "met" : "MISSED"))
        print(String(format: "import: %.2f s wall, %.2f s CPU (%.0f MB/s), data.mdb %.1f MB — target ≤ 10 s: %@", seconds(importNanoseconds),
                     seconds(importCPUNanoseconds), megabytes / seconds(importNanoseconds), Double(importedBytes) / 1_000_000,
                     importNanoseconds <= targetNanoseconds ? "met" : "MISSED"))
        print("root: \(importedRoot) (equal to the source's)")
        return 0
    }

    static func seconds(_ nanoseconds: UInt64) -> Double { Double(nanoseconds) / 1e9 }
}
