import RegistryCore
import RegistryWorkload
import Sodium
import Testing

/// The executor's outcomes pinned across its optimisations: a seeded workload (seed 42, 40 rounds of 100
/// transactions, the standard mix with 15 % invalid) must give exactly the per-round digests of writes,
/// results and events, and the final state, that the executor gave before the decoded-record overlay,
/// the integer-prefix write sort, the seeded word hash and the bulk integer writes (recorded with
/// `registry-testkit determinism --seed 42 --rounds 40 --txs-per-round 100` at 1701c3c).
@Suite struct ExecutionGoldenTests {
    /// BLAKE2b-256 of the 40 `round <n> <writes> <results> <events>` lines, each ending in a newline.
    static let roundLinesDigest = "ba2269a12bc50df12ceae97577730c29a0840145a9e5e31c790abf497a8a9619"
    /// `OutcomeDigest.state` of the final state, and its key count.
    static let stateDigest = "4ce78830557f72ff51c56923e4c556e83d975202f885d23bc63f9f0c33201089"
    static let stateKeys = 6355

    @Test func seededWorkloadGivesTheRecordedOutcomes() throws {
        var configuration = WorkloadConfiguration.standard
        configuration.transactionsPerRound = 100
        var generator = WorkloadGenerator(seed: 42, configuration: configuration)
        var runner = try WorkloadRunner(genesis: generator.genesis)
        var lines = ""
        var mismatches = 0
        for _ in 0..<40 {
            let round = generator.nextRound()
            let outcome = try runner.execute(round.input)
            mismatches += round.mismatches(in: outcome).count
            lines += OutcomeDigest.line(outcome) + "\n"
        }
        #expect(mismatches == 0)
        #expect(Blake2b.hash256(Array(lines.utf8)).hex == Self.roundLinesDigest)
        #expect(OutcomeDigest.state(runner.state).hex == Self.stateDigest)
        #expect(runner.state.count == Self.stateKeys)
    }
}
