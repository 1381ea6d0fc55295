import Foundation
import RegistryClient
import RegistryCore
import Sodium
import Wire

extension RoundDriver {
    /// Reads random keys (parameters, models, accounts, proposals, any key) at `round` from every
    /// up-to-date replica, with proofs, and verifies each proof (StateTree's ST-32 verification through
    /// `ProofCheck`) against the root the driver holds for that round.
    func verify(round: Round) {
        let keys = randomKeys(count: max(options.verifyKeys, 1))
        let trusted = roots[Int(round)]
        report.verification.rounds += 1
        for replica in replicas where replica.phase == .running && replica.acknowledged >= round {
            guard let query = replica.query else { continue }
            for key in keys {
                report.verification.reads += 1
                do {
                    let value = try provenRead(query, key: key, round: round, trustedRoot: trusted)
                    if reference.round == round, reference.value(key) != value {
                        throw DriverError.replica(index: replica.index, "value differs from the reference")
                    }
                    report.verification.verified += 1
                } catch {
                    report.verification.failed += 1
                    let message = "replica \(replica.index) round \(round) \(KeyDescription.key(key)): \(error)"
                    if report.verification.failures.count < 20 { report.verification.failures.append(message) }
                    emit("VERIFY FAILED \(message)")
                }
            }
        }
    }

    /// The value of `key` at `round` read with the typed query of its table (get_key for others),
    /// after checking the proof against `trustedRoot`; nil when absent. A write-behind plugin (ADR
    /// 0027) answers a round before it is durable and queries see it milliseconds later: a NOT_FOUND
    /// "not committed yet" for an acknowledged round is retried for up to 2 s.
    func provenRead(_ query: QueryClient, key: [UInt8], round: Round, trustedRoot: Digest256) throws -> [UInt8]? {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(2)
        while true {
            do {
                return try provenReadOnce(query, key: key, round: round, trustedRoot: trustedRoot)
            } catch let error as RegistryClientError {
                guard let server = error.serverError, server.code == .notFound, server.message.contains("not committed yet"),
                      clock.now < deadline else { throw error }
                Thread.sleep(forTimeInterval: 0.002)
            }
        }
    }

    private func provenReadOnce(_ query: QueryClient, key: [UInt8], round: Round, trustedRoot: Digest256) throws -> [UInt8]? {
        let table = key.first.flatMap { StateKey.Table(rawValue: $0) }
        let value: [UInt8]?
        let proof: AiRegistry_V1_Proof
        let answeredRound: UInt64
        switch table {
        case .model? where key.count == 33:
            guard let digest = Digest256(bytes: Array(key[1...])) else { throw DriverError.planning("bad model key") }
            let reply = try query.getModel(id: ModelID(digest), round: round, prove: true)
            (value, proof, answeredRound) = (reply.value.isEmpty ? nil : [UInt8](reply.value), reply.proof, reply.round)
        case .account? where key.count == 33:
            guard let digest = Digest256(bytes: Array(key[1...])) else { throw DriverError.planning("bad account key") }
            let reply = try query.getAccount(AccountID(digest), round: round, prove: true)
            (value, proof, answeredRound) = (reply.value.isEmpty ? nil : [UInt8](reply.value), reply.proof, reply.round)
        case .proposal? where key.count == 9:
            let id = key[1...].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let reply = try query.getProposal(id: id, round: round, prove: true)
            (value, proof, answeredRound) = (reply.value.isEmpty ? nil : [UInt8](reply.value), reply.proof, reply.round)
        case .parameters? where key.count == 1:
            let reply = try query.getParameters(round: round, prove: true)
            (value, proof, answeredRound) = (reply.value.isEmpty ? nil : [UInt8](reply.value), reply.proof, reply.round)
        default:
            let reply = try query.getKey(key, round: round, prove: true)
            (value, proof, answeredRound) = (reply.found ? [UInt8](reply.value) : nil, reply.proof, reply.round)
        }
        guard answeredRound == round else { throw DriverError.planning("answered for round \(answeredRound), asked \(round)") }
        try ProofCheck.verify(proof, value: value, key: key, trustedRoot: trustedRoot)
        return value
    }

    /// Keys to verify: the parameters, then models, accounts, proposals and any key, picked at seeded
    /// random positions of the reference state.
    func randomKeys(count: Int) -> [[UInt8]] {
        var keys: [[UInt8]] = [StateKey.parameters]
        let tables: [StateKey.Table] = [.model, .account, .proposal, .model, .account]
        var attempt = 0
        while keys.count < count && attempt < count * 4 {
            attempt += 1
            let prefix: [UInt8] = attempt % 6 == 5 ? [UInt8(truncatingIfNeeded: rng.below(0x52))] : [tables[attempt % tables.count].rawValue]
            let upper = StateKey.prefixEnd(prefix)
            var start = prefix + rng.bytes(8)
            if prefix == [StateKey.Table.proposal.rawValue],
               let last = try? reference.state.scan(from: prefix, to: upper, reverse: true, limit: 1).first, last.key.count == 9 {
                // Proposal ids are small and dense: draw one between 1 and the highest.
                let highest = last.key[1...].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                let id = 1 + rng.below(max(highest, 1))
                start = prefix + (0..<8).map { UInt8(truncatingIfNeeded: id >> (56 - 8 * UInt64($0))) }
            }
            let found = (try? reference.state.scan(from: start, to: upper, reverse: false, limit: 1).first)
                ?? (try? reference.state.scan(prefix: prefix, limit: 1).first)
            if let key = found?.key, !keys.contains(key) { keys.append(key) }
        }
        return keys
    }

