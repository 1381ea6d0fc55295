import RegistryCore
import RegistryWorkload

/// Rounds from the seeded `WorkloadGenerator`: registrations, metadata updates, proposals of every
/// kind, votes from many stakers, usage, withdrawals, ownership transfers, host updates (stake
/// changes, deposits) and a configured share of invalid transactions with their expected codes.
/// The generator's round numbers are the chain's; the timestamp is the driver's round clock.
public struct WorkloadSource: RoundSource {
    public private(set) var generator: WorkloadGenerator
    public let length: Round

    public init(seed: UInt64, configuration: WorkloadConfiguration, rounds: Round) {
        generator = WorkloadGenerator(seed: seed, configuration: configuration)
        length = rounds
    }

    public var genesis: Genesis { generator.genesis }

    public mutating func plan(round: Round, timestampMillis: UInt64, reference: ReferenceReplica) throws -> PlannedRound {
        let generated = generator.nextRound()
        guard generated.input.round == round else {
            throw DriverError.planning("the workload generator is at round \(generated.input.round), the driver at \(round)")
        }
        let input = RoundInput(round: round, timestampMillis: timestampMillis, hostUpdates: generated.input.hostUpdates,
                               transactions: generated.input.transactions)
        let plans = generated.expectations.map {
            PlannedTransaction(label: $0.kind.rawValue, expected: $0.expected, isInvalid: $0.kind.isInvalid)
        }
        return PlannedRound(input: input, transactions: plans)
    }

    public mutating func observe(_ outcome: RoundOutcome, reference: ReferenceReplica) -> [StateCheck] { [] }
}

/// A workload, then a scenario on the same chain (the demo): the scenario's accounts join through
/// host updates in its first round, and its rounds count from the end of the workload.
public struct SequencedSource: RoundSource {
    public private(set) var workload: WorkloadSource
    public private(set) var scenario: ScenarioSource

    public init(workload: WorkloadSource, scenario: Scenario) {
        self.workload = workload
        self.scenario = ScenarioSource(scenario: scenario, baseRound: workload.length, chainID: workload.genesis.chainID,
                                       parameters: workload.genesis.parameters, accountsAtGenesis: false)
    }

    public var genesis: Genesis { workload.genesis }
    public var length: Round { workload.length + scenario.length }

    public mutating func plan(round: Round, timestampMillis: UInt64, reference: ReferenceReplica) throws -> PlannedRound {
        if round <= workload.length { return try workload.plan(round: round, timestampMillis: timestampMillis, reference: reference) }
        return try scenario.plan(round: round, timestampMillis: timestampMillis, reference: reference)
    }

    public mutating func observe(_ outcome: RoundOutcome, reference: ReferenceReplica) -> [StateCheck] {
        outcome.round <= workload.length ? [] : scenario.observe(outcome, reference: reference)
    }
}
