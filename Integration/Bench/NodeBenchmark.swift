// `registry-bench node`: the plugin process over ipc (Docs/benchmarks.md, "Plugin process").
import Foundation
import Histogram
import RegistryClient
import RegistryCore
import RegistryWorkload
import Sodium
import Synchronization
import Wire
import ZMQ

/// Starts the `ai-registry` next to this executable (`ai-registry run` on a temporary data directory,
/// ipc endpoints), InitChain of a benchmark workload, then measures over the real sockets:
/// 1k-transaction rounds end to end, rounds with and without a query hammer on another thread, an empty
/// round's round trip, and get-with-proof. Prints the figures against the targets of issue 4.
enum NodeBenchmark {
    struct Options {
        var emptyRounds = 1_000
        /// Milliseconds between the starts of the paced empty rounds (0: no paced phase).
        var emptyIntervalMillis = 20
        /// The genesis rent period in rounds (nil: the benchmark workload's 50, the shortest the bounds allow).
        var rentPeriod: UInt64? = nil
        var bigRounds = 30
        var bigTransactions = 1_000
        var hammerRounds = 400
        var hammerTransactions = 100
        var gets = 10_000
        var seed: UInt64 = 0xBE_4C_4D
        var parent = NSTemporaryDirectory()
        var executable = NodeBenchmark.siblingExecutable("ai-registry")
        var extraArguments: [String] = []
        var token = ""
        var hammerRate = 0
        /// The hammer thread's nice value (0: the benchmark's own priority, as a remote client would not share cores).
        var hammerNice = 0
        /// Whether the hammer's client shares the benchmark's process-wide ZeroMQ context (one I/O thread)
        /// with the consensus client, instead of a context of its own.
        var hammerSharedContext = false
        /// `query.thread_scheduling` for the plugin (nil: the plugin's default).
        var queryThreads: String?
        /// `query.workers` for the plugin (nil: the plugin's default).
        var queryWorkers: Int?
        /// Seconds of hammer alone (no rounds) to measure its unhammered maximum rate.
        var soloSeconds = 2
        var keep = false
    }

    static let help = """
        usage: registry-bench node [--empty-rounds N] [--empty-interval-ms N] [--rent-period N] [--big-rounds N] [--big-txs N] [--hammer-rounds N]
                                   [--hammer-txs N] [--hammer-rate N] [--gets N] [--seed N] [--dir PARENT] [--ai-registry PATH]
                                   [--token TOKEN] [--run-arg ARG]... [--keep] [--hammer-nice N] [--hammer-shared-context]
                                   [--query-threads idle|low|normal] [--query-workers N] [--solo-seconds N]
          --empty-rounds   empty rounds timed for the round trip, paced and back to back (default 1000 each;
                           target p50 <= 2 ms, p99 <= 5 ms)
          --empty-interval-ms  the paced empty rounds start every N ms, as a host sends one round per round
                           interval (default 20, ten times IPPAN's ~200 ms rounds; 0 = no paced phase)
          --rent-period    the genesis rent period in rounds (default 50, the benchmark workload's shortest
                           period: every active model pays rent every 50 rounds, so an "empty" round fires
                           rent collections; the domain default is 18000)
          --big-rounds     rounds of --big-txs generated transactions, end to end (default 30 x 1000)
          --hammer-rounds  rounds of --hammer-txs transactions timed with and without a query hammer, each
                           (default 400 x 100; alternating blocks of 10; target ratio <= 1.10, session goal 1.05)
          --hammer-rate    queries per second of the hammer (default 0: as fast as one client can)
          --hammer-nice    nice value of the hammer's client thread (default 0; the client shares this machine's
                           cores with the plugin, a remote client would not)
          --hammer-shared-context  the hammer's client shares the consensus client's ZeroMQ context (I/O thread)
          --query-threads  the plugin's query.thread_scheduling (idle, low, normal; default: the plugin's default)
          --query-workers  the plugin's query.workers (default: the plugin's default)
          --solo-seconds   seconds of hammer alone, no rounds: its unhammered maximum rate (default 2)
          --gets           get-with-proof requests over ipc (default 10000; target p99 <= 1 ms)
          --ai-registry    the plugin executable (default: the one next to registry-bench)
          --token          a query token, if the query endpoint requires one
          --run-arg        an extra argument for `ai-registry run` (repeatable)
          --keep           keep the data directory
        """

