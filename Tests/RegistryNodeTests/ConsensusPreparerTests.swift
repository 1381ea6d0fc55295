import RegistryCore
import RegistryWorkload
import Sodium
import Testing
@testable import RegistryNode

/// The node's pipelined execution (ADR 0025) gives the sequential outcome for every worker count and
/// chunk size, on rounds with bad signatures, garbage and duplicates.
@Suite struct ConsensusPreparerTests {
    @Test(arguments: [(0, nil), (1, 1), (2, nil), (3, 5)] as [(Int, Int?)])
    func pipelinedExecutionEqualsSequentialExecution(workers: Int, chunkSize: Int?) throws {
        var generator = WorkloadGenerator(seed: 91)
        var runner = try WorkloadRunner(genesis: generator.genesis)
        var failures = 0
        for _ in 0..<6 {
            var input = generator.nextRound(transactions: 90, mix: .realistic, invalidPerMille: 150).input
            input.transactions.insert([0xFF, 0x00], at: 3)
            if let first = input.transactions.first { input.transactions.append(first) }
            let maxBytes = try RoundExecutor.parameters(in: runner.state).maxTransactionBytes
            let expected = try runner.executor.execute(input, state: runner.state)
            let pipelined = try ConsensusPreparer.execute(input, executor: runner.executor, state: runner.state,
                                                          maxBytes: maxBytes, workers: workers, chunkSize: chunkSize)
            #expect(pipelined == expected, "round \(input.round)")
            failures += expected.results.count { $0.code == .invalidSignature || $0.code == .malformedTransaction }
            try runner.execute(input, prepared: ParallelPreparer.prepareSequentially(input.transactions,
                                                                                      chainID: runner.executor.chainID,
                                                                                      maxBytes: maxBytes))
        }
        #expect(failures >= 6)
    }

    /// The outcome test cannot see a slot mix-up (the executor re-prepares an entry whose id does not
    /// match), so the slots are also pulled directly: each equals the sequential preparation.
    @Test(arguments: [0, 2])
    func slotsHoldTheSequentialPreparation(workers: Int) throws {
        var generator = WorkloadGenerator(seed: 92)
        let transactions = generator.nextRound(transactions: 70, mix: .realistic, invalidPerMille: 200).input.transactions
        let chainID = generator.configuration.chainID
        let maxBytes = generator.configuration.parameters.maxTransactionBytes
        let expected = ParallelPreparer.prepareSequentially(transactions, chainID: chainID, maxBytes: maxBytes)
        let pipeline = ConsensusPreparer.Pipeline(transactions, chainID: chainID, maxBytes: maxBytes, workers: workers, chunkSize: 4)
        let pulled = (0..<transactions.count).map { pipeline.prepared(at: $0) }
        #expect(pulled.map(\.txID) == expected.map(\.txID))
        #expect(pulled.map(\.failure) == expected.map(\.failure))
        #expect(pulled.map(\.body) == expected.map(\.body))
        #expect(pipeline.prepared(at: transactions.count).failure == .malformedTransaction)
    }
}
