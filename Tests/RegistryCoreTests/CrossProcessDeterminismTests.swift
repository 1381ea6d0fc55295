import RegistryCore
import RegistryWorkload
import Sodium
import TestSupport
import Testing

/// D1/D2 across processes: the same seeded workload executed by two separate `registry-testkit
/// determinism` processes (each with its own hash seed) prints identical per-round digests of writes,
/// results and events and the same final state digest; another seed prints different ones. In process:
/// prepared (parallel-verified) transactions give the same outcomes as unprepared ones.
@Suite struct CrossProcessDeterminismTests {
    struct Run {
        let lines: [String]
        let status: Int32
    }

    static func start(seed: UInt64, rounds: Int, txsPerRound: Int, _ extra: [String] = []) throws -> HelperProcess {
        try HelperProcess("registry-testkit", ["determinism", "--seed", "\(seed)", "--rounds", "\(rounds)",
                                                "--txs-per-round", "\(txsPerRound)", "--strict"] + extra)
    }

    static func finish(_ process: HelperProcess) -> Run {
        let status = process.waitForExit(timeout: 900)
        return Run(lines: process.outputLines, status: status)
    }

    /// `round <n> <64 hex> <64 hex> <64 hex>` for rounds 1…R, then `state <64 hex> <keys>`.
    static func checkShape(_ lines: [String], rounds: Int) {
        #expect(lines.count == rounds + 1)
        for (index, line) in lines.dropLast().enumerated() {
            let fields = line.split(separator: " ")
            #expect(fields.count == 5 && fields[0] == "round" && fields[1] == "\(index + 1)", "\(line)")
            #expect(fields.dropFirst(2).allSatisfy { $0.count == 64 }, "\(line)")
        }
        #expect(lines.last?.hasPrefix("state ") == true)
    }

    /// 3 × 4,000 transactions (15 % invalid) in three processes at once (unprepared, parallel-prepared,
    /// pipelined, ADR 0025); `--strict` also makes each process fail if an expected code differs from the
    /// executor's.
    @Test func twoProcessesWithTheSameSeedPrintIdenticalDigests() throws {
        let rounds = 40
        let a = try Self.start(seed: 42, rounds: rounds, txsPerRound: 100)
        let b = try Self.start(seed: 42, rounds: rounds, txsPerRound: 100, ["--prepare", "parallel"])
        let c = try Self.start(seed: 42, rounds: rounds, txsPerRound: 100, ["--prepare", "pipelined"])
        let runA = Self.finish(a), runB = Self.finish(b), runC = Self.finish(c)
        #expect(runA.status == 0)
        #expect(runB.status == 0)
        #expect(runC.status == 0)
        Self.checkShape(runA.lines, rounds: rounds)
        #expect(runA.lines == runB.lines)
        #expect(runA.lines == runC.lines)
        for (lineA, lineB) in zip(runA.lines, runB.lines) where lineA != lineB {
            Issue.record("first differing line:\n\(lineA)\n\(lineB)")
            break
        }
    }

    @Test func anotherSeedPrintsOtherDigests() throws {
        let a = Self.finish(try Self.start(seed: 42, rounds: 8, txsPerRound: 100))
        let b = Self.finish(try Self.start(seed: 43, rounds: 8, txsPerRound: 100))
        #expect(a.status == 0 && b.status == 0)
        Self.checkShape(a.lines, rounds: 8)
        Self.checkShape(b.lines, rounds: 8)
        // Every round's writes, results and events differ, and so does the final state.
        for (lineA, lineB) in zip(a.lines.dropLast(), b.lines.dropLast()) {
            let fa = lineA.split(separator: " "), fb = lineB.split(separator: " ")
            guard fa.count == 5, fb.count == 5 else { Issue.record("bad lines \(lineA) / \(lineB)"); continue }
            #expect(fa[2] != fb[2] && fa[3] != fb[3] && fa[4] != fb[4], "\(lineA) vs \(lineB)")
        }
        #expect(a.lines.last != b.lines.last)
    }

    /// The same workload with transactions prepared on all cores, prepared sequentially, and not
    /// prepared (the executor verifies) gives identical outcomes, round by round.
    @Test func preparedAndUnpreparedTransactionsGiveIdenticalOutcomes() throws {
        var generator = WorkloadGenerator(seed: 9)
        var plain = try WorkloadRunner(genesis: generator.genesis)
        var parallel = plain, sequential = plain
        var results = 0
        for _ in 0..<15 {
            let round = generator.nextRound()
            let expected = try plain.execute(round.input)
            #expect(try parallel.execute(round.input, preparation: .parallel) == expected)
            #expect(try sequential.execute(round.input, preparation: .sequential) == expected)
            #expect(round.mismatches(in: expected).isEmpty)
            results += expected.results.count
        }
        #expect(results == 1_500)
        #expect(OutcomeDigest.state(parallel.state) == OutcomeDigest.state(plain.state))
    }

    /// Preparing on all cores gives the same verdicts, in the same order, as preparing on one.
    @Test func parallelPreparationMatchesSequentialPreparation() throws {
        var generator = WorkloadGenerator(seed: 10)
        let round = generator.nextRound()
        let maxBytes = generator.configuration.parameters.maxTransactionBytes
        let a = ParallelPreparer.prepareInParallel(round.input.transactions, chainID: generator.configuration.chainID, maxBytes: maxBytes)
        let b = ParallelPreparer.prepareSequentially(round.input.transactions, chainID: generator.configuration.chainID, maxBytes: maxBytes)
        #expect(a.map(\.txID) == b.map(\.txID))
        #expect(a.map(\.failure) == b.map(\.failure))
        #expect(a.map(\.body) == b.map(\.body))
        #expect(a.contains { $0.failure == .invalidSignature } || !round.expectations.contains { $0.kind == .badSignature })
    }
}
