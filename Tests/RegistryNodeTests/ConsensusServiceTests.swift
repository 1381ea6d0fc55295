import Foundation
import RegistryCore
import RegistryWorkload
import Sodium
import StateStore
import SwiftProtobuf
import Testing
import Wire
@testable import RegistryNode

/// The consensus state machine in-process over a temporary StateStore (DESIGN.md §4, D8, D9).
@Suite struct ConsensusServiceTests {
    @Test func infoOnAnEmptyStore() throws {
        let fixture = try ConsensusFixture()
        let info = try fixture.info()
        #expect(!info.initialized)
        #expect(info.chainID.isEmpty)
        #expect(info.lastRoot.isEmpty)
        #expect(info.protocolVersions == [1])
        #expect(info.schemaVersion == StateStore.schemaVersion)
        #expect(info.historyStart == 0)
    }

    @Test func initChainThenRoundsMatchTheReference() throws {
        let fixture = try ConsensusFixture()
        let reference = try ReferenceChain(genesis: fixture.generator.genesis)
        let genesis = try fixture.initChain()
        guard case .initChain(let initReply)? = genesis.response.response else {
            Issue.record("InitChain failed: \(genesis.response)"); return
        }
        #expect(initReply.round == 0)
        var info = try fixture.info()
        #expect(info.initialized)
        #expect(info.chainID == "consensus-test")
        #expect(info.lastRound == 0)
        #expect(info.lastRoot == initReply.root)
        #expect(fixture.service.status.current.lastRound == 0)

        for _ in 1...6 {
            let (input, result) = try fixture.applyNext()
            let (root, outcome) = try reference.apply(input)
            #expect(result.round == input.round)
            #expect(result.root == Data(root.bytes))
            #expect(!result.replayed)
            #expect(result.results.count == input.transactions.count)
            #expect(result.results.map(\.code) == outcome.results.map(\.code.rawValue))
            #expect(result.results.map(\.codeName) == outcome.results.map(\.code.name))
            #expect(result.events.count == outcome.events.count)
            #expect(result.writeCount == UInt32(outcome.writes.count))
        }
        info = try fixture.info()
        #expect(info.lastRound == 6)
        #expect(try fixture.storeState().version == 6)
        #expect(fixture.service.status.current.roundsApplied == 7)  // genesis + 6 rounds
    }

    @Test func applyPublishesTheResult() throws {
        let fixture = try ConsensusFixture()
        _ = try fixture.initChain()
        let input = fixture.generator.nextRound().input
        let reply = try fixture.apply(input)
        let result = try #require(reply.roundResult)
        #expect(reply.actions == [.publishRound(result)])
    }

    @Test func redeliveryReplaysTheStoredResult() throws {
        let fixture = try ConsensusFixture()
        _ = try fixture.initChain()
        let (first, firstResult) = try fixture.applyNext()
        let (second, secondResult) = try fixture.applyNext()
        let before = try fixture.storeState()
        for (input, original) in [(first, firstResult), (second, secondResult)] {
            let reply = try fixture.apply(input)
            var replayed = try #require(reply.roundResult)
            #expect(replayed.replayed)
            #expect(reply.actions.isEmpty)  // nothing re-published
            replayed.replayed = false
            let a: [UInt8] = try replayed.serializedBytes()
            let b: [UInt8] = try original.serializedBytes()
            #expect(a == b)
        }
        let after = try fixture.storeState()
        #expect(after.version == before.version)
        #expect(after.root == before.root)
    }

    @Test func gapIsRefusedWithTheExpectedRound() throws {
        let fixture = try ConsensusFixture()
        _ = try fixture.initChain()
        try fixture.applyNext()
        let before = try fixture.storeState()
        let reply = try fixture.apply(RoundInput(round: 3, timestampMillis: 1))
        let error = try #require(reply.error)
        #expect(error.code == .roundGap)
        #expect(error.expectedRound == 2)
        #expect(error.field == "apply_round.round")
        #expect(reply.auditKinds == [.roundRefused])
        #expect(try fixture.storeState().version == before.version)
        // The expected round is still accepted afterwards.
        try fixture.applyNext()
        #expect(try fixture.info().lastRound == 2)
    }

