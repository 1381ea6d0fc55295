import Foundation
import RegistryCore
import Sodium
import StateStore
import Testing
import Wire
@testable import RegistryNode

/// ADR 0027 in the consensus service: write-behind rounds answer exactly what synchronous rounds
/// answer, every request sees everything answered before it, a failed write halts consensus, and
/// `storage.commit_mode` is validated like every key.
@Suite("RegistryNode · write-behind consensus")
struct WriteBehindConsensusTests {
    static func options(writeBehind: Bool) -> ConsensusService.Options {
        ConsensusService.Options(retentionRounds: 6, pruneBatchEntries: 100, writeBehind: writeBehind, writeBehindMinimumWrites: 0)
    }

    @Test("write-behind and synchronous services answer the same seeded rounds identically; Info, pruning and the store follow")
    func sameAsSynchronous() throws {
        let synchronous = try ConsensusFixture(options: Self.options(writeBehind: false))
        let behind = try ConsensusFixture(options: Self.options(writeBehind: true))
        #expect(try synchronous.initChain().response == (try behind.initChain().response))
        for _ in 1...20 {
            let input = synchronous.generator.nextRound().input
            _ = behind.generator.nextRound()
            let expected = try #require(try synchronous.apply(input).roundResult)
            let reply = try behind.apply(input)
            let result = try #require(reply.roundResult)
            #expect(result == expected, "round \(input.round)")
            #expect(reply.actions == [.publishRound(result)])
            // Info (after the barrier) reports the answered round, and the store holds it.
            let info = try behind.info()
            #expect(info.lastRound == input.round && info.lastRoot == result.root)
            #expect(try behind.storeState().version == input.round)
            #expect(behind.service.status.current.lastRound == input.round)
            // A re-delivery of the answered round is replayed from the (now durable) record.
            if input.round % 5 == 0 {
                let again = try #require(try behind.apply(input).roundResult)
                #expect(again.replayed && again.root == result.root)
            }
        }
        _ = try behind.info()
        let reference = try synchronous.store.withSnapshot { (snapshot) throws in
            (try snapshot.retainedVersions(), try snapshot.scan())
        }
        let written = try behind.store.withSnapshot { (snapshot) throws in
            (try snapshot.retainedVersions(), try snapshot.scan())
        }
        #expect(written.0 == reference.0 && written.0.count < 21)  // the retention window pruned both alike
        #expect(written.1 == reference.1)
        #expect(behind.service.status.current.roundsApplied == synchronous.service.status.current.roundsApplied)
    }

    @Test("a write-behind service restarted after StateStore.close (the node's shutdown) is at the last answered round")
    func reopenAfterAnsweredRound() throws {
        let fixture = try ConsensusFixture(options: Self.options(writeBehind: true))
        _ = try fixture.initChain()
        var last: AiRegistry_V1_RoundResult?
        for _ in 1...4 { last = try fixture.applyNext().result }
        let answered = try #require(last)
        try fixture.store.close()  // drains the write in flight, as RegistryNode.stop does
        try fixture.reopen()
        let info = try fixture.info()
        #expect(info.lastRound == answered.round)
        #expect(info.lastRoot == answered.root)
        #expect(try fixture.applyNext().result.round == answered.round + 1)
    }

    @Test("a failed write-behind write (MDB_MAP_FULL) halts consensus: the next request records it, Info reports the last durable round")
    func writerFailureHalts() throws {
        let fixture = try ConsensusFixture(
            transactionsPerRound: 200, mapSize: 2 << 20,
            options: ConsensusService.Options(retentionRounds: 0, writeBehind: true, writeBehindMinimumWrites: 0))
        _ = try fixture.initChain()
        var answered: UInt64 = 0
        var failure: ConsensusReply?
        for _ in 1...400 {
            let input = fixture.generator.nextRound().input
            let reply = try fixture.apply(input)
            if reply.error != nil { failure = reply; break }
            answered = input.round
        }
        let halted = try #require(failure)
        #expect(halted.error?.code == .internal)
        #expect(halted.auditKinds.contains(.internalError))
        #expect(halted.error?.message.contains("write round \(answered)") == true)
        #expect(fixture.service.isHalted)
        // The round answered last never became durable: Info reports the one before, as the store does.
        let info = try fixture.info()
        let state = try fixture.storeState()
        #expect(info.lastRound == answered - 1)
        #expect(info.lastRound == state.version)
        #expect(info.lastRoot == Data(state.root?.bytes ?? []))
        let next = try fixture.apply(RoundInput(round: info.lastRound + 1, timestampMillis: 0))
        #expect(next.error?.code == .internal)
        #expect(fixture.service.status.current.haltReason?.contains("MDB_MAP_FULL") == true)
    }

