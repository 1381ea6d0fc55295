import Foundation
import RegistryClient
import RegistryCore
import RegistryWorkload
import Testing
import Wire

extension PluginProcessTests {
    /// D8 through the process: SIGKILL at seeded random points while an ApplyRound executes or
    /// commits, restart, `Info` reports the round just sent, the round before, or (write-behind, ADR
    /// 0027) the one before that when the acknowledged round's write was still in flight — never a
    /// torn state — with the reference root; a round the crash undid is re-delivered; the round applied again (idempotent if it was committed)
    /// and the rest of the workload end with roots identical to the uninterrupted run.
    @Test func sigkillDuringApplyRoundLosesNothingCommitted() throws {
        let reference = try ReferenceRun.make(seed: Self.seed, rounds: Self.rounds, transactions: Self.transactions)
        let harness = try PluginHarness()
        _ = try harness.consensus.initChain(genesis: reference.genesis)

        // The first round uninterrupted: its duration scales the kill delays to this machine and build.
        let clock = ContinuousClock()
        let started = clock.now
        let first = try harness.consensus.applyRound(reference.rounds[0].input)
        let roundMicros = max(2_000, (clock.now - started).microseconds)
        #expect(first.root == Data(reference.root(after: 1).bytes))

        var rng = SplitMix64(seed: 0xC0FF_EE_DEAD)
        var next = 2
        var kills = 0
        var committedBeforeKill = 0
        var lostAcknowledged = 0
        while kills < 6 {
            let input = reference.rounds[next - 1].input
            try harness.consensus.send(.applyRound(CoreRequests.applyRound(input)), operation: "apply_round")
            // 0 to 2× the measured round time: before, during and after execution and commit.
            usleep(UInt32(rng.below(UInt64(2 * roundMicros))))
            harness.plugin.kill()
            kills += 1
            try harness.restart()

            let info = try harness.consensus.info()
            // Write-behind (ADR 0027, the default): the round acknowledged before this one may still
            // have been in flight, so Info may be one acknowledged round behind, never more.
            #expect(info.lastRound + 2 >= input.round && info.lastRound <= input.round,
                    "kill \(kills): Info reports round \(info.lastRound), round \(input.round) was sent")
            #expect(info.lastRoot == Data(reference.root(after: info.lastRound).bytes), "kill \(kills): root of round \(info.lastRound)")
            if info.lastRound + 2 == input.round {
                // The host re-delivers the acknowledged round the crash undid (D9): executed again, same root.
                let again = try harness.consensus.applyRound(reference.rounds[Int(input.round) - 2].input)
                #expect(!again.replayed)
                #expect(again.root == Data(reference.root(after: input.round - 1).bytes))
                lostAcknowledged += 1
            }
            let committed = info.lastRound == input.round
            if committed { committedBeforeKill += 1 }

            // Applying the round again: replayed when it was committed, executed otherwise; same root.
            let result = try harness.consensus.applyRound(input)
            #expect(result.replayed == committed)
            #expect(result.codes == reference.outcomes[next - 1].codes)
            #expect(result.root == Data(reference.root(after: input.round).bytes))
            next += 1
            // One undisturbed round between kills.
            let between = try harness.consensus.applyRound(reference.rounds[next - 1].input)
            #expect(between.root == Data(reference.root(after: UInt64(next)).bytes))
            next += 1
        }
        #expect(kills >= 5)
        for index in (next - 1)..<reference.rounds.count {
            let result = try harness.consensus.applyRound(reference.rounds[index].input)
            #expect(result.root == Data(reference.root(after: reference.rounds[index].input.round).bytes))
        }
        let info = try harness.consensus.info()
        #expect(info.lastRound == UInt64(reference.rounds.count))
        #expect(info.lastRoot == Data(reference.root(after: UInt64(reference.rounds.count)).bytes))
        // Record how many kills landed after the commit (informative; both outcomes are correct).
        print("crash test: \(kills) kills, \(committedBeforeKill) after the commit, \(lostAcknowledged) undid the acknowledged round before, round time \(roundMicros) µs")
    }

    /// SIGTERM while a round is in flight: the process finishes the round in progress, exits 0, and a
    /// restart reopens the store at the last committed round, from which the workload continues with
    /// the reference roots.
    @Test func sigtermMidWorkloadExitsCleanly() throws {
        let reference = try ReferenceRun.make(seed: Self.seed, rounds: Self.rounds, transactions: Self.transactions)
        let harness = try PluginHarness()
        _ = try harness.consensus.initChain(genesis: reference.genesis)
        for index in 0..<3 { _ = try harness.consensus.applyRound(reference.rounds[index].input) }

        let input = reference.rounds[3].input
        let id = try harness.consensus.send(.applyRound(CoreRequests.applyRound(input)), operation: "apply_round")
        usleep(3_000)
        harness.plugin.signal(SIGTERM)
        let exit = harness.plugin.waitForExit(timeout: 30)
        #expect(exit?.status == 0, "exit \(String(describing: exit)); logs:\n\(harness.logTail)")
        #expect(exit?.reason == .exit)
        // A reply that made it out before the exit says whether the round committed.
        let reply = try? harness.consensus.receive(requestID: id, operation: "apply_round", timeout: .milliseconds(200))

        try harness.restart()
        let info = try harness.consensus.info()
        #expect(info.lastRound == 3 || info.lastRound == 4)
        #expect(info.lastRoot == Data(reference.root(after: info.lastRound).bytes))
        if case .applyRound(let result)? = reply?.response {
            #expect(info.lastRound == 4, "the round was answered, so it must be committed")
            #expect(result.root == info.lastRoot)
        }
        for index in Int(info.lastRound)..<8 {
            let result = try harness.consensus.applyRound(reference.rounds[index].input)
            #expect(result.root == Data(reference.root(after: reference.rounds[index].input.round).bytes))
        }
    }
}

extension Duration {
    /// Whole microseconds.
    var microseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1_000_000 + Int(attoseconds / 1_000_000_000_000)
    }
}
