import RegistryCore
import RegistryWorkload
import Sodium
import Testing
import RoundPipeline

/// ADR 0025: executing with signature verification pipelined (workers prepare chunks ahead, the
/// executing thread pulls slot i in order and helps) gives the same outcome as the sequential path, for
/// every worker count and chunk size, including rounds with bad signatures and malformed transactions.
@Suite struct PipelinedPreparationTests {
    /// A generated round with extra hostile entries spliced in at seeded positions: empty bytes, random
    /// bytes, a truncated transaction, a transaction with one flipped signature bit, and a duplicate.
    static func hostile(_ round: WorkloadRound, _ rng: inout SplitMix64) -> RoundInput {
        var input = round.input
        var txs = input.transactions
        guard let sample = txs.first else { return input }
        var flipped = sample
        flipped[flipped.count - 1] ^= 0x01
        let extras: [[UInt8]] = [[], rng.bytes(1 + Int(rng.below(300))), Array(sample.dropLast(7)), flipped, sample]
        for extra in extras { txs.insert(extra, at: Int(rng.below(UInt64(txs.count + 1)))) }
        input.transactions = txs
        return input
    }

    @Test(arguments: [(0, nil), (1, nil), (1, 1), (2, 3), (4, nil), (4, 64)] as [(Int, Int?)])
    func pipelinedOutcomesEqualSequentialOutcomes(workers: Int, chunkSize: Int?) throws {
        var generator = WorkloadGenerator(seed: 77)
        var runner = try WorkloadRunner(genesis: generator.genesis)
        var rng = SplitMix64(seed: 78)
        let chainID = generator.configuration.chainID
        var codes = Set<ResultCode>()
        for index in 0..<10 {
            let round = generator.nextRound(transactions: 120, mix: .realistic, invalidPerMille: 150)
            let input = index % 2 == 0 ? Self.hostile(round, &rng) : round.input
            let maxBytes = try RoundExecutor.parameters(in: runner.state).maxTransactionBytes
            let expected = try runner.executor.execute(input, state: runner.state)
            let pipelined = try ParallelPreparer.executePipelined(input, executor: runner.executor, state: runner.state,
                                                                  maxBytes: maxBytes, workers: workers, chunkSize: chunkSize)
            #expect(pipelined == expected, "round \(input.round)")
            if index % 2 == 1 { #expect(round.mismatches(in: expected).isEmpty) }
            codes.formUnion(expected.results.map(\.code))
            try runner.execute(input, prepared: ParallelPreparer.prepareSequentially(input.transactions, chainID: chainID,
                                                                                      maxBytes: maxBytes))
        }
        // The rounds did exercise failures of preparation, not only valid traffic.
        for code in [ResultCode.ok, .invalidSignature, .malformedTransaction, .duplicateTransaction] {
            #expect(codes.contains(code), "\(code.name) never produced")
        }
    }

    /// A pipeline made with another size limit than the round's is ignored entry by entry (the executor
    /// re-prepares), so the outcome is still the sequential one.
    @Test func aPipelineWithTheWrongSizeLimitDoesNotChangeTheOutcome() throws {
        var generator = WorkloadGenerator(seed: 79)
        let runner = try WorkloadRunner(genesis: generator.genesis)
        let round = generator.nextRound(transactions: 80, mix: .realistic, invalidPerMille: 100)
        let expected = try runner.executor.execute(round.input, state: runner.state)
        let pipelined = try ParallelPreparer.executePipelined(round.input, executor: runner.executor, state: runner.state,
                                                              maxBytes: 64, workers: 2)
        #expect(pipelined == expected)
        #expect(expected.results.contains { $0.code == .ok })
    }

    /// Pulled directly, every slot equals `TransactionPreparer.prepare` of its transaction, in order;
    /// indices outside the round and pulls after `cancel()` are answered without trapping.
    @Test(arguments: [0, 1, 3])
    func slotsHoldExactlyTheSequentialPreparation(workers: Int) throws {
        var generator = WorkloadGenerator(seed: 80)
        let round = generator.nextRound(transactions: 100, mix: .realistic, invalidPerMille: 200)
        let chainID = generator.configuration.chainID
        let maxBytes = generator.configuration.parameters.maxTransactionBytes
        let expected = ParallelPreparer.prepareSequentially(round.input.transactions, chainID: chainID, maxBytes: maxBytes)
        let pipeline = PipelinedPreparation(round.input.transactions, chainID: chainID, maxBytes: maxBytes,
                                            workers: workers, chunkSize: 7)
        let pulled = (0..<expected.count).map { pipeline.prepared(at: $0) }
        #expect(pulled.map(\.txID) == expected.map(\.txID))
        #expect(pulled.map(\.failure) == expected.map(\.failure))
        #expect(pulled.map(\.body) == expected.map(\.body))
        #expect(pulled.map(\.sender) == expected.map(\.sender))
        #expect(expected.contains { $0.failure == .invalidSignature })
        // Out of range: the preparation of empty bytes (malformed), not a trap.
        #expect(pipeline.prepared(at: expected.count).failure == .malformedTransaction)
        #expect(pipeline.prepared(at: -1).failure == .malformedTransaction)

        // Cancelled before anything was pulled: every pull still gives the right preparation.
        let cancelled = PipelinedPreparation(round.input.transactions, chainID: chainID, maxBytes: maxBytes,
                                             workers: workers, chunkSize: 5)
        cancelled.cancel()
        let afterCancel = (0..<expected.count).map { cancelled.prepared(at: $0) }
        #expect(afterCancel.map(\.txID) == expected.map(\.txID))
        #expect(afterCancel.map(\.failure) == expected.map(\.failure))
    }
}
