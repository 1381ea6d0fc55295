import Foundation
import RegistryClient
import RegistryCore
import Sodium
import Wire

extension RoundDriver {
    /// A planned crash: the victim got the round (phase A); SIGKILL it a seeded number of microseconds
    /// later — before, during or after its commit — then restart it now or after its down rounds.
    func crashIfPlanned(_ round: Round) throws {
        for fault in faultPlan.faults(at: round) {
            guard case .crash(let index, let micros, let down) = fault, index < replicas.count else { continue }
            let replica = replicas[index]
            guard replica.phase == .running else { report.faults.skipped += 1; continue }
            if micros > 0 { usleep(UInt32(micros)) }
            replica.kill()
            report.faults.crashes += 1
            roundNotes.append("replica \(index) SIGKILL \(micros) µs after round \(round) was sent")
            if down == 0 {
                try recover(replica)
            } else {
                restartAt[index] = round + down
                roundNotes.append("replica \(index) down until round \(round + down)")
            }
        }
    }

    /// SIGCONT a slow replica; `collect` then takes its piled-up replies in order.
    func resumeSlow(_ replica: PluginReplica, round: Round) throws {
        resumeAt[replica.index] = nil
        let pending = replica.inFlight.count
        replica.resume()
        try collect(replica, through: round)
        if !halted && replica.acknowledged == round {
            report.faults.slowOK += 1
            roundNotes.append("replica \(replica.index) SIGCONT: \(pending) queued rounds answered, identical")
        }
    }

    /// Faults after the round committed: duplicate delivery of a committed round.
    func afterRound(_ round: Round) throws {
        for fault in faultPlan.faults(at: round) {
            guard case .duplicate(let index, let back) = fault, index < replicas.count else { continue }
            let replica = replicas[index]
            let target = round > back ? round - back : 1
            guard replica.phase == .running, replica.acknowledged == round, let consensus = replica.consensus,
                  let entry = entries[target] else { report.faults.skipped += 1; continue }
            report.faults.duplicates += 1
            let id = try consensus.send(.applyRound(entry.request), operation: "apply_round (duplicate)")
            let response = try consensus.receive(requestID: id, operation: "apply_round", timeout: options.replyTimeout)
            guard case .applyRound(let result)? = response.response else {
                fail("replica \(index): re-delivered round \(target) was not answered with its result: \(response.response.map { "\($0)" } ?? "nothing")")
                continue
            }
            let differences = ResultDiff.compare(expected: entry.expected, actual: result)
            if result.replayed && differences.isEmpty {
                report.faults.duplicatesOK += 1
                roundNotes.append("replica \(index) re-sent round \(target): replayed=true, identical")
            } else {
                fail("replica \(index): re-delivered round \(target): replayed=\(result.replayed); " + (differences.isEmpty ? "identical" : differences.joined(separator: "; ")))
            }
        }
    }

    // MARK: End of run

    /// Brings every replica to the last round (SIGCONT, restart, replay), then checks convergence
    /// through Info: every replica at the same round with the reference root.
    func finish() throws {
        let last = report.roundsDriven
        for replica in replicas {
            if replica.phase == .stopped { try resumeSlow(replica, round: last) }
            if replica.phase == .down { restartAt[replica.index] = nil; try recover(replica) }
            if halted { return }
            try send(replica, through: last)
            try collect(replica, through: last)
            if halted { return }
        }
        evaluateChecks()
        var agreeing = 0
        for replica in replicas {
            guard let consensus = replica.consensus else { continue }
            let info = try consensus.info()
            if info.lastRound == last && Digest256(bytes: info.lastRoot) == roots[Int(last)] {
                agreeing += 1
            } else {
                report.failures.append("replica \(replica.index): Info reports round \(info.lastRound) root \(KeyDescription.hex([UInt8](info.lastRoot))), expected round \(last) root \(roots[Int(last)].hex)")
            }
        }
        report.finalRound = last
        report.finalRoot = roots[Int(last)].hex
        report.converged = agreeing == replicas.count && report.divergence == nil
        if let query = replicas.first?.query, let statistics = try? query.getStatistics() {
            let r = statistics.registry, f = statistics.fees
            report.registry = .init(modelsByStatus: r.modelsByStatus, registrations: r.registrations, usageCount: r.usageCount,
                                    usageFees: r.usageFees, feesCollected: f.collected, treasury: f.treasury, ownerShares: f.ownerShares,
                                    burned: f.burned, depositsHeld: f.depositsHeld, withdrawn: f.withdrawn, deposited: f.deposited)
        }
        if report.converged {
            emit("converged: \(replicas.count) replica(s) at round \(last), root \(roots[Int(last)].hex) (identical roots and results every round)")
        } else {
            emit("NOT converged: \(agreeing) of \(replicas.count) replica(s) at round \(last) with the reference root")
        }
    }

    /// Stops the plugins (SIGTERM: they must exit 0) and removes a temporary work directory.
    func tearDown() {
        for replica in replicas {
            if options.leavePluginsRunning { continue }
            let status = replica.terminate()
            if replica.index < report.plugins.count { report.plugins[replica.index].exitStatus = status }
            if status != 0 && replica.starts > 0 {
                report.failures.append("replica \(replica.index): exit status after SIGTERM \(status.map(String.init) ?? "none (killed)")")
            }
        }
        if let created = createdWorkDirectory, !options.keepData {
            try? FileManager.default.removeItem(atPath: created)
        }
    }
}