    static func run(_ arguments: [String]) -> Int32 {
        var options = Options()
        var index = 0
        func value() -> String? {
            index += 1
            return index < arguments.count ? arguments[index] : nil
        }
        func number(_ name: String) -> Int? {
            guard let n = value().flatMap({ Int($0) }), n >= 0 else {
                print("registry-bench node: \(name) needs a number")
                return nil
            }
            return n
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--empty-rounds": guard let n = number("--empty-rounds") else { return 2 }; options.emptyRounds = n
            case "--empty-interval-ms": guard let n = number("--empty-interval-ms") else { return 2 }; options.emptyIntervalMillis = n
            case "--rent-period": guard let n = number("--rent-period"), n >= 10 else { return fail("--rent-period needs a number of rounds >= 10") }; options.rentPeriod = UInt64(n)
            case "--big-rounds": guard let n = number("--big-rounds") else { return 2 }; options.bigRounds = n
            case "--big-txs": guard let n = number("--big-txs") else { return 2 }; options.bigTransactions = n
            case "--hammer-rounds": guard let n = number("--hammer-rounds") else { return 2 }; options.hammerRounds = n
            case "--hammer-txs": guard let n = number("--hammer-txs") else { return 2 }; options.hammerTransactions = n
            case "--gets": guard let n = number("--gets") else { return 2 }; options.gets = n
            case "--hammer-rate": guard let n = number("--hammer-rate") else { return 2 }; options.hammerRate = n
            case "--seed": guard let n = number("--seed") else { return 2 }; options.seed = UInt64(n)
            case "--dir": guard let dir = value() else { return fail("--dir needs a path") }; options.parent = dir
            case "--ai-registry": guard let path = value() else { return fail("--ai-registry needs a path") }; options.executable = path
            case "--token": guard let token = value() else { return fail("--token needs a value") }; options.token = token
            case "--run-arg": guard let arg = value() else { return fail("--run-arg needs a value") }; options.extraArguments.append(arg)
            case "--hammer-nice": guard let n = number("--hammer-nice") else { return 2 }; options.hammerNice = n
            case "--hammer-shared-context": options.hammerSharedContext = true
            case "--query-threads":
                guard let mode = value(), ["idle", "low", "normal"].contains(mode) else { return fail("--query-threads needs idle, low or normal") }
                options.queryThreads = mode
            case "--query-workers": guard let n = number("--query-workers"), n > 0 else { return 2 }; options.queryWorkers = n
            case "--solo-seconds": guard let n = number("--solo-seconds") else { return 2 }; options.soloSeconds = n
            case "--keep": options.keep = true
            case "--help", "-h":
                print(help)
                return 0
            default:
                return fail("unknown option \(arguments[index])")
            }
            index += 1
        }
        do {
            try measure(options)
            return 0
        } catch {
            print("registry-bench node: \(error)")
            return 1
        }
    }

    static func fail(_ message: String) -> Int32 {
        print("registry-bench node: \(message)\n\(help)")
        return 2
    }

    /// The path of an executable in the same directory as this one.
    static func siblingExecutable(_ name: String) -> String {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (me as NSString).deletingLastPathComponent + "/" + name
    }

    // MARK: Measurement

    static func measure(_ options: Options) throws {
        let directory = options.parent + "/registry-bench-node-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if !options.keep { try? FileManager.default.removeItem(atPath: directory) } }
        print(machineDescription())
        print("plugin: \(options.executable) run \(options.extraArguments.joined(separator: " ")) (data in \(directory), ipc endpoints)")

        let plugin = try BenchPlugin(executable: options.executable, directory: directory, extraArguments: options.extraArguments,
                                     queryThreads: options.queryThreads, queryWorkers: options.queryWorkers)
        print("query threads: \(options.queryThreads ?? "plugin default") scheduling, \(options.queryWorkers.map(String.init) ?? "default") workers; "
              + "hammer: nice \(options.hammerNice), \(options.hammerSharedContext ? "shares the consensus client's ZeroMQ context" : "own ZeroMQ context")")
        defer { plugin.stop() }
        let ready = try plugin.waitReady(timeout: 60)
        print("ready: consensus=\(ready.consensus) query=\(ready.query)")

        let client = try ConsensusClient(endpoint: ready.consensus, timeout: .seconds(120))
        defer { client.close() }
        var configuration = WorkloadConfiguration.benchmark(transactionsPerRound: options.bigTransactions)
        if let rentPeriod = options.rentPeriod { configuration.parameters.rentPeriodRounds = rentPeriod }
        print("rent period: \(configuration.parameters.rentPeriodRounds) rounds (genesis parameter)")
        var generator = WorkloadGenerator(seed: options.seed, configuration: configuration)
        _ = try client.initChain(genesis: generator.genesis)

        // 1. Rounds of 1k generated transactions, end to end (encode, ipc, execute, commit, reply).
        var big = makeHistogram()
        var bigTransactionsDone = 0
        var bigCodesOK = 0
        var bigMicros: UInt64 = 0
        let clock = ContinuousClock()
        for _ in 0..<options.bigRounds {
            let round = generator.nextRound()
            let started = clock.now
            let result = try client.applyRound(round.input)
            let elapsed = micros(clock.now - started)
            big.record(elapsed)
            bigMicros += elapsed
            bigTransactionsDone += result.results.count
            bigCodesOK += result.results.filter { $0.code == 0 }.count
        }

        // 2. Round latency with and without a query hammer on another thread, alternating blocks.
        //    First the hammer alone (no rounds): the rate the plugin serves it at most on this machine.
        let hammerOptions = QueryHammer.Setup(nice: options.hammerNice, sharedContext: options.hammerSharedContext)
        let solo = QueryHammer(endpoint: ready.query, token: options.token, accounts: generator.keys.accounts, rate: options.hammerRate, setup: hammerOptions)
        if options.soloSeconds > 0 {
            solo.start()
            Thread.sleep(forTimeInterval: Double(options.soloSeconds))
            solo.stop()
        }
        let soloStats = solo.statistics
        var quiet = makeHistogram()
        var loud = makeHistogram()
        var blockRatios = BlockRatios()
        let hammer = QueryHammer(endpoint: ready.query, token: options.token, accounts: generator.keys.accounts, rate: options.hammerRate, setup: hammerOptions)
        let blocks = max(1, options.hammerRounds / 10)
        for block in 0..<(2 * blocks) {
            let hammering = block % 2 == 1
            if hammering { hammer.start() }
            var times: [UInt64] = []
            for _ in 0..<10 {
                let round = generator.nextRound(transactions: options.hammerTransactions, mix: configuration.mix,
                                                invalidPerMille: configuration.invalidPerMille)
                let started = clock.now
                _ = try client.applyRound(round.input)
                let elapsed = micros(clock.now - started)
                times.append(elapsed)
                if hammering { loud.record(elapsed) } else { quiet.record(elapsed) }
            }
            if hammering { hammer.stop() }
            blockRatios.add(times, hammering: hammering)
        }
        let hammerStats = hammer.statistics

        // 3. Empty rounds: the protocol and commit overhead alone. First paced as a host sends them (one
        //    round per interval: the plugin is idle in between, as between real rounds), then back to back
        //    (a host catching up: each round also waits for the previous round's write, ADR 0027).
        var round = generator.round
        let baseMillis = WorkloadGenerator.genesisMillis + round * configuration.roundMillis
        var step: UInt64 = 0
        // State writes per empty round: the scheduled items due in it (rent collections, tallies, …).
        var emptyWrites: [UInt64] = []
        func emptyRound() throws -> UInt64 {
            round += 1
            step += 1
            let input = RoundInput(round: round, timestampMillis: baseMillis + step * configuration.roundMillis)
            let started = clock.now
            let result = try client.applyRound(input)
            let elapsed = micros(clock.now - started)
            emptyWrites.append(UInt64(result.writeCount))
            return elapsed
        }
        var paced = makeHistogram()
        if options.emptyIntervalMillis > 0 {
            let interval = Duration.milliseconds(options.emptyIntervalMillis)
            var next = clock.now
            for _ in 0..<options.emptyRounds {
                let wait = clock.now.duration(to: next)
                if wait > .zero { Thread.sleep(forTimeInterval: Double(wait.components.attoseconds) / 1e18 + Double(wait.components.seconds)) }
                paced.record(try emptyRound())
                next = next.advanced(by: interval)
            }
        }
        var empty = makeHistogram()
        for _ in 0..<options.emptyRounds {
            empty.record(try emptyRound())
        }

        // 4. Get-with-proof of accounts on the populated store, over ipc; proofs of a sample verified.
        let query = try QueryClient(endpoint: ready.query, token: options.token, timeout: .seconds(30))
        defer { query.close() }
        var gets = makeHistogram()
        var rng = SplitMix64(seed: options.seed ^ 0x6E7)
        let accounts = generator.keys.accounts
        var verified = 0
        for index in 0..<options.gets {
            let account = accounts[Int(rng.below(UInt64(accounts.count)))]
            let started = clock.now
            let reply = try query.getAccount(account, prove: true)
            gets.record(micros(clock.now - started))
            if index % 100 == 0 {
                try ProofCheck.verify(reply.proof, valueOrEmpty: reply.value, key: StateKey.account(account))
                verified += 1
            }
        }
        let info = try client.info()

        print("")
        print("state: \(info.lastRound) rounds, \(generator.modelCount) models registered by the workload, \(accounts.count) accounts")
        print(line("\(options.bigTransactions)-tx round end to end (\(options.bigRounds) rounds)", big, targets: nil))
        let bigSeconds = Double(bigMicros) / 1e6
        if bigSeconds > 0 {
            print(String(format: "    %d transactions, %d ok, %.0f tx/s end to end", bigTransactionsDone, bigCodesOK, Double(bigTransactionsDone) / bigSeconds))
        }
        let writes = emptyWrites.sorted()
        if !writes.isEmpty {
            print("empty rounds: state writes per round p50 \(writes[writes.count / 2]), max \(writes[writes.count - 1]) "
                  + "(the scheduled items due: rent every \(configuration.parameters.rentPeriodRounds) rounds per active model, tallies, activations)")
        }
        if options.emptyIntervalMillis > 0 {
            print(line("empty round round trip, paced: one every \(options.emptyIntervalMillis) ms (\(options.emptyRounds) rounds)", paced, targets: (2_000, 5_000)))
        }
        print(line("empty round round trip, back to back (\(options.emptyRounds) rounds)", empty, targets: (2_000, 5_000)))
        print(line("get-with-proof (account) over ipc (\(options.gets); \(verified) proofs verified)", gets, targets: (nil, 1_000)))
        print(line("\(options.hammerTransactions)-tx round, no queries (\(quiet.totalCount) rounds)", quiet, targets: nil))
        print(line("\(options.hammerTransactions)-tx round, query hammer (\(loud.totalCount) rounds)", loud, targets: nil))
        let ratio50 = Double(loud.valueAtPercentile(50)) / Double(max(1, quiet.valueAtPercentile(50)))
        let ratioMean = loud.mean / max(1, quiet.mean)
        let hammerName = options.hammerRate == 0 ? "full rate" : "\(options.hammerRate)/s"
        print(String(format: "    hammer alone, no rounds (%@): %d queries served in %.1f s = %.0f/s (%d errors): the unhammered maximum",
                     hammerName, soloStats.served, soloStats.seconds, soloStats.servedRate, soloStats.errors))
        print(String(format: "    hammer during rounds (%@): %d queries served = %.0f/s (%d errors), %.0f %% of the unhammered maximum",
                     hammerName, hammerStats.served, hammerStats.servedRate, hammerStats.errors,
                     soloStats.servedRate > 0 ? 100 * hammerStats.servedRate / soloStats.servedRate : 0))
        let perBlock = blockRatios.medians
        print(String(format: "    round latency ratio, hammer vs none: p50 %.3f, mean %.3f; median of %d per-block-pair ratios: of block medians %.3f, of block means %.3f",
                     ratio50, ratioMean, perBlock.pairs, perBlock.ofMedians, perBlock.ofMeans))
        let met110 = ratio50 <= 1.10 && ratioMean <= 1.10, met105 = ratio50 <= 1.05 && ratioMean <= 1.05
        print("    [target p50 and mean ratio <= 1.10 \(met110 ? "MET" : "MISSED"); session goal <= 1.05 \(met105 ? "MET" : "MISSED")]")
    }

    static func makeHistogram() -> Histogram<UInt64> {
        Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
    }

    static func micros(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return UInt64(max(0, seconds)) * 1_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000_000)
    }

    static func line(_ name: String, _ histogram: Histogram<UInt64>, targets: (p50: UInt64?, p99: UInt64?)?) -> String {
        func ms(_ micros: UInt64) -> String { String(format: "%.3f ms", Double(micros) / 1000) }
        let p50 = histogram.valueAtPercentile(50), p99 = histogram.valueAtPercentile(99)
        var text = "\(name): p50 \(ms(p50)), p99 \(ms(p99)), max \(ms(histogram.max))"
        if let targets {
            var verdicts: [String] = []
            if let t = targets.p50 { verdicts.append("p50 <= \(ms(t)) \(p50 <= t ? "MET" : "MISSED")") }
            if let t = targets.p99 { verdicts.append("p99 <= \(ms(t)) \(p99 <= t ? "MET" : "MISSED")") }
            text += "  [target \(verdicts.joined(separator: ", "))]"
        }
        return text
    }

    static func machineDescription() -> String {
        var model = "unknown CPU"
        if let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let colon = line.firstIndex(of: ":") {
            model = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return "machine: \(model), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 20) MiB"
    }
}