    /// Scenario checks on the replicas that reached their round: the key read with a proof against the
    /// driver's root for that round, then the check's predicate.
    func evaluateChecks() {
        guard !pendingChecks.isEmpty else { return }
        for index in pendingChecks.indices {
            let check = pendingChecks[index].check
            guard let key = check.key else { continue }
            for replica in replicas where !pendingChecks[index].done[replica.index] && replica.phase == .running
                && replica.acknowledged >= check.round {
                guard let query = replica.query else { continue }
                let failure: String?
                do {
                    failure = check.evaluate(try provenRead(query, key: key, round: check.round, trustedRoot: roots[Int(check.round)]))
                } catch {
                    failure = "read failed: \(error)"
                }
                record(check.round, check.expectation.description, on: "replica \(replica.index)", failure: failure)
                pendingChecks[index].done[replica.index] = true
            }
        }
        pendingChecks.removeAll { $0.done.allSatisfy { $0 } }
    }

    // MARK: Divergence

    /// A replica answered round `round` differently from the reference: report the field differences,
    /// then a per-key diff — the plugin's value, read with a proof against the plugin's own root, of
    /// every key the reference wrote in the round (at most 2,000) — and stop.
    func reportDivergence(_ replica: PluginReplica, round: Round, result: AiRegistry_V1_RoundResult, differences: [String]) {
        halted = true
        var keyLines: [String] = []
        var compared = 0
        var note = "values of the keys the reference wrote, read from the plugin at round \(round) with proofs against the plugin's root; keys only the plugin wrote are not visible (compare write_count)"
        if let entry = entries[round], let query = replica.query, let pluginRoot = Digest256(bytes: result.root) {
            let writes = Array(entry.outcome.writes.prefix(2_000))
            var observed: [WriteSetDiff.Side] = []
            for write in writes {
                do {
                    let reply = try query.getKey(write.key, round: round, prove: true)
                    let value = reply.found ? [UInt8](reply.value) : nil
                    try ProofCheck.verify(reply.proof, value: value, key: write.key, trustedRoot: pluginRoot)
                    observed.append(value.map(WriteSetDiff.Side.value) ?? .absent)
                } catch {
                    observed.append(.unreadable("\(error)"))
                }
            }
            compared = writes.count
            keyLines = WriteSetDiff.compare(reference: writes, observed: observed).map(\.description)
            if entry.outcome.writes.count > writes.count { note += "; only the first 2,000 of \(entry.outcome.writes.count) keys compared" }
        } else {
            note = "no per-key diff: the round's writes or the replica's query endpoint are not available"
        }
        report.divergence = .init(replica: replica.index, round: round, resultDifferences: differences, keyDifferences: keyLines,
                                  keysCompared: compared, note: note)
        emit("DIVERGENCE: replica \(replica.index) differs from the reference at round \(round) (first divergent round)")
        for line in differences { emit("  \(line)") }
        emit("  per-key diff (\(note)): \(keyLines.count) of \(compared) keys differ")
        for line in keyLines.prefix(50) { emit("  " + line.replacingOccurrences(of: "\n", with: "\n  ")) }
    }

    // MARK: Summary

    /// `round   12  root 3fa2b1c0d4e5  txs  48 ok   7 rejected  | notable events | notes`.
    func printSummary(_ round: Round) {
        guard let entry = entries[round] else { return }
        let eventful = !roundNotes.isEmpty || !entry.plan.note.isEmpty
        guard (options.printEvery > 0 && round % options.printEvery == 0) || eventful else { return }
        let results = entry.outcome.results
        let ok = results.reduce(0) { $0 + ($1.code == .ok ? 1 : 0) }
        var line = "round \(pad(round, 5))  root \(short(roots[Int(round)]))  txs \(pad(UInt64(ok), 4)) ok \(pad(UInt64(results.count - ok), 4)) rejected"
        let notable = RoundSummary.notableEvents(entry.outcome.events)
        if !notable.isEmpty { line += "  | " + notable }
        if !entry.plan.note.isEmpty { line += "  | " + entry.plan.note }
        emit(line)
        for note in roundNotes { emit("        fault: \(note)") }
    }

    func pad(_ value: UInt64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
