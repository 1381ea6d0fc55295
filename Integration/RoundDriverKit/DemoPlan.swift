import RegistryCore
import RegistryWorkload

/// The chain `round-driver demo` drives: a short seeded workload, then a scenario, under the
/// scenario's parameters. The workload never executes proposals (its proposals are submitted, voted,
/// tallied and expire), so no governance change of the workload can move the scenario's parameters or
/// fees under its feet; the scenario covers execution, activation, rent and the rest.
public enum DemoPlan {
    /// The workload's mix: the realistic one without executions (usage falls back to registrations
    /// while no model is Active).
    public static let mix = TransactionMix(registration: 12, metadataUpdate: 8, transfer: 3, proposal: 6, vote: 40, execution: 0,
                                           usage: 36, withdrawal: 8, ownerDeprecation: 2)

    /// The workload followed by `scenario` on one chain.
    public static func source(scenario: Scenario, seed: UInt64, workloadRounds: Round, transactionsPerRound: Int,
                              invalidPerMille: UInt32 = 150, roundMillis: UInt64 = 200) throws -> SequencedSource {
        var configuration = WorkloadConfiguration.standard
        configuration.transactionsPerRound = transactionsPerRound
        configuration.invalidPerMille = invalidPerMille
        configuration.mix = mix
        configuration.roundMillis = roundMillis
        configuration.parameters = try ScenarioSource.parameters(of: scenario)
        return SequencedSource(workload: WorkloadSource(seed: seed, configuration: configuration, rounds: workloadRounds), scenario: scenario)
    }
}
