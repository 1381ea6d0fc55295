import RegistryCore
import RegistryWorkload
import Sodium
import Testing
@testable import RegistryNode

/// The node's pipelined execution (ADR 0025) gives the sequential outcome for every worker count and
/// chunk size, on rounds with bad signatures, garbage and duplicates. The pipeline's slots themselves
/// are checked in RegistryCoreTests/PipelinedPreparationTests.
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
}
