// `registry-bench retention`: disk use over many rounds with the plugin's retention policy
// (Docs/benchmarks.md, "Retention"; ADR 0023).
import Foundation
import RegistryCore
import RegistryWorkload
import StateStore
import Wire

/// Runs a steady registry workload round after round: the seeded generator's signed transactions are
/// executed by `RoundExecutor` (through `WorkloadRunner`), each round's writes and its `RoundRecord`
/// are committed to a real `StateStore` as version `round`, and after each commit `RetentionPruner` —
/// the same policy type `ConsensusService` calls — takes its bounded prune step. Every `--every`
/// rounds it prints the live keys, the tree's node and stale-index entries, the size of `data.mdb`, the
/// LMDB pages in use (last page + 1) and how many of them the databases' B-trees hold (the rest are
/// free pages, the free list and the two meta pages). At the end: min/max over the second half (the
/// plateau). Then the same workload without pruning for a shorter horizon, for contrast.
enum RetentionBenchmark {
    struct Options {
        var rounds = 100_000
        var retain: UInt64 = 1_000
        var batchEntries = NodeDefaults.pruneBatchEntries
        var transactions = 2
        var stakeChanges = 2
        var every = 5_000
        var contrastRounds = 10_000
        var models = 300
        var seed: UInt64 = 2_026
        var parent = NSTemporaryDirectory()
        var configuration = StateStore.Configuration(durability: .noSync)
        var keep = false
    }

    /// The plugin's default `storage.prune_batch_entries` (NodeStorageConfiguration).
    enum NodeDefaults { static let pruneBatchEntries = 20_000 }

    static let help = """
        usage: registry-bench retention [--rounds N] [--retain N] [--txs N] [--stake-changes N] [--every N] [--contrast-rounds N]
                                        [--batch N] [--models N] [--seed S] [--durability full|noMetaSync|noSync] [--dir PARENT] [--keep]
          --rounds           rounds with pruning (default 100000; the first ~40 register and approve models)
          --retain           retention window in rounds, as storage.retention_rounds (default 1000; 0 never prunes)
          --txs              signed transactions per steady round (default 2)
          --stake-changes    host stake updates per round (default 2; their checkpoints are compacted, GOV-15)
          --every            print a row every N rounds (default 5000)
          --contrast-rounds  rounds of the same workload without pruning (default 10000; 0 skips)
          --batch            prune step size, as storage.prune_batch_entries (default 20000)
          --models           models registered before the steady phase (default 300)
          --durability       LMDB sync mode (default noSync: the figures are sizes, not latencies)
          --dir              parent of the temporary store directories (default the system temp directory)
          --keep             keep the store directories
        """

    static func run(_ arguments: [String]) -> Int32 {
        var options = Options()
        var index = 0
        func value() -> String? {
            index += 1
            return index < arguments.count ? arguments[index] : nil
        }
        func number() -> Int? { value().flatMap { Int($0.replacingOccurrences(of: "_", with: "")) } }
        while index < arguments.count {
            switch arguments[index] {
            case "--rounds": guard let n = number(), n > 0 else { return fail("--rounds needs a positive number") }; options.rounds = n
            case "--retain": guard let n = number(), n >= 0 else { return fail("--retain needs a number (0: no pruning)") }; options.retain = UInt64(n)
            case "--txs": guard let n = number(), n > 0 else { return fail("--txs needs a positive number") }; options.transactions = n
            case "--stake-changes": guard let n = number(), n >= 0 else { return fail("--stake-changes needs a number") }; options.stakeChanges = n
            case "--every": guard let n = number(), n > 0 else { return fail("--every needs a positive number") }; options.every = n
            case "--contrast-rounds": guard let n = number(), n >= 0 else { return fail("--contrast-rounds needs a number") }; options.contrastRounds = n
            case "--batch": guard let n = number(), n > 0 else { return fail("--batch needs a positive number") }; options.batchEntries = n
            case "--models": guard let n = number(), n > 0 else { return fail("--models needs a positive number") }; options.models = n
            case "--seed": guard let n = value().flatMap(UInt64.init) else { return fail("--seed needs a number") }; options.seed = n
            case "--durability", "--sync":
                guard let mode = value().flatMap(StateStore.Durability.init(rawValue:)) else {
                    return fail("--durability takes full, noMetaSync or noSync")
                }
                options.configuration.durability = mode
            case "--dir": guard let dir = value() else { return fail("--dir needs a path") }; options.parent = dir
            case "--keep": options.keep = true
            case "--help", "-h": print(help); return 0
            default: return fail("unknown option \(arguments[index])")
            }
            index += 1
        }
        do {
            print("registry-bench retention: \(ProcessInfo.processInfo.activeProcessorCount) core(s), load average \(loadAverage()), "
                  + "durability \(options.configuration.durability.rawValue), seed \(options.seed), \(options.transactions) txs/round, "
                  + "\(options.stakeChanges) stake changes/round, "
                  + "prune step <= \(options.batchEntries) entries")
            try measure(rounds: options.rounds, window: options.retain, options: options)
            if options.contrastRounds > 0 {
                try measure(rounds: options.contrastRounds, window: 0, options: options)
            }
            return 0
        } catch {
            print("registry-bench retention: failed: \(error)")
            return 1
        }
    }

