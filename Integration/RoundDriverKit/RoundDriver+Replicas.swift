import Foundation
import RegistryClient
import RegistryCore
import Sodium
import Wire

extension RoundDriver {
    /// Sends every round the replica has neither acknowledged nor in flight, up to `round` (one for an
    /// up-to-date replica; the missed rounds after a restart).
    func send(_ replica: PluginReplica, through round: Round) throws {
        guard let consensus = replica.consensus else { return }
        var next = replica.acknowledged + Round(replica.inFlight.count) + 1
        while next <= round {
            guard let entry = entries[next] else {
                throw DriverError.replica(index: replica.index, "round \(next) is no longer held by the driver (replica too far behind)")
            }
            let id: UInt64
            do { id = try consensus.send(.applyRound(entry.request), operation: "apply_round") } catch {
                throw DriverError.replica(index: replica.index, "send round \(next): \(error)")
            }
            replica.inFlight.append((next, id))
            if next <= replica.highestSent { report.faults.replayedRounds += 1 }
            replica.highestSent = max(replica.highestSent, next)
            next += 1
        }
    }

    /// Receives the replies in flight, in order, and checks each; then sends and collects whatever is
    /// still missing up to `round` (after a recovery).
    func collect(_ replica: PluginReplica, through round: Round) throws {
        while !halted {
            while let first = replica.inFlight.first, !halted {
                guard let consensus = replica.consensus else { return }
                let response: AiRegistry_V1_ConsensusResponse
                do { response = try consensus.receive(requestID: first.requestID, operation: "apply_round", timeout: options.replyTimeout) } catch {
                    let state = replica.isAlive ? "the process is alive" : "the process is gone"
                    fail("replica \(replica.index): no reply to round \(first.round): \(error) (\(state))\n\(replica.stderrTail)")
                    return
                }
                replica.inFlight.removeFirst()
                accept(replica, round: first.round, response)
            }
            if replica.acknowledged >= round || halted { return }
            try send(replica, through: round)
        }
    }

    /// Checks one ApplyRound reply against the reference.
    func accept(_ replica: PluginReplica, round: Round, _ response: AiRegistry_V1_ConsensusResponse) {
        guard let entry = entries[round] else { fail("replica \(replica.index): reply for round \(round), which the driver no longer holds"); return }
        switch response.response {
        case .applyRound(let result):
            let differences = ResultDiff.compare(expected: entry.expected, actual: result)
            if !differences.isEmpty {
                reportDivergence(replica, round: round, result: result, differences: differences)
                return
            }
            replica.acknowledged = round
        case .error(let error):
            fail("replica \(replica.index): round \(round) refused: \(ServerError(error))\n\(replica.stderrTail)")
        default:
            fail("replica \(replica.index): round \(round): unexpected reply kind")
        }
    }

    /// Records a fatal problem: the run stops after this round.
    func fail(_ message: String) {
        report.failures.append(message)
        emit("FAILED: \(message)")
        halted = true
    }

    /// Restarts a killed replica: it must report, through Info, a committed round the driver knows with
    /// the reference's root for it (D8); the missed rounds are then replayed by `send`.
    func recover(_ replica: PluginReplica) throws {
        let before = replica.acknowledged
        try replica.start()
        guard let consensus = replica.consensus else { throw DriverError.replica(index: replica.index, "not connected after restart") }
        let info = try consensus.info()
        guard info.initialized else { throw DriverError.replica(index: replica.index, "after restart Info says the store is not initialized") }
        let last = info.lastRound
        guard last <= plannedThrough, Int(last) < roots.count else {
            fail("replica \(replica.index): after restart Info reports round \(last), beyond anything sent (\(plannedThrough))")
            return
        }
        guard Digest256(bytes: info.lastRoot) == roots[Int(last)] else {
            fail("replica \(replica.index): after restart Info reports round \(last) with root \(KeyDescription.hex([UInt8](info.lastRoot))), the reference root is \(roots[Int(last)].hex)")
            return
        }
        // Write-behind (ADR 0027): the last acknowledged round may not have been durable at a crash;
        // the host re-delivers it (D9). Two or more acknowledged rounds lost is a failure.
        guard last >= before || last + 1 == before else {
            fail("replica \(replica.index): after restart Info reports round \(last), but it had acknowledged round \(before) (committed rounds were lost)")
            return
        }
        replica.acknowledged = last
        report.faults.recoveries += 1
        let lost = last < before ? " (acknowledged round \(before) was not durable at the crash: re-delivered)" : ""
        roundNotes.append("replica \(replica.index) restarted: Info round \(last) root ok, replaying from \(last + 1)\(lost)")
    }

    // MARK: Faults

    /// Faults that act before the round is sent: due restarts, slow starts, out-of-order deliveries.
    func beforeRound(_ round: Round) throws {
        for replica in replicas where replica.phase == .down && restartAt[replica.index] == round {
            restartAt[replica.index] = nil
            try recover(replica)
        }
        for fault in faultPlan.faults(at: round) {
            guard fault.replica < replicas.count else { continue }
            let replica = replicas[fault.replica]
            let upToDate = replica.phase == .running && replica.inFlight.isEmpty && replica.acknowledged == round - 1
            switch fault {
            case .slow(_, let rounds):
                guard upToDate else { report.faults.skipped += 1; continue }
                replica.suspend()
                resumeAt[replica.index] = round + rounds
                report.faults.slow += 1
                roundNotes.append("replica \(replica.index) SIGSTOP for \(rounds) rounds")
            case .outOfOrder:
                guard upToDate, round < source.length, let consensus = replica.consensus else { report.faults.skipped += 1; continue }
                try ensurePlanned(round + 1)
                guard let ahead = entries[round + 1] else { continue }
                report.faults.outOfOrder += 1
                let id = try consensus.send(.applyRound(ahead.request), operation: "apply_round")
                let response = try consensus.receive(requestID: id, operation: "apply_round", timeout: options.replyTimeout)
                if case .error(let error)? = response.response, error.code == .roundGap, error.expectedRound == round {
                    report.faults.outOfOrderOK += 1
                    roundNotes.append("replica \(replica.index) got round \(round + 1) early: ROUND_GAP expecting \(error.expectedRound) ok")
                } else {
                    fail("replica \(replica.index): round \(round + 1) sent before \(round) was not refused with ROUND_GAP expecting \(round): \(response.response.map { "\($0)" } ?? "no response")")
                }
            default:
                continue
            }
        }
    }
}
