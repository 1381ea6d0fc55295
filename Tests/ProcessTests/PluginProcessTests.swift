import Foundation
import RegistryClient
import RegistryCore
import RegistryWorkload
import Sodium
import Testing
import Wire

/// The real `ai-registry run` driven over ZeroMQ (ipc endpoints in a temporary directory). Serialized:
/// each test starts its own process, and the box has two cores.
@Suite("ai-registry run over ZeroMQ", .serialized)
struct PluginProcessTests {
    /// The workload of the behaviour suite: the seeded generator's rounds, 100 transactions each, about
    /// 15 % built to fail.
    static let seed: UInt64 = 0xA1_0C_E5_5E_ED
    static let rounds = 24
    static let transactions = 100

    /// The behaviour suite through the process: every transaction's code, fee and id, every round's
    /// events and root equal the in-process library's (RoundExecutor over MemoryState; roots from a
    /// StateStore committed in-process with the same writes). PreviewRound agrees and changes nothing;
    /// re-delivery is idempotent and conflicts and gaps are refused (D9).
    @Test func workloadRoundsAgreeWithTheLibrary() throws {
        let reference = try ReferenceRun.make(seed: Self.seed, rounds: Self.rounds, transactions: Self.transactions)
        let harness = try PluginHarness()
        let client = harness.consensus

        let before = try client.info()
        #expect(!before.initialized)
        #expect(before.protocolVersions.contains(1))
        let genesis = try client.initChain(genesis: reference.genesis)
        #expect(genesis.round == 0)
        #expect(genesis.root == Data(reference.root(after: 0).bytes))

        var checkedExpectations = 0
        for (index, round) in reference.rounds.enumerated() {
            let outcome = reference.outcomes[index]
            let number = round.input.round
            if index == reference.rounds.count - 1 {
                // PreviewRound of the last round: the same results, nothing committed.
                let preview = try client.previewRound(round.input)
                #expect(preview.codes == outcome.codes)
                #expect(preview.root == Data(reference.root(after: number).bytes))
                let info = try client.info()
                #expect(info.lastRound == number - 1)
                #expect(info.lastRoot == Data(reference.root(after: number - 1).bytes))
            }
            let result = try client.applyRound(round.input)
            #expect(result.round == number)
            #expect(!result.replayed)
            #expect(result.codes == outcome.codes, "round \(number): codes differ from the library")
            #expect(result.results.map(\.feeCharged) == outcome.results.map(\.feeCharged), "round \(number): fees")
            #expect(result.results.map(\.txID) == outcome.results.map { Data($0.txID.bytes) }, "round \(number): tx ids")
            #expect(result.events.map(\.topic) == outcome.events.map(\.topic), "round \(number): events")
            #expect(result.events.map(\.data) == outcome.events.map { Data($0.canonicalBytes()) }, "round \(number): event bytes")
            #expect(result.fees.collected == outcome.fees.collected)
            #expect(result.fees.deposited == outcome.fees.deposited)
            #expect(result.writeCount == UInt32(outcome.writes.count))
            #expect(result.root == Data(reference.root(after: number).bytes), "round \(number): root differs from the library")
            // The generator's own expectations hold through the process as well.
            for (position, expectation) in round.expectations.enumerated() {
                guard let code = ResultCode(rawValue: result.results[position].code) else {
                    Issue.record("round \(number) tx \(position): unknown code \(result.results[position].code)")
                    continue
                }
                #expect(expectation.expected.matches(code), "round \(number) tx \(position) \(expectation.kind): \(code) \(result.results[position].log)")
                checkedExpectations += 1
            }
        }
        #expect(checkedExpectations == Self.rounds * Self.transactions)
        let last = try #require(reference.rounds.last).input

        let info = try client.info()
        #expect(info.initialized)
        #expect(info.chainID == reference.chainID)
        #expect(info.lastRound == last.round)
        #expect(info.lastRoot == Data(reference.root(after: last.round).bytes))

        // D9: re-delivery of a committed round answers its stored result.
        let replay = try client.applyRound(reference.rounds[3].input)
        #expect(replay.replayed)
        #expect(replay.round == reference.rounds[3].input.round)
        #expect(replay.codes == reference.outcomes[3].codes)
        #expect(replay.root == Data(reference.root(after: replay.round).bytes))

        // A committed round with other content is a conflict; a gap names the expected round.
        var conflicting = reference.rounds[3].input
        conflicting.timestampMillis += 1
        expectServerError(.roundConflict) { try client.applyRound(conflicting) }
        let gap = RoundInput(round: last.round + 2, timestampMillis: last.timestampMillis + 400)
        let gapError = expectServerError(.roundGap) { try client.applyRound(gap) }
        #expect(gapError?.expectedRound == last.round + 1)
        // InitChain on an initialized store is refused.
        expectServerError(.wrongState) { try client.initChain(genesis: reference.genesis) }
        // Nothing of that changed the state.
        let after = try client.info()
        #expect(after.lastRound == last.round)
        #expect(after.lastRoot == info.lastRoot)

        // CheckTx: a transaction already executed is a stale nonce, garbage is malformed.
        let executed = try #require(zip(reference.rounds[0].input.transactions, reference.outcomes[0].results).first { $0.1.code == .ok })
        #expect(try client.checkTx(executed.0).code == ResultCode.staleNonce.rawValue)
        #expect(try client.checkTx([1, 2, 3]).code == ResultCode.malformedTransaction.rawValue)
    }

    /// A request with an unsupported protocol version is answered with UNSUPPORTED_VERSION listing the
    /// supported ones; ApplyRound before InitChain is a wrong state.
    @Test func versionAndStateErrorsAreTyped() throws {
        let harness = try PluginHarness()
        let client = harness.consensus
        expectServerError(.wrongState) { try client.applyRound(RoundInput(round: 1, timestampMillis: 1)) }
        client.protocolVersion = 2
        let error = expectServerError(.unsupportedVersion) { try client.info() }
        #expect(error?.supportedVersions == [1])
        client.protocolVersion = ConsensusClient.protocolVersion
        #expect(try client.info().initialized == false)
    }
}

/// Runs `body`, expecting it to fail with a server error of `code`; returns that error.
@discardableResult
func expectServerError<T>(_ code: AiRegistry_V1_ErrorCode, sourceLocation: SourceLocation = #_sourceLocation,
                          _ body: () throws -> T) -> ServerError? {
    do {
        _ = try body()
        Issue.record("expected \(code), the call succeeded", sourceLocation: sourceLocation)
        return nil
    } catch let error as RegistryClientError {
        guard let server = error.serverError else {
            Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
            return nil
        }
        #expect(server.code == code, "\(server)", sourceLocation: sourceLocation)
        return server
    } catch {
        Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