    static func fail(_ message: String) -> Int32 {
        print("registry-bench retention: \(message)\n\(help)")
        return 2
    }

    /// The steady phase's mix: usage, metadata updates, withdrawals and transfers of existing models —
    /// traffic that rewrites existing records rather than adding new ones, so the live state stays
    /// about the same size and any growth of the file is history.
    static let steadyMix = TransactionMix(registration: 0, metadataUpdate: 10, transfer: 2, proposal: 0, vote: 0, execution: 0,
                                          usage: 40, withdrawal: 8, ownerDeprecation: 0)

    /// One row of the table.
    struct Row {
        var round: UInt64
        var liveKeys: Int
        var nodes: Int
        var stale: Int
        var roots: Int
        var roundRecords: Int
        var fileBytes: Int
        var usedPages: Int
        var treePages: Int
        var pageSize: Int
        var seconds: Double
        var usedBytes: Int { usedPages * pageSize }
    }

    /// `rounds` rounds of the workload over a fresh store, pruning to `window` (0: never).
    static func measure(rounds: Int, window: UInt64, options: Options) throws {
        let directory = options.parent + "/registry-bench-retention-\(getpid())-\(window)"
        try? FileManager.default.removeItem(atPath: directory)
        defer { if !options.keep { try? FileManager.default.removeItem(atPath: directory) } }
        let store = try StateStore(directory: directory, configuration: options.configuration)
        var pruner = RetentionPruner(window: window, batchEntries: options.batchEntries)

        var configuration = WorkloadConfiguration.benchmark(transactionsPerRound: options.transactions)
        configuration.users = 400
        // Steady: `--stake-changes` host stake updates a round (their checkpoints are compacted below the
        // oldest Voting snapshot, GOV-15, so they do not grow the live state) and one deposit a round.
        configuration.stakeChangesPerRound = options.stakeChanges
        configuration.depositsPerRound = 1
        var generator = WorkloadGenerator(seed: options.seed, configuration: configuration)
        var runner = try WorkloadRunner(genesis: generator.genesis)
        _ = try store.commit(version: 0, writes: try generator.genesis.writes().map { StateStore.Write(key: $0.key, value: $0.value) })

        print("")
        print(window == 0 ? "== \(rounds) rounds without pruning (\(directory)) =="
                          : "== \(rounds) rounds, retention \(window) rounds (\(directory)) ==")
        print(" round    live keys  tree nodes  stale idx   roots  rnd recs  data.mdb MiB  used MiB  used pages  B-tree pages  free+meta  elapsed s")
        let start = ContinuousClock.now
        var rows: [Row] = []
        var pruneSteps = 0
        var pruned = 0
        for round in 1...UInt64(rounds) {
            let workload: WorkloadRound
            if round <= UInt64((options.models + 199) / 200) {
                workload = generator.nextRound(transactions: 200, mix: .registrationsOnly, invalidPerMille: 0)
            } else if round <= 40 {
                workload = generator.nextRound(transactions: 100, mix: .governanceHeavy, invalidPerMille: 0)
            } else {
                workload = generator.nextRound(transactions: options.transactions, mix: steadyMix, invalidPerMille: 20)
            }
            let input = workload.input
            let prepared = try runner.prepare(input.transactions, .sequential) ?? []
            let outcome = try runner.execute(input, prepared: prepared)
            _ = try store.commit(version: input.round, writes: outcome.writes.map { StateStore.Write(key: $0.key, value: $0.value) },
                                 roundRecord: RoundRecord(input: input, outcome: outcome).canonicalBytes())
            if let step = try pruner.afterCommit(latest: input.round, store: store) {
                pruneSteps += 1
                pruned += step.nodesDeleted
            }
            if round % UInt64(options.every) == 0 || round == UInt64(rounds) {
                let row = try snapshotRow(store, round: round, seconds: seconds(ContinuousClock.now - start))
                rows.append(row)
                print(format(row))
            }
        }
        guard let last = rows.last else { return }
        let flat = try store.statistics().entries(of: "state") ?? -1
        print("rounds \(rounds): \(pruneSteps) prune steps deleted \(pruned) nodes; live keys \(flat) (in-memory reference \(runner.state.count)); "
              + "\(String(format: "%.0f", Double(rounds) / last.seconds)) rounds/s")
        let secondHalf = rows.filter { $0.round > UInt64(rounds / 2) }
        if let low = secondHalf.map(\.usedBytes).min(), let high = secondHalf.map(\.usedBytes).max(),
           let fileLow = secondHalf.map(\.fileBytes).min(), let fileHigh = secondHalf.map(\.fileBytes).max() {
            print("second half (rounds > \(rounds / 2), \(secondHalf.count) rows): used bytes min \(mib(low)) MiB, max \(mib(high)) MiB "
                  + "(spread \(String(format: "%.1f", Double(high - low) * 100 / Double(max(low, 1)))) %); "
                  + "data.mdb min \(mib(fileLow)) MiB, max \(mib(fileHigh)) MiB")
        }
        if let first = rows.first, rows.count > 1 {
            let perRound = Double(last.usedBytes - first.usedBytes) / Double(last.round - first.round)
            print("growth of used bytes from round \(first.round) to \(last.round): \(String(format: "%.0f", perRound)) bytes/round")
        }
    }