/// Queries at full rate from one thread (its own client), while rounds are timed on the main thread.
final class QueryHammer: Sendable {
    struct Statistics {
        var queries: Int
        var errors: Int
        var seconds: Double
        /// Queries answered without error.
        var served: Int { queries - errors }
        /// Served queries per second of hammering.
        var servedRate: Double { seconds > 0 ? Double(served) / seconds : 0 }
    }

    /// How the hammer's client runs.
    struct Setup {
        /// The client thread's nice value (0: unchanged).
        var nice: Int
        /// Whether the client uses the process-wide shared ZeroMQ context (else a context of its own).
        var sharedContext: Bool
    }

    let endpoint: String
    let token: String
    let accounts: [AccountID]
    /// Queries per second; 0 = as fast as the client goes.
    let rate: Int
    let setup: Setup
    /// The hammer's own ZeroMQ context (one I/O thread), unless `setup.sharedContext`.
    private let context: Context?
    private let running = Atomic<Bool>(false)
    private let finished = Mutex<DispatchSemaphore?>(nil)
    private let counts = Mutex<(queries: Int, errors: Int, seconds: Double)>((0, 0, 0))

    init(endpoint: String, token: String, accounts: [AccountID], rate: Int, setup: Setup) {
        self.endpoint = endpoint
        self.token = token
        self.accounts = accounts
        self.rate = rate
        self.setup = setup
        context = setup.sharedContext ? nil : try? Context(ioThreads: 1)
    }

