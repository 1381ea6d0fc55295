// `registry-bench core`: the round executor over an in-memory state (Docs/benchmarks.md, "Registry core").
import Dispatch
import Glibc
import RegistryCore
import RegistryWorkload
import Sodium
import RoundPipeline

/// Pre-populates a `MemoryState` with a realistic registry (thousands of models and accounts, open and
/// executed proposals) from the seeded workload generator, then, for rounds of 1k and 10k signed
/// transactions of the realistic mix, measures the median over several rounds of:
/// raw Ed25519 verification on one core and on all cores; end-to-end transactions per second with
/// verification on one core (prepare sequentially + execute) and on all cores (prepare in parallel +
/// execute); end to end pipelined (workers verify ahead while the executing thread applies, ADR 0025);
/// and execution alone (prepared transactions, signatures excluded). Every variant's outcome is checked
/// equal before the round is applied. Raw all-cores verification, the pipelined end to end and execution
/// alone are repeated `--repeats` times per round, interleaved, so each pipelined run has a raw
/// verification run timed just before it on the same round: the median of those paired ratios, the
/// spreads, the process-CPU ratio and the load average make one run quotable on a shared machine.
enum CoreBenchmark {
    struct Options {
        var sizes = [1_000, 10_000]
        var rounds = 7
        var models = 5_000
        var warmUpRounds = 30
        var seed: UInt64 = 2024
        /// Pipeline worker threads (nil: one per active processor).
        var workers: Int?
        /// Interleaved repetitions per round of raw all-cores verification, the pipelined end to end and
        /// execution alone (each pair of the first two gives one paired ratio).
        var repeats = 3
    }

    static let help = """
        usage: registry-bench core [--sizes 1000,10000] [--rounds N] [--repeats N] [--models N] [--warm-up N] [--seed S] [--workers N]
          --sizes    transactions per measured round (default 1000,10000)
          --rounds   measured rounds per size; medians are printed (default 7)
          --repeats  per round, interleaved repetitions of raw verify (all cores), pipelined and execution alone (default 3)
          --models   models registered before measuring (default 5000)
          --warm-up  rounds before measuring: 2/3 governance-heavy (approvals), then the realistic mix (default 30)
          --seed     workload seed (default 2024)
          --workers  worker threads of the pipelined column, beside the executing thread (default: active cores)
        """

    static func run(_ arguments: [String]) -> Int32 {
        guard let options = parse(arguments) else { print(help); return arguments.contains("--help") ? 0 : 2 }
        do { try benchmark(options) } catch {
            print("registry-bench core: failed: \(error)")
            return 1
        }
        return 0
    }