    @Test func conflictingContentIsRefused() throws {
        let fixture = try ConsensusFixture()
        _ = try fixture.initChain()
        let (input, _) = try fixture.applyNext()
        try fixture.applyNext()
        var other = input
        other.timestampMillis += 1
        let reply = try fixture.apply(other)
        let error = try #require(reply.error)
        #expect(error.code == .roundConflict)
        #expect(error.expectedRound == 3)
        var fewer = input
        fewer.transactions.removeLast()
        #expect(try fixture.apply(fewer).error?.code == .roundConflict)
        // The genesis round itself is never re-applied.
        #expect(try fixture.apply(RoundInput(round: 0, timestampMillis: 0)).error?.code == .roundConflict)
        #expect(try fixture.info().lastRound == 2)
    }

    @Test func initChainTwiceIsWrongState() throws {
        let fixture = try ConsensusFixture()
        _ = try fixture.initChain()
        let root = try fixture.storeState().root
        let reply = try fixture.initChain()
        #expect(reply.error?.code == .wrongState)
        #expect(reply.auditKinds == [.roundRefused])
        #expect(try fixture.storeState().root == root)
    }

    @Test func requestsBeforeInitChainAreWrongState() throws {
        let fixture = try ConsensusFixture()
        #expect(try fixture.apply(RoundInput(round: 1, timestampMillis: 0)).error?.code == .wrongState)
        #expect(try fixture.preview(RoundInput(round: 1, timestampMillis: 0)).error?.code == .wrongState)
        #expect(try fixture.checkTx([1, 2, 3]).error?.code == .wrongState)
        #expect(try fixture.storeState().version == nil)
    }

    @Test func genesisAtALaterRound() throws {
        let fixture = try ConsensusFixture()
        let reply = try fixture.initChain(genesisRound: 100)
        guard case .initChain(let body)? = reply.response.response else { Issue.record("\(reply.response)"); return }
        #expect(body.round == 100)
        let gap = try fixture.apply(RoundInput(round: 1, timestampMillis: 0))
        #expect(gap.error?.code == .roundConflict)  // at or before genesis
        let next = try fixture.apply(RoundInput(round: 102, timestampMillis: 0))
        #expect(next.error?.code == .roundGap)
        #expect(next.error?.expectedRound == 101)
        #expect(try fixture.apply(RoundInput(round: 101, timestampMillis: 5)).roundResult?.round == 101)
        // The store's history starts at genesis (ADR 0020).
        let info = try fixture.info()
        #expect(info.historyStart == 100)
        #expect(info.earliestRetainedRound == 100)
    }

    @Test func previewLeavesTheStoreUnchangedAndEqualsApply() throws {
        let fixture = try ConsensusFixture()
        _ = try fixture.initChain()
        try fixture.applyNext()
        let input = fixture.generator.nextRound().input
        let before = try fixture.storeState()
        let preview = try fixture.preview(input)
        var previewed = try #require(preview.roundResult)
        #expect(preview.actions.isEmpty)
        let after = try fixture.storeState()
        #expect(after.version == before.version)
        #expect(after.root == before.root)
        #expect(try fixture.info().lastRound == 1)
        let applied = try #require(try fixture.apply(input).roundResult)
        #expect(previewed.root == applied.root)
        previewed.replayed = applied.replayed
        let a: [UInt8] = try previewed.serializedBytes()
        let b: [UInt8] = try applied.serializedBytes()
        #expect(a == b)
        // A preview at or below the last round is refused.
        #expect(try fixture.preview(input).error?.field == "preview_round.round.round")
    }