    func start() {
        running.store(true, ordering: .sequentiallyConsistent)
        let done = DispatchSemaphore(value: 0)
        finished.withLock { $0 = done }
        let thread = Thread { [self] in
            defer { done.signal() }
            if setup.nice > 0 { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Int32(clamping: setup.nice)) }
            guard let client = try? QueryClient(endpoint: endpoint, token: token, timeout: .seconds(10), context: context) else { return }
            defer { client.close() }
            var rng = SplitMix64(seed: 0x4A33_E2)
            var queries = 0, errors = 0
            let clock = ContinuousClock()
            let started = clock.now
            while running.load(ordering: .relaxed) {
                let account = accounts[Int(rng.below(UInt64(accounts.count)))]
                do { _ = try client.getAccount(account, prove: true) } catch { errors += 1 }
                queries += 1
                if rate > 0 {
                    // Pace to `rate` per second from the start of the block.
                    let due = started.advanced(by: .microseconds(queries * 1_000_000 / rate))
                    let wait = due - clock.now
                    if wait > .zero { Thread.sleep(forTimeInterval: Double(wait.components.attoseconds) / 1e18 + Double(wait.components.seconds)) }
                }
            }
            let (seconds, attoseconds) = (clock.now - started).components
            let elapsed = Double(seconds) + Double(attoseconds) / 1e18
            counts.withLock { $0 = ($0.queries + queries, $0.errors + errors, $0.seconds + elapsed) }
        }
        thread.start()
    }

    func stop() {
        running.store(false, ordering: .sequentiallyConsistent)
        _ = finished.withLock { $0 }?.wait(timeout: .now() + 30)
    }

    var statistics: Statistics {
        counts.withLock { Statistics(queries: $0.queries, errors: $0.errors, seconds: $0.seconds) }
    }
}