    static func parse(_ arguments: [String]) -> Options? {
        var options = Options()
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--sizes":
                guard let list = iterator.next()?.split(separator: ",").compactMap({ Int($0) }), !list.isEmpty,
                      list.allSatisfy({ $0 > 0 }) else { return nil }
                options.sizes = list
            case "--rounds": guard let n = iterator.next().flatMap(Int.init), n > 0 else { return nil }; options.rounds = n
            case "--models": guard let n = iterator.next().flatMap(Int.init), n >= 0 else { return nil }; options.models = n
            case "--warm-up": guard let n = iterator.next().flatMap(Int.init), n >= 0 else { return nil }; options.warmUpRounds = n
            case "--seed": guard let n = iterator.next().flatMap(UInt64.init) else { return nil }; options.seed = n
            case "--workers": guard let n = iterator.next().flatMap(Int.init), n >= 0 else { return nil }; options.workers = n
            case "--repeats": guard let n = iterator.next().flatMap(Int.init), n > 0 else { return nil }; options.repeats = n
            default: return nil
            }
        }
        return options
    }

    /// The medians of one round size, in transactions per second.
    struct Figures {
        var verifyOne: [Double] = []
        var verifyAll: [Double] = []
        var endToEndOne: [Double] = []
        var endToEndAll: [Double] = []
        var endToEndPipelined: [Double] = []
        /// Per round: the process CPU time of raw all-cores verification over that of the pipelined end
        /// to end (per transaction). The pipeline keeps every core busy until its tail, so on an idle
        /// machine its wall ratio approaches this from below; on a loaded machine this is the robust figure.
        var pipelinedCPURatio: [Double] = []
        /// Per interleaved pair: pipelined end to end over raw all-cores verification, both timed back to
        /// back on the same round (a host slowing down or speeding up between rounds cancels out).
        var pairedRatio: [Double] = []
        /// Transactions the pipeline's executing thread prepared again because a worker held them too long.
        var duplicates = 0
        var executeOnly: [Double] = []
        /// Single-threaded figures per second of the thread's CPU time (robust on a loaded machine).
        var verifyOneCPU: [Double] = []
        var endToEndOneCPU: [Double] = []
        var executeOnlyCPU: [Double] = []
        var transactions = 0
        var valid = 0
        var mismatches = 0
    }

    static func benchmark(_ options: Options) throws {
        let cores = Processor.count
        print("registry-bench core: \(cores) core(s), seed \(options.seed), \(options.rounds) rounds x \(options.repeats) repeats, "
              + "load average \(loadAverage())")
        var generator = WorkloadGenerator(seed: options.seed,
                                          configuration: .benchmark(transactionsPerRound: options.sizes.max() ?? 1_000))
        var runner = try WorkloadRunner(genesis: generator.genesis)
        let setupStart = ContinuousClock.now
        var remaining = options.models
        while remaining > 0 {
            let batch = min(remaining, 2_000)
            try runner.execute(generator.nextRound(transactions: batch, mix: .registrationsOnly, invalidPerMille: 0).input,
                               preparation: .parallel)
            remaining -= batch
        }
        // Governance first (approvals bring models to Active), then the realistic mix.
        for index in 0..<options.warmUpRounds {
            let mix: TransactionMix = index < options.warmUpRounds * 2 / 3 ? .governanceHeavy : .realistic
            try runner.execute(generator.nextRound(transactions: 1_000, mix: mix, invalidPerMille: 20).input,
                               preparation: .parallel)
        }
        let statuses = zip(ModelStatus.allCases, generator.modelStatusCounts).filter { $0.1 > 0 }
            .map { "\($0.0.name) \($0.1)" }.joined(separator: ", ")
        print("state: \(runner.state.count) keys, \(generator.configuration.accountCount) accounts, \(generator.modelCount) models "
              + "(\(statuses)), \(generator.proposalCount) proposals; set up in \(seconds(ContinuousClock.now - setupStart)) s")

        for size in options.sizes {
            var figures = Figures()
            for _ in 0..<options.rounds {
                let round = generator.nextRound(transactions: size, mix: .realistic, invalidPerMille: 20)
                try measure(round, &runner, &figures, workers: options.workers ?? cores, repeats: options.repeats)
            }
            report(size: size, figures, cores: cores, workers: options.workers ?? cores)
            print("  load average after                 \(loadAverage())")
        }
    }

    static func measure(_ round: WorkloadRound, _ runner: inout WorkloadRunner, _ figures: inout Figures, workers: Int,
                        repeats: Int) throws {
        let input = round.input
        let chainID = runner.executor.chainID
        let maxBytes = try RoundExecutor.parameters(in: runner.state).maxTransactionBytes
        let count = Double(input.transactions.count)

        // Raw libsodium verification of the well-formed transactions (sign bytes built beforehand).
        let triples: [(message: [UInt8], signature: [UInt8], publicKey: [UInt8])] = input.transactions.compactMap { bytes in
            guard let tx = try? SignedTransaction(canonicalBytes: bytes) else { return nil }
            return (SignedTransaction.signBytes(chainID: chainID, bodyBytes: tx.bodyBytes), tx.signature, tx.publicKey)
        }
        var verified = 0
        let (one, oneCPU) = timeBoth {
            for t in triples where Ed25519.verify(signature: t.signature, message: t.message, publicKey: t.publicKey) { verified += 1 }
        }
        figures.verifyOne.append(Double(triples.count) / one)
        figures.verifyOneCPU.append(Double(triples.count) / oneCPU)

        let executor = runner.executor
        let state = runner.state
        var sequentialOutcome: RoundOutcome?
        let (endToEndOne, endToEndOneCPU) = try timeBoth { () throws(StateError) in
            let prepared = ParallelPreparer.prepareSequentially(input.transactions, chainID: chainID, maxBytes: maxBytes)
            sequentialOutcome = try executor.execute(input, state: state, prepared: prepared)
        }
        var prepared: [PreparedTransaction] = []
        var parallelOutcome: RoundOutcome?
        let endToEndAll = try time { () throws(StateError) in
            prepared = ParallelPreparer.prepareInParallel(input.transactions, chainID: chainID, maxBytes: maxBytes)
            parallelOutcome = try executor.execute(input, state: state, prepared: prepared)
        }
        guard let outcome = parallelOutcome, outcome == sequentialOutcome else {
            throw BenchmarkFailure(reason: "round \(input.round): outcomes differ between preparation modes")
        }
        figures.endToEndOne.append(count / endToEndOne)
        figures.endToEndAll.append(count / endToEndAll)
        figures.endToEndOneCPU.append(count / endToEndOneCPU)

        // Interleaved: raw verification on all cores, then the pipelined end to end, then execution
        // alone, `repeats` times on the same round; each (raw, pipelined) pair gives one paired ratio.
        for _ in 0..<repeats {
            let processCPUBefore = processCPUSeconds()
            let all = time {
                let chunks = Processor.count * 4
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    let lower = triples.count * chunk / chunks, upper = triples.count * (chunk + 1) / chunks
                    for index in lower..<upper {
                        _ = Ed25519.verify(signature: triples[index].signature, message: triples[index].message,
                                           publicKey: triples[index].publicKey)
                    }
                }
            }
            let verifyAllCPU = processCPUSeconds() - processCPUBefore
            figures.verifyAll.append(Double(triples.count) / all)

            var pipelinedOutcome: RoundOutcome?
            let pipeline = PipelinedPreparation(input.transactions, chainID: chainID, maxBytes: maxBytes, workers: workers)
            let pipelinedCPUBefore = processCPUSeconds()
            let endToEndPipelined = try time { () throws(StateError) in
                pipelinedOutcome = try executor.execute(input, state: state, source: pipeline)
            }
            let pipelinedCPU = processCPUSeconds() - pipelinedCPUBefore
            pipeline.cancel()
            figures.duplicates += pipeline.duplicates
            var executedOutcome: RoundOutcome?
            let (executeOnly, executeOnlyCPU) = try timeBoth { () throws(StateError) in
                executedOutcome = try executor.execute(input, state: state, prepared: prepared)
            }
            guard executedOutcome == outcome, pipelinedOutcome == outcome else {
                throw BenchmarkFailure(reason: "round \(input.round): outcomes differ between preparation modes")
            }
            // Raw verification covers the well-formed transactions only; scale to the round's count.
            let rawPerTransaction = triples.isEmpty ? 0 : all / Double(triples.count)
            let verifyAllCPUPerTransaction = triples.isEmpty ? 0 : verifyAllCPU / Double(triples.count)
            figures.endToEndPipelined.append(count / endToEndPipelined)
            figures.pairedRatio.append(endToEndPipelined > 0 ? rawPerTransaction * count / endToEndPipelined : 0)
            figures.pipelinedCPURatio.append(pipelinedCPU > 0 ? verifyAllCPUPerTransaction * count / pipelinedCPU : 0)
            figures.executeOnly.append(count / executeOnly)
            figures.executeOnlyCPU.append(count / executeOnlyCPU)
        }
        figures.transactions += input.transactions.count
        figures.valid += outcome.results.reduce(0) { $0 + ($1.code == .ok ? 1 : 0) }
        figures.mismatches += round.mismatches(in: outcome).count
        _ = try runner.execute(input, prepared: prepared)
    }

    static func report(size: Int, _ f: Figures, cores: Int, workers: Int) {
        let verifyAll = median(f.verifyAll), endToEndAll = median(f.endToEndAll), executeOnly = median(f.executeOnly)
        let pipelined = median(f.endToEndPipelined)
        let ratio = verifyAll > 0 ? endToEndAll / verifyAll : 0
        let pipelinedRatio = verifyAll > 0 ? pipelined / verifyAll : 0
        print("")
        print("rounds of \(size) transactions (\(f.verifyOne.count) rounds, \(f.verifyAll.count) interleaved samples, "
              + "\(percent(f.valid, f.transactions)) ok, \(f.mismatches) expected-code mismatches), medians;"
              + " per wall second (per CPU second of the thread):")
        print("  Ed25519 verify, 1 core             \(rate(median(f.verifyOne))) (\(rate(median(f.verifyOneCPU), width: 0))) sig/s")
        print("  Ed25519 verify, \(cores) cores            \(rate(verifyAll)) sig/s  \(spread(f.verifyAll))")
        print("  end to end, verify on 1 core       \(rate(median(f.endToEndOne))) (\(rate(median(f.endToEndOneCPU), width: 0))) tx/s")
        print("  end to end, verify on \(cores) cores      \(rate(endToEndAll)) tx/s")
        print("  all-cores end to end / raw verify  \(fixed(ratio, 2))  (target >= 0.80: \(ratio >= 0.8 ? "met" : "MISSED"))")
        let paired = median(f.pairedRatio), executeOnlyCPU = median(f.executeOnlyCPU)
        print("  end to end, pipelined, \(workers) workers \(rate(pipelined)) tx/s  \(spread(f.endToEndPipelined))"
              + "  (\(f.duplicates) duplicate preparations)")
        print("  pipelined / raw verify, medians    \(fixed(pipelinedRatio, 2))")
        print("  pipelined / raw verify, paired     \(fixed(paired, 2))  \(spread(f.pairedRatio, digits: 2))"
              + "  (target >= 0.80: \(paired >= 0.8 ? "met" : "MISSED"); median of back-to-back pairs)")
        print("    same ratio by process CPU time   \(fixed(median(f.pipelinedCPURatio), 2))  \(spread(f.pipelinedCPURatio, digits: 2))"
              + "  (the wall ratio if no core idles: its ceiling on an idle machine)")
        print("  execution alone (prepared)         \(rate(executeOnly)) (\(rate(executeOnlyCPU, width: 0))) tx/s"
              + "  \(spread(f.executeOnlyCPU)) per CPU s"
              + "  (target >= 100k: wall \(executeOnly >= 100_000 ? "met" : "MISSED"), per CPU s \(executeOnlyCPU >= 100_000 ? "met" : "MISSED"))")
    }

    struct BenchmarkFailure: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }

    // MARK: Helpers

    /// The calling thread's CPU time in seconds (clock_gettime CLOCK_THREAD_CPUTIME_ID).
    static func threadCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// The process's CPU time in seconds, all threads (clock_gettime CLOCK_PROCESS_CPUTIME_ID).
    static func processCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Wall and thread-CPU seconds of a single-threaded body.
    static func timeBoth(_ body: () -> Void) -> (wall: Double, cpu: Double) {
        let cpu = threadCPUSeconds()
        let wall = time(body)
        return (wall, threadCPUSeconds() - cpu)
    }

    static func timeBoth(_ body: () throws(StateError) -> Void) throws(StateError) -> (wall: Double, cpu: Double) {
        let cpu = threadCPUSeconds()
        let wall = try time(body)
        return (wall, threadCPUSeconds() - cpu)
    }

    static func time(_ body: () -> Void) -> Double {
        let start = ContinuousClock.now
        body()
        return seconds(ContinuousClock.now - start)
    }

    static func time(_ body: () throws(StateError) -> Void) throws(StateError) -> Double {
        let start = ContinuousClock.now
        try body()
        return seconds(ContinuousClock.now - start)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// `v` rounded, with thousands separators, right-aligned in `width` columns.
    static func rate(_ v: Double, width: Int = 10) -> String {
        let digits = String(Int(v.rounded()))
        var grouped = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { grouped.append(",") }
            grouped.append(c)
        }
        let text = String(grouped.reversed())
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }

    static func fixed(_ v: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let n = Int((v * scale).rounded())
        let whole = n / Int(scale), frac = n % Int(scale)
        let fracText = String(frac)
        return "\(whole).\(String(repeating: "0", count: digits - fracText.count))\(fracText)"
    }

    /// `[min–max]` of the samples (the spread behind a median).
    static func spread(_ values: [Double], digits: Int? = nil) -> String {
        guard let low = values.min(), let high = values.max() else { return "" }
        if let digits { return "[\(fixed(low, digits))–\(fixed(high, digits))]" }
        return "[\(rate(low, width: 0))–\(rate(high, width: 0))]"
    }

    /// The 1, 5 and 15-minute load averages (getloadavg), to quote beside wall-clock figures.
    static func loadAverage() -> String {
        var loads = [Double](repeating: 0, count: 3)
        guard getloadavg(&loads, 3) == 3 else { return "unknown" }
        return loads.map { fixed($0, 2) }.joined(separator: " ")
    }

    static func percent(_ part: Int, _ whole: Int) -> String { whole == 0 ? "0 %" : "\(part * 100 / whole) %" }
}