    @Test func checkTxCodesWithoutWrites() throws {
        let fixture = try ConsensusFixture()
        _ = try fixture.initChain()
        let before = try fixture.storeState()
        let key = fixture.generator.keys[0]
        var factory = TransactionFactory(chainID: "consensus-test")
        let good = factory.signed(.withdraw(amount: 1), by: key, maxFee: 1_000_000)
        let reply = try fixture.checkTx(good)
        guard case .checkTx(let body)? = reply.response.response else { Issue.record("\(reply.response)"); return }
        #expect(body.code == ResultCode.ok.rawValue)
        #expect(body.log == "ok")
        #expect(body.txID == Data(Blake2b.hash256(good).bytes))

        let badSignature = factory.badlySigned(.withdraw(amount: 1), by: key, maxFee: 1_000_000)
        #expect(try checkCode(fixture, badSignature) == .invalidSignature)
        let wrongChain = factory.signed(.withdraw(amount: 1), by: key, nonce: 0, maxFee: 1_000_000, chainID: "other")
        #expect(try checkCode(fixture, wrongChain) == .wrongChainID)
        #expect(try checkCode(fixture, [0xFF, 0x00]) == .malformedTransaction)
        let future = factory.signed(.withdraw(amount: 1), by: key, nonce: 5, maxFee: 1_000_000)
        #expect(try checkCode(fixture, future) == .ok)  // future nonces are admitted to the mempool
        let poor = fixture.generator.keys[fixture.generator.keys.count - 1]  // unfunded
        let unpaid = factory.signed(.withdraw(amount: 1), by: poor, nonce: 0, maxFee: 1_000_000)
        #expect(try checkCode(fixture, unpaid) == .insufficientFeeBalance)

        let after = try fixture.storeState()
        #expect(after.version == before.version)
        #expect(after.root == before.root)
        let oversize = try fixture.checkTx([UInt8](repeating: 0, count: RoundLimits.maxTransactionBytes + 1))
        #expect(oversize.error?.field == "check_tx.tx")
    }

    private func checkCode(_ fixture: ConsensusFixture, _ tx: [UInt8]) throws -> ResultCode? {
        let reply = try fixture.checkTx(tx)
        guard case .checkTx(let body)? = reply.response.response else { return nil }
        return ResultCode(rawValue: body.code)
    }

    @Test func restartContinuesWithTheSameRoot() throws {
        let fixture = try ConsensusFixture()
        let reference = try ReferenceChain(genesis: fixture.generator.genesis)
        _ = try fixture.initChain()
        var last: (RoundInput, AiRegistry_V1_RoundResult)?
        for _ in 1...3 {
            let applied = try fixture.applyNext()
            _ = try reference.apply(applied.input)
            last = applied
        }
        let rootBefore = try fixture.info().lastRoot
        try fixture.reopen()
        let info = try fixture.info()
        #expect(info.initialized)
        #expect(info.chainID == "consensus-test")
        #expect(info.lastRound == 3)
        #expect(info.lastRoot == rootBefore)
        // The last round re-delivered after the restart replays; the next one continues the chain.
        let (lastInput, lastResult) = try #require(last)
        #expect(try fixture.apply(lastInput).roundResult?.root == lastResult.root)
        let (input, result) = try fixture.applyNext()
        let (root, _) = try reference.apply(input)
        #expect(result.root == Data(root.bytes))
    }

    @Test func badFramesGetTypedErrors() throws {
        let fixture = try ConsensusFixture()
        let garbage = fixture.service.handle(frame: [0xFF, 0xFF, 0xFF, 0x07])
        #expect(garbage.error?.code == .malformedRequest)
        #expect(garbage.auditKinds == [.malformedRequest])

        let version = try fixture.send(fixture.request(.info(AiRegistry_V1_InfoRequest()), version: 2))
        #expect(version.error?.code == .unsupportedVersion)
        #expect(version.error?.supportedVersions == [1])
        #expect(version.auditKinds == [.unsupportedVersion])

        var empty = AiRegistry_V1_ConsensusRequest()
        empty.protocolVersion = 1
        empty.requestID = 77
        let none = try fixture.send(empty)
        #expect(none.error?.code == .malformedRequest)
        #expect(none.error?.field == "request")
        #expect(none.response.requestID == 77)

        // A query request on the consensus endpoint (token field 3 and get_model are unknown here).
        var query = AiRegistry_V1_QueryRequest()
        query.protocolVersion = 1
        query.token = "t"
        query.getStatistics = AiRegistry_V1_GetStatisticsRequest()
        let queryBytes: [UInt8] = try query.serializedBytes()
        let wrong = fixture.service.handle(frame: queryBytes)
        #expect(wrong.error?.code == .wrongEndpoint)
        #expect(wrong.auditKinds == [.wrongEndpoint])
        var getModel = AiRegistry_V1_QueryRequest()
        getModel.protocolVersion = 1
        getModel.getModel = AiRegistry_V1_GetModelRequest()
        getModel.getModel.id = Data(repeating: 1, count: 32)
        let getModelBytes: [UInt8] = try getModel.serializedBytes()
        #expect(fixture.service.handle(frame: getModelBytes).error?.code == .wrongEndpoint)
        #expect(try fixture.storeState().version == nil)
    }

