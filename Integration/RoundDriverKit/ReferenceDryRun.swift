import RegistryCore

/// Runs a source on the reference replica alone (no plugin): what every transaction and scenario
/// check yields in-process. Used by `round-driver scenario --dry-run` and the tests of the shipped scenarios.
public enum ReferenceDryRun {
    public struct Result: Sendable {
        /// Transactions whose code or fee differs from the plan.
        public var transactionFailures: [ExpectationFailure] = []
        /// Every scenario check with its verdict on the reference.
        public var checks: [StateCheck] = []
        public var rounds: Round = 0
        public var root = ""

        /// Descriptions of the failed checks.
        public var failedChecks: [String] {
            checks.compactMap { check in check.referenceFailure.map { "round \(check.round) \(check.expectation): found \($0)" } }
        }
    }

    public static func run(_ source: inout some RoundSource, genesisMillis: UInt64 = 1_700_000_000_000, stepMillis: UInt64 = 200) throws -> Result {
        var reference: ReferenceReplica
        do { reference = try ReferenceReplica(genesis: source.genesis) } catch { throw DriverError.reference("\(error)") }
        var result = Result()
        var round: Round = 0
        while round < source.length {
            round += 1
            let plan = try source.plan(round: round, timestampMillis: genesisMillis + round * stepMillis, reference: reference)
            let outcome: RoundOutcome
            do { outcome = try reference.execute(plan.input).outcome } catch { throw DriverError.reference("\(error)") }
            result.transactionFailures += plan.failures(in: outcome)
            result.checks += source.observe(outcome, reference: reference)
        }
        result.rounds = round
        result.root = reference.root.hex
        return result
    }
}
