// `registry-bench tree`: the LMDB state store and its tree (Docs/benchmarks.md, tree section).
import Foundation
import RegistryWorkload
import Sodium
import StateStore
import StateTree

/// Builds trees of the requested sizes in a temporary directory (bulk load in 10k-key commits), then
/// measures commit latency of 1k and 10k changed keys, get-with-proof and proof verification latency,
/// and bytes on disk per key, and prints them against the targets.
enum TreeBenchmark {
    struct Options {
        var sizes = [100_000, 1_000_000]
        var batchSizes = [1_000, 10_000]
        var rounds = 50
        var gets = 20_000
        var loadBatch = 10_000
        var parent = NSTemporaryDirectory()
        var configuration = StateStore.Configuration()
        var keep = false
        var prune = true
        /// `--write-behind`: measure `commitWriteBehind` (ADR 0027) instead of `commit`.
        var writeBehind = false
        /// `--interval-ms`: the spacing of write-behind commits (0 = back to back).
        var intervalMilliseconds = 200
        /// `--cold-writes`: make each write-behind commit's writes before the pacing wait, not right
        /// before the call.
        var coldWrites = false
    }

    static let help = """
        usage: registry-bench tree [--keys 100000,1000000] [--rounds N] [--batches 1000,10000] [--gets N]
                                   [--dir PARENT] [--sync full|noMetaSync|noSync] [--verify full|structural] [--map-gib N] [--write-map] [--parallel] [--tree-threads N] [--node-cache-depth D] [--no-prune] [--keep] [--write-behind [--interval-ms N] [--cold-writes]]
          --keys      tree sizes to build (bulk load in 10k-key commits)
          --rounds    measured commits per batch size (default 50)
          --batches   changed keys per measured commit (default 1000,10000)
          --gets      get-with-proof and verify samples (default 20000)
          --dir       where the temporary store directories go (default the system temp directory)
          --sync      durability mode (default: the store's default)
          --verify    node checks on the commit path (default: the store's default)
          --map-gib   LMDB map size in GiB (default: the store's default, 64)
          --write-map open with MDB_WRITEMAP
          --parallel  compute the tree on a helper thread while the flat state is written
          --tree-threads N      threads computing a commit's tree (default: cores, at most 4; 1 = committing thread only)
          --node-cache-depth D  node cache of the commit path: internal nodes at paths of ≤ D nibbles (default 4, at most 5; 0 or -1 = off)
          --no-prune  skip pruning to the latest version and the second disk report (saves minutes at 1M keys)
          --keep      keep the store directories
          --write-behind        measure write-behind commits (ADR 0027): root latency, durable latency, barrier wait;
                                two series per batch size: paced (sustained), then with the writer idle at each call
          --interval-ms N       with --write-behind: one commit every N ms, emulating round ticks (default 200; 0 = back to back)
          --cold-writes         with --write-behind: make each commit's writes before the wait for its tick (and for the
                                writer), not right before the call as the plugin's executor does
        """

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
                guard let list = value().map(parseList), !list.isEmpty else { return fail("--keys needs a list") }
                options.sizes = list
            case "--batches":
                guard let list = value().map(parseList), !list.isEmpty else { return fail("--batches needs a list") }
                options.batchSizes = list
            case "--rounds":
                guard let n = value().flatMap({ Int($0) }), n > 0 else { return fail("--rounds needs a number") }
                options.rounds = n
            case "--gets":
                guard let n = value().flatMap({ Int($0) }), n > 0 else { return fail("--gets needs a number") }
                options.gets = n
            case "--dir":
                guard let dir = value() else { return fail("--dir needs a path") }
                options.parent = dir
            case "--sync":
                guard let mode = value().flatMap(StateStore.Durability.init(rawValue:)) else {
                    return fail("--sync takes full, noMetaSync or noSync")
                }
                options.configuration.durability = mode
            case "--verify":
                switch value() {
                case "full": options.configuration.commitVerification = .full
                case "structural": options.configuration.commitVerification = .structural
                default: return fail("--verify takes full or structural")
                }
            case "--map-gib":
                guard let n = value().flatMap({ Int($0) }), n > 0 else { return fail("--map-gib needs a number") }
                options.configuration.mapSize = n << 30
            case "--write-map": options.configuration.writeMap = true
            case "--parallel": options.configuration.parallelCommit = true
            case "--tree-threads":
                guard let n = value().flatMap({ Int($0) }), n > 0 else { return fail("--tree-threads needs a number") }
                options.configuration.treeThreads = n
            case "--node-cache-depth":
                guard let n = value().flatMap({ Int($0) }), n >= -1 else { return fail("--node-cache-depth needs a number") }
                options.configuration.nodeCacheDepth = n == 0 ? -1 : n
            case "--keep": options.keep = true
            case "--write-behind": options.writeBehind = true
            case "--cold-writes": options.coldWrites = true
            case "--interval-ms":
                guard let n = value().flatMap({ Int($0) }), n >= 0 else { return fail("--interval-ms needs a number") }
                options.intervalMilliseconds = n
            case "--no-prune": options.prune = false
            case "--help", "-h":
                print(help)
                return 0
            default:
                return fail("unknown option \(arguments[index])")
            }
            index += 1
        }
        do {
            printMachine(options)
            for size in options.sizes { try benchmark(size: size, options: options) }
            return 0
        } catch {
            print("registry-bench tree: \(error)")
            return 1
        }
    }

    static func fail(_ message: String) -> Int32 {
        print("registry-bench tree: \(message)\n\(help)")
        return 2
    }

    static func parseList(_ text: String) -> [Int] {
        text.split(separator: ",").compactMap { Int($0.replacingOccurrences(of: "_", with: "")) }
    }

    // MARK: One tree size

    static func benchmark(size: Int, options: Options) throws {
        let directory = try makeDirectory(parent: options.parent)
        defer { if !options.keep { try? FileManager.default.removeItem(atPath: directory) } }
        let store = try StateStore(directory: directory + "/store", configuration: options.configuration)
        var workload = Workload(seed: 0xBE4C_0000 &+ UInt64(size))
        print("\n== tree of \(size) keys (\(directory)) ==")

        // Bulk load in 10k-key commits.
        var version: UInt64 = 0
        let loadStart = Clock.now()
        var remaining = size
        while remaining > 0 {
            let count = min(options.loadBatch, remaining)
            version += 1
            try store.commit(version: version, writes: workload.inserts(count))
            remaining -= count
        }
        let loadSeconds = Double(Clock.now() - loadStart) / 1e9
        print(String(format: "bulk load: %d commits of %d keys in %.1f s (%.0f keys/s)",
                     Int(version), options.loadBatch, loadSeconds, Double(size) / loadSeconds))

        // Commit latency: mixed updates (70%) and inserts (30%), 100–300-byte values.
        for batch in options.batchSizes {
            if options.writeBehind {
                try measureWriteBehind(store: store, workload: &workload, version: &version, batch: batch, options: options)
                continue
            }
            var samples: [UInt64] = []
            var cpuSamples: [UInt64] = []
            var profiles: [CommitProfile] = []
            // One unmeasured commit first (warms the page cache and the free list).
            version += 1
            try store.commit(version: version, writes: workload.mixed(batch))
            for _ in 0..<options.rounds {
                let writes = workload.mixed(batch)
                version += 1
                let start = Clock.now()
                let cpuStart = Clock.processCPU()
                let (_, profile) = try store.commitProfiled(version: version, writes: writes)
                cpuSamples.append(Clock.processCPU() - cpuStart)
                samples.append(Clock.now() - start)
                profiles.append(profile)
            }
            let target: UInt64? = batch == 1_000 ? 10_000_000 : batch == 10_000 ? 60_000_000 : nil
            report("commit \(batch) keys", samples, target: target, unit: .milliseconds)
            report("  (process CPU time)", cpuSamples, target: nil, unit: .milliseconds)
            func median(_ part: (CommitProfile) -> UInt64) -> String {
                String(format: "%.2f", Double(percentile(profiles.map(part).sorted(), 50)) / 1e6)
            }
            let nodes = profiles.map(\.nodesWritten).reduce(0, +) / max(profiles.count, 1)
            print("  median phases (ms): tree \(median(\.treeNanoseconds)), tree writes \(median(\.treeWriteNanoseconds)), "
                + "state writes \(median(\.stateWriteNanoseconds)), txn commit \(median(\.commitNanoseconds)); \(nodes) nodes/commit")
            report("  tree computation", profiles.map(\.treeNanoseconds), target: nil, unit: .milliseconds)
            let cache = store.nodeCacheStatistics
            print(String(format: "  node cache: %d nodes, %.1f MiB", cache.nodes, Double(cache.bytes) / 1_048_576))
        }

        // Get with proof through a snapshot, and verification of those proofs.
        var getSamples: [UInt64] = []
        var verifySamples: [UInt64] = []
        var snapshotSamples: [UInt64] = []
        var proofs: [(key: [UInt8], value: [UInt8]?, proof: StateProof)] = []
        proofs.reserveCapacity(options.gets)
        var root = Digest256.zero
        try store.withSnapshot { snapshot in
            guard let latest = snapshot.version else { return }
            root = try snapshot.rootHash(version: latest)
            for _ in 0..<options.gets {
                let key = workload.existingKey()
                let start = Clock.now()
                let (value, proof) = try snapshot.get(key, version: latest)
                getSamples.append(Clock.now() - start)
                proofs.append((key, value, proof))
            }
        }
        for _ in 0..<min(options.gets, 5_000) {
            let start = Clock.now()
            let snapshot = try store.snapshot()
            snapshot.close()
            snapshotSamples.append(Clock.now() - start)
        }
        var absent = 0
        for entry in proofs {
            if entry.value == nil { absent += 1 }
            let start = Clock.now()
            try StateTree.verify(proof: entry.proof, root: root, key: entry.key, value: entry.value)
            verifySamples.append(Clock.now() - start)
        }
        if absent > 0 { print("warning: \(absent) sampled keys were absent") }
        let levels = proofs.map { $0.proof.levels.count }
        report("get with proof", getSamples, target: 50_000, unit: .microseconds)
        report("verify proof", verifySamples, target: 30_000, unit: .microseconds)
        report("open+close snapshot", snapshotSamples, target: nil, unit: .microseconds)
        print(String(format: "proof depth: mean %.2f levels, max %d", Double(levels.reduce(0, +)) / Double(max(levels.count, 1)),
                     levels.max() ?? 0))

        // Bytes on disk: with every version retained, then with only the latest (pruned in bounded
        // steps; LMDB keeps the file size and reuses the freed pages).
        let keys = workload.keys.count
        print("keys \(keys), versions committed \(version)")
        try reportDisk(store, keys: keys, label: "all \(version) versions retained")
        guard options.prune else { return }
        var steps = 0
        let pruneStart = Clock.now()
        while !(try store.prune(retainLatest: 1, maxEntries: 100_000, pruneRoundRecords: true).isComplete) { steps += 1 }
        print(String(format: "pruned to the latest version in %d steps of ≤ 100k entries, %.1f s", steps + 1,
                     Double(Clock.now() - pruneStart) / 1e9))
        try reportDisk(store, keys: keys, label: "latest version only")
    }

    static func reportDisk(_ store: StateStore, keys: Int, label: String) throws {
        let stats = try store.statistics()
        let livePages = stats.databases.reduce(0) { $0 + $1.pages }
        print(String(format: "disk (%@): live pages %.1f MiB = %.0f bytes/key; map used %.1f MiB; data.mdb %.1f MiB = %.0f bytes/key",
                     label as NSString,
                     Double(livePages * stats.pageSize) / 1_048_576, Double(livePages * stats.pageSize) / Double(keys),
                     Double(stats.usedBytes) / 1_048_576,
                     Double(stats.fileSize) / 1_048_576, Double(stats.fileSize) / Double(keys)))
        for db in stats.databases {
            print(String(format: "  %-7@ %10d entries %9d pages (%.0f bytes/key)", db.name as NSString, db.entries, db.pages,
                         Double(db.pages * stats.pageSize) / Double(keys)))
        }
    }

    // MARK: Reporting

    enum Unit { case milliseconds, microseconds }

    /// Prints p50, p99, max of `samples` (nanoseconds) and the verdict against `target` (p50, ns).
    static func report(_ name: String, _ samples: [UInt64], target: UInt64?, unit: Unit) {
        let sorted = samples.sorted()
        let scale = unit == .milliseconds ? 1e6 : 1e3
        let suffix = unit == .milliseconds ? "ms" : "µs"
        func fmt(_ ns: UInt64) -> String { String(format: "%.3f %@", Double(ns) / scale, suffix as NSString) }
        var line = "\(name): n=\(sorted.count) p50 \(fmt(percentile(sorted, 50))) p99 \(fmt(percentile(sorted, 99))) max \(fmt(sorted.last ?? 0))"
        if let target {
            let p50 = percentile(sorted, 50)
            line += "  [target p50 ≤ \(fmt(target)): \(p50 <= target ? "met" : "MISSED")]"
        }
        print(line)
    }

    /// The `p`-th percentile of sorted samples: the smallest sample with at least p% of the samples at
    /// or below it (nearest rank).
    static func percentile(_ sorted: [UInt64], _ p: Int) -> UInt64 {
        guard !sorted.isEmpty else { return 0 }
        let rank = (p * sorted.count + 99) / 100
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    static func printMachine(_ options: Options) {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown"
        let c = options.configuration
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) CPUs, \(cpu)")
        print("store: durability \(c.durability.rawValue), commit verification \(c.commitVerification == .full ? "full" : "structural"), map \(c.mapSize >> 30) GiB\(c.writeMap ? ", MDB_WRITEMAP" : "")\(c.parallelCommit ? ", tree on a helper thread" : ""), tree threads \(c.treeThreads) (≥ \(c.parallelTreeThreshold) updates), node cache depth \(c.nodeCacheDepth)")
    }

    static func makeDirectory(parent: String) throws -> String {
        var template = Array((parent + "/registry-bench-tree-XXXXXX").utf8CString)
        guard let created = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        return String(cString: created)
    }
}