    @Test func invalidFieldsNameTheField() throws {
        let fixture = try ConsensusFixture()
        _ = try fixture.initChain()
        var request = AiRegistry_V1_ApplyRoundRequest()
        request.round = 1
        var update = AiRegistry_V1_HostUpdate()
        update.deposit = AiRegistry_V1_StakeEntry()
        update.deposit.account = Data([1, 2, 3])
        request.hostUpdates = [update]
        let reply = try fixture.send(fixture.request(.applyRound(request)))
        #expect(reply.error?.code == .invalidArgument)
        #expect(reply.error?.field == "apply_round.host_updates[0].deposit.account")
        #expect(reply.auditKinds == [.malformedRequest])
        #expect(try fixture.info().lastRound == 0)

        var bad = AiRegistry_V1_InitChainRequest()
        bad.chainID = ""
        let fresh = try ConsensusFixture()
        let refused = try fresh.send(fresh.request(.initChain(bad)))
        #expect(refused.error?.field == "init_chain.chain_id")
        #expect(try fresh.storeState().version == nil)
    }

    @Test func retentionPrunesOldRoundsAndTheirRecords() throws {
        let fixture = try ConsensusFixture(transactionsPerRound: 5, options: .init(retentionRounds: 3))
        _ = try fixture.initChain()
        var inputs: [RoundInput] = []
        for _ in 1...8 { inputs.append(try fixture.applyNext().input) }
        let info = try fixture.info()
        #expect(info.lastRound == 8)
        #expect(info.earliestRetainedRound == 6)  // versions > 8 − 3
        let pruned = try fixture.apply(inputs[0])
        #expect(pruned.error?.code == .roundPruned)
        #expect(pruned.error?.expectedRound == 9)
        #expect(try fixture.apply(inputs[6]).roundResult?.replayed == true)
        // Pruning continues as rounds advance.
        try fixture.applyNext()
        #expect(try fixture.info().earliestRetainedRound == 7)
    }

    @Test func parallelPreparationGivesTheSameResults() throws {
        let serial = try ConsensusFixture(options: .init(retentionRounds: 0, parallelPrepareThreshold: .max))
        let parallel = try ConsensusFixture(options: .init(retentionRounds: 0, parallelPrepareThreshold: 1))
        _ = try serial.initChain()
        _ = try parallel.initChain()
        for _ in 1...3 {
            let input = serial.generator.nextRound().input
            _ = parallel.generator.nextRound()
            let a: [UInt8] = try #require(try serial.apply(input).roundResult).serializedBytes()
            let b: [UInt8] = try #require(try parallel.apply(input).roundResult).serializedBytes()
            #expect(a == b)
        }
    }

    /// An infrastructure failure (here MDB_MAP_FULL in a tiny map) halts consensus: INTERNAL, nothing
    /// committed, every later round refused, Info still answers (D5, D8).
    @Test func storageFailureHaltsConsensus() throws {
        let fixture = try ConsensusFixture(transactionsPerRound: 200, mapSize: 2 << 20)
        _ = try fixture.initChain()
        var failure: ConsensusReply?
        for _ in 1...400 {
            let input = fixture.generator.nextRound().input
            let reply = try fixture.apply(input)
            if reply.error != nil { failure = reply; break }
        }
        let halted = try #require(failure)
        #expect(halted.error?.code == .internal)
        #expect(halted.auditKinds == [.internalError])
        #expect(fixture.service.isHalted)
        let info = try fixture.info()
        let state = try fixture.storeState()
        #expect(info.lastRound == state.version)
        #expect(info.lastRoot == Data(state.root?.bytes ?? []))
        let next = try fixture.apply(RoundInput(round: info.lastRound + 1, timestampMillis: 0))
        #expect(next.error?.code == .internal)
        #expect(fixture.service.status.current.haltReason != nil)
    }
}
