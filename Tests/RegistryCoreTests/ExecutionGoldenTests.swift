import RegistryCore
import RegistryWorkload
import Sodium
import Testing

/// The executor's outcomes pinned across its optimisations: a seeded workload (seed 42, 40 rounds of 100
/// transactions, the standard mix with 15 % invalid) must give exactly the per-round digests of writes,
/// results and events, and the final state, that the executor gave before the decoded-record overlay,
/// the integer-prefix write sort, the seeded word hash and the bulk integer writes (recorded with
/// `registry-testkit determinism --seed 42 --rounds 40 --txs-per-round 100` at 1701c3c). Re-recorded for
/// stake checkpoint compaction (GOV-15, ADR 0026): results and events of all 40 rounds unchanged, only
/// writes differ (0x15 index keys, deleted 0x12/0x13 checkpoints); with compaction and the index
/// disabled the earlier digests reproduce.
@Suite struct ExecutionGoldenTests {
    /// BLAKE2b-256 of the 40 `round <n> <writes> <results> <events>` lines, each ending in a newline.
    static let roundLinesDigest = "9ee5b6b80b6cbf1b884e97ec1cf807d316997d076c07fa1fcc91218e8f78b977"
    /// `OutcomeDigest.state` of the final state, and its key count.
    static let stateDigest = "0b678cae796e6620f32ee20ce30bf4043febd49a38e1f6c7beb44c74fe9d554e"
    static let stateKeys = 6335

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