/// Monotonic nanoseconds, and CPU time of the process (user + system, all threads: what a commit
/// costs without the waits; on a shared machine it is steadier than wall time).
enum Clock {
    static func processCPU() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}

/// The benchmark's keys and values: registry-like keys (`m/` + 32 random bytes) and 100–300-byte
/// random values, from a seeded generator.
struct Workload {
    var rng: SplitMix64
    /// Every key inserted so far.
    var keys: [[UInt8]] = []

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func newKey() -> [UInt8] { Array("m/".utf8) + rng.bytes(32) }
    mutating func newValue() -> [UInt8] { rng.bytes(100 + Int(rng.below(201))) }
    mutating func existingKey() -> [UInt8] { keys[Int(rng.below(UInt64(keys.count)))] }

    /// `count` inserts of new keys, sorted.
    mutating func inserts(_ count: Int) -> [StateStore.Write] {
        var writes: [StateStore.Write] = []
        writes.reserveCapacity(count)
        for _ in 0..<count {
            let key = newKey()
            keys.append(key)
            writes.append(.put(key, newValue()))
        }
        return Self.sortedUnique(writes)
    }

    /// About `count` changes: 70% updates of existing keys, 30% inserts, sorted and unique.
    mutating func mixed(_ count: Int) -> [StateStore.Write] {
        var writes: [StateStore.Write] = []
        writes.reserveCapacity(count)
        for _ in 0..<count {
            if rng.below(100) < 70, !keys.isEmpty {
                writes.append(.put(existingKey(), newValue()))
            } else {
                let key = newKey()
                keys.append(key)
                writes.append(.put(key, newValue()))
            }
        }
        return Self.sortedUnique(writes)
    }

    static func sortedUnique(_ writes: [StateStore.Write]) -> [StateStore.Write] {
        let sorted = writes.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        var out: [StateStore.Write] = []
        out.reserveCapacity(sorted.count)
        for write in sorted where out.last?.key != write.key { out.append(write) }
        return out
    }
}
