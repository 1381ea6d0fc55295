// `registry-testkit determinism`: runs a seeded workload through the round executor over an in-memory
// state and prints one digest line per round and one for the final state, so two processes (or two
// machines) can be compared line by line (D1, D2).
import RegistryCore
import RegistryWorkload
import Sodium

/// Prints, per round, `round <n> <writes digest> <results digest> <events digest>` (BLAKE2b-256 of the
/// canonical encodings), then `state <digest of every pair in key order> <key count>`. Mismatches
/// between the generator's expected codes and the executor's codes go to standard error with a count;
/// `--strict` makes them fail the command.
enum Determinism {
    struct Options {
        var seed: UInt64 = 1
        var rounds = 50
        var transactionsPerRound = 100
        var invalidPerMille: UInt32?
        var preparation = WorkloadRunner.Preparation.none
        var strict = false
        var stats = false
    }

    static let help = """
        usage: registry-testkit determinism [--seed S] [--rounds R] [--txs-per-round T] [--invalid-per-mille N]
                                            [--prepare none|sequential|parallel|pipelined] [--strict] [--stats]
          prints `round <n> <writes> <results> <events>` per round and `state <digest> <keys>` at the end;
          expected-code mismatches go to standard error (--strict: exit status 1 if any); --stats prints
          counts by kind and by result code to standard error
        """

    static func parse(_ arguments: [String]) -> Options? {
        var options = Options()
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            func value() -> String? { iterator.next() }
            switch argument {
            case "--seed": guard let v = value().flatMap(UInt64.init) else { return nil }; options.seed = v
            case "--rounds": guard let v = value().flatMap(Int.init), v >= 0 else { return nil }; options.rounds = v
            case "--txs-per-round": guard let v = value().flatMap(Int.init), v >= 0 else { return nil }; options.transactionsPerRound = v
            case "--invalid-per-mille": guard let v = value().flatMap(UInt32.init), v <= 1_000 else { return nil }; options.invalidPerMille = v
            case "--prepare": guard let v = value().flatMap(WorkloadRunner.Preparation.init(rawValue:)) else { return nil }; options.preparation = v
            case "--strict": options.strict = true
            case "--stats": options.stats = true
            default: return nil
            }
        }
        return options
    }

    static func run(_ arguments: [String]) -> Int32 {
        if arguments.contains("--help") { print(help); return 0 }
        guard let options = parse(arguments) else { printError(help); return 2 }
        var configuration = WorkloadConfiguration.standard
        configuration.transactionsPerRound = options.transactionsPerRound
        if let share = options.invalidPerMille { configuration.invalidPerMille = share }
        var generator = WorkloadGenerator(seed: options.seed, configuration: configuration)
        var runner: WorkloadRunner
        do { runner = try WorkloadRunner(genesis: generator.genesis) } catch {
            printError("determinism: genesis refused: \(error)"); return 1
        }
        var checked = 0
        var mismatches: [ExpectationMismatch] = []
        var codeCounts = [Int](repeating: 0, count: ResultCode.allCases.count)
        for _ in 0..<options.rounds {
            let round = generator.nextRound()
            let outcome: RoundOutcome
            do { outcome = try runner.execute(round.input, preparation: options.preparation) } catch {
                printError("determinism: round \(round.input.round) failed: \(error)"); return 1
            }
            print(OutcomeDigest.line(outcome))
            checked += round.expectations.count
            mismatches += round.mismatches(in: outcome)
            for result in outcome.results { codeCounts[ResultCode.allCases.firstIndex(of: result.code) ?? 0] += 1 }
        }
        print("state \(OutcomeDigest.state(runner.state).hex) \(runner.state.count)")
        printError("determinism: \(checked) transactions, \(mismatches.count) expected-code mismatches"
                   + (generator.isTracking ? "" : " (generator lost track of state)"))
        for mismatch in mismatches.prefix(50) { printError("  \(mismatch)") }
        if options.stats {
            printError("kinds: " + WorkloadKind.allCases.map { "\($0.rawValue)=\(generator.count(of: $0))" }.joined(separator: " "))
            printError("codes: " + zip(ResultCode.allCases, codeCounts).filter { $0.1 > 0 }.map { "\($0.0.name)=\($0.1)" }
                .joined(separator: " "))
            printError("models \(generator.modelCount) " + zip(ModelStatus.allCases, generator.modelStatusCounts).map { "\($0.0.name)=\($0.1)" }.joined(separator: " ") + ", proposals \(generator.proposalCount): "
                       + zip(ProposalStatus.allCases, generator.proposalStatusCounts).map { "\($0.0.name)=\($0.1)" }.joined(separator: " "))
        }
        return options.strict && !mismatches.isEmpty ? 1 : 0
    }

    static func printError(_ text: String) {
        var stream = DeterminismStandardError()
        print(text, to: &stream)
    }
}

import Glibc

/// Standard error as a `TextOutputStream`.
private struct DeterminismStandardError: TextOutputStream {
    mutating func write(_ string: String) {
        let bytes = Array(string.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