    /// The figures of the store now.
    static func snapshotRow(_ store: StateStore, round: UInt64, seconds: Double) throws -> Row {
        let statistics = try store.statistics()
        let treePages = statistics.databases.reduce(0) { $0 + $1.pages }
        return Row(round: round, liveKeys: statistics.entries(of: "state") ?? 0, nodes: statistics.entries(of: "nodes") ?? 0,
                   stale: statistics.entries(of: "stale") ?? 0, roots: statistics.entries(of: "roots") ?? 0,
                   roundRecords: statistics.entries(of: "rounds") ?? 0, fileBytes: statistics.fileSize,
                   usedPages: statistics.usedBytes / statistics.pageSize, treePages: treePages, pageSize: statistics.pageSize,
                   seconds: seconds)
    }

    static func format(_ row: Row) -> String {
        func pad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        return pad("\(row.round)", 6) + pad("\(row.liveKeys)", 13) + pad("\(row.nodes)", 12) + pad("\(row.stale)", 11)
            + pad("\(row.roots)", 8) + pad("\(row.roundRecords)", 10) + pad(mib(row.fileBytes), 14) + pad(mib(row.usedBytes), 10)
            + pad("\(row.usedPages)", 12) + pad("\(row.treePages)", 14) + pad("\(row.usedPages - row.treePages)", 11)
            + pad(String(format: "%.1f", row.seconds), 11)
    }

    static func mib(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1_048_576) }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "?" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }
}