/// `ai-registry run` as a child process: ipc endpoints in the benchmark directory, the readiness line
/// read from its stdout, stderr to `plugin.log`.
final class BenchPlugin: @unchecked Sendable {
    struct Ready { var consensus: String; var query: String; var events: String; var metrics: String }

    private let process = Process()
    private let output = Pipe()
    private let lock = NSLock()
    private var text = ""

    /// The query endpoint's per-client rate limit is lifted: the benchmark measures latency, not the limiter.
    static func configuration(queryThreads: String?, queryWorkers: Int?) -> String {
        var query = #""rate_limit": {"requests_per_second": 1000000, "burst": 1000000}"#
        if let queryThreads { query += #", "thread_scheduling": "\#(queryThreads)""# }
        if let queryWorkers { query += #", "workers": \#(queryWorkers)"# }
        return #"{"query": {\#(query)}}"#
    }

    init(executable: String, directory: String, extraArguments: [String], queryThreads: String?, queryWorkers: Int?) throws {
        let configPath = directory + "/config.json"
        try Self.configuration(queryThreads: queryThreads, queryWorkers: queryWorkers).write(toFile: configPath, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["run", "--config", configPath, "--data-dir", directory + "/data", "--consensus", "ipc://\(directory)/consensus.sock",
                             "--query", "ipc://\(directory)/query.sock", "--events", "ipc://\(directory)/events.sock",
                             "--metrics-port", "0"] + extraArguments
        process.standardOutput = output
        _ = FileManager.default.createFile(atPath: directory + "/plugin.log", contents: nil)
        process.standardError = FileHandle(forWritingAtPath: directory + "/plugin.log")
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            self.lock.lock()
            self.text += String(decoding: data, as: UTF8.self)
            self.lock.unlock()
        }
        try process.run()
    }

    func waitReady(timeout: Double) throws -> Ready {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            lock.lock()
            let lines = text.split(separator: "\n")
            lock.unlock()
            for line in lines where line.hasPrefix("ready ") {
                var fields: [String: String] = [:]
                for word in line.split(separator: " ").dropFirst() {
                    let parts = word.split(separator: "=", maxSplits: 1)
                    if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
                }
                if let c = fields["consensus"], let q = fields["query"], let e = fields["events"] {
                    return Ready(consensus: c, query: q, events: e, metrics: fields["metrics"] ?? "")
                }
            }
            if !process.isRunning { break }
            usleep(10_000)
        }
        throw BenchError("ai-registry run printed no readiness line within \(Int(timeout)) s (exit \(process.isRunning ? "-" : "\(process.terminationStatus)"))")
    }

    /// SIGTERM, then SIGKILL after 20 s.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// Per-block figures of the alternating hammer blocks: each hammer block is paired with the quiet
/// block before it, and the medians of the pairs' ratios are reported (robust to a slow spell that
/// hits one condition more than the other).
struct BlockRatios {
    private var quiet: (median: Double, mean: Double)?
    private var ofMedians: [Double] = []
    private var ofMeans: [Double] = []

    mutating func add(_ times: [UInt64], hammering: Bool) {
        guard !times.isEmpty else { return }
        let sorted = times.sorted()
        let median = sorted.count % 2 == 1 ? Double(sorted[sorted.count / 2])
            : (Double(sorted[sorted.count / 2 - 1]) + Double(sorted[sorted.count / 2])) / 2
        let mean = Double(times.reduce(0, +)) / Double(times.count)
        if !hammering {
            quiet = (median, mean)
        } else if let before = quiet {
            ofMedians.append(median / max(1, before.median))
            ofMeans.append(mean / max(1, before.mean))
            quiet = nil
        }
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    var medians: (pairs: Int, ofMedians: Double, ofMeans: Double) {
        (ofMedians.count, Self.median(ofMedians), Self.median(ofMeans))
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