    @Test("rounds with fewer writes than writeBehindMinimumWrites commit before the reply; larger ones write behind")
    func smallRoundsCommitSynchronously() throws {
        let fixture = try ConsensusFixture(
            options: ConsensusService.Options(retentionRounds: 0, writeBehind: true, writeBehindMinimumWrites: 10))
        _ = try fixture.initChain()
        // A generated round writes more than 10 keys: handed to the writer (durable at the latest when
        // the next request begins).
        let (input, result) = try fixture.applyNext()
        #expect(result.writeCount >= 10)
        #expect(fixture.service.roundInFlight?.round == input.round)
        #expect(try fixture.info().lastRound == input.round)
        #expect(fixture.service.roundInFlight == nil)
        #expect(try fixture.storeState().version == input.round)
        // An empty round writes fewer than 10 keys: durable when answered, nothing in flight.
        let empty = RoundInput(round: input.round + 1, timestampMillis: input.timestampMillis + 1_000)
        let emptyResult = try #require(try fixture.apply(empty).roundResult)
        #expect(emptyResult.writeCount < 10)
        #expect(fixture.service.roundInFlight == nil)
        #expect(fixture.store.versionInFlight == nil)
        #expect(try fixture.storeState().version == empty.round)
        #expect(fixture.service.status.current.lastRound == empty.round)
    }

    @Test("storage.write_behind_min_writes: 0 by default in the config and the service options (every round writes behind); out of range names the key")
    func writeBehindMinimumWritesConfiguration() throws {
        #expect(NodeConfiguration.defaults.storage.writeBehindMinimumWrites == 0)
        #expect(ConsensusService.Options().writeBehindMinimumWrites == 0)
        let parsed = try NodeConfiguration(json: Data(#"{"storage": {"write_behind_min_writes": 64}}"#.utf8))
        #expect(parsed.storage.writeBehindMinimumWrites == 64)
        for bad in ["-1", "1000001", #""64""#, "1.5"] {
            do {
                _ = try NodeConfiguration(json: Data(#"{"storage": {"write_behind_min_writes": \#(bad)}}"#.utf8))
                Issue.record("write_behind_min_writes \(bad) accepted")
            } catch {
                #expect(error.key == "storage.write_behind_min_writes")
            }
        }
    }

    @Test("with the default minimum (0) an empty round also writes behind: answered before its write is durable")
    func emptyRoundsWriteBehindByDefault() throws {
        let fixture = try ConsensusFixture(options: ConsensusService.Options(retentionRounds: 0, writeBehind: true))
        _ = try fixture.initChain()
        let (input, _) = try fixture.applyNext()
        let empty = RoundInput(round: input.round + 1, timestampMillis: input.timestampMillis + 1_000)
        let emptyResult = try #require(try fixture.apply(empty).roundResult)
        #expect(emptyResult.round == empty.round)
        #expect(fixture.service.roundInFlight?.round == empty.round)
        // The next request's barrier makes it durable; Info then reports it.
        #expect(try fixture.info().lastRound == empty.round)
        #expect(fixture.service.roundInFlight == nil)
        #expect(try fixture.storeState().version == empty.round)
    }

    @Test("storage.commit_mode: write_behind by default, synchronous accepted, anything else names the key")
    func commitModeConfiguration() throws {
        #expect(NodeConfiguration.defaults.storage.commitMode == .writeBehind)
        let parsed = try NodeConfiguration(json: Data(#"{"storage": {"commit_mode": "synchronous"}}"#.utf8))
        #expect(parsed.storage.commitMode == .synchronous)
        let explicit = try NodeConfiguration(json: Data(#"{"storage": {"commit_mode": "write_behind"}}"#.utf8))
        #expect(explicit.storage.commitMode == .writeBehind)
        for bad in [#""sometimes""#, "1", "true"] {
            do {
                _ = try NodeConfiguration(json: Data(#"{"storage": {"commit_mode": \#(bad)}}"#.utf8))
                Issue.record("commit_mode \(bad) accepted")
            } catch {
                #expect(error.key == "storage.commit_mode")
            }
        }
    }
}
