import Foundation
import RoundDriverKit

/// The final report as text.
enum ReportText {
    static func render(_ r: DriverReport) -> String {
        var lines = ["", "== round-driver \(r.mode) report =="]
        lines.append("rounds driven: \(r.roundsDriven) (final round \(r.finalRound), root \(r.finalRoot.isEmpty ? "-" : r.finalRoot))")
        lines.append("replicas: \(r.replicas); converged: \(r.converged ? "yes" : "NO")")
        lines.append("transactions: \(r.transactions) (\(r.accepted) accepted, \(r.rejected) rejected; \(r.plannedInvalid) built to fail); expectation mismatches: \(r.expectationMismatches)")
        for sample in r.mismatchSamples.prefix(5) { lines.append("  mismatch: \(sample)") }
        if let g = r.registry {
            let statuses = g.modelsByStatus.keys.sorted().filter { g.modelsByStatus[$0, default: 0] > 0 }
                .map { "\($0) \(g.modelsByStatus[$0, default: 0])" }.joined(separator: ", ")
            lines.append("registry (replica 0's statistics): \(g.registrations) registrations; models \(statuses.isEmpty ? "none" : statuses); \(g.usageCount) usage records (\(tokens(g.usageFees)) in usage fees)")
            lines.append("fees: collected \(tokens(g.feesCollected)), treasury \(tokens(g.treasury)), owners' shares \(tokens(g.ownerShares)), burned \(tokens(g.burned)), deposits held \(tokens(g.depositsHeld)); deposited \(tokens(g.deposited)), withdrawn \(tokens(g.withdrawn))")
        }
        let f = r.faults
        if f.crashes + f.duplicates + f.outOfOrder + f.slow + f.skipped > 0 {
            lines.append("faults: crashes \(f.crashes) (recovered \(f.recoveries)), rounds replayed to catch up \(f.replayedRounds), duplicates \(f.duplicatesOK)/\(f.duplicates) ok, out-of-order \(f.outOfOrderOK)/\(f.outOfOrder) ok, slow \(f.slowOK)/\(f.slow) ok, skipped \(f.skipped)")
        }
        let v = r.verification
        if v.rounds > 0 {
            lines.append("verification: \(v.rounds) rounds, \(v.verified)/\(v.reads) proven reads verified against the driver's roots, \(v.failed) failed")
        }
        if let s = r.scenario {
            lines.append("scenario \(s.name): \(s.passed) checks passed, \(s.failed) failed (reference and every replica)")
            for result in s.results where !result.passed { lines.append("  FAILED round \(result.round) on \(result.on): \(result.check): \(result.detail)") }
        }
        if let l = r.latency {
            lines.append(String(format: "round latency: p50 %.2f ms, p99 %.2f ms, max %.2f ms, mean %.2f ms (%llu rounds)", l.p50Millis, l.p99Millis, l.maxMillis, l.meanMillis, l.samples))
        }
        lines.append(String(format: "throughput: %.0f tx/s over %.2f s (cadence %llu ms, %d overruns); %.0f tx/s while busy", r.transactionsPerSecond, r.elapsedSeconds, r.cadenceMillis, r.cadenceOverruns, r.busyTransactionsPerSecond))
        for p in r.plugins {
            let exit = p.exitStatus.map { "exit \($0)" } ?? "running/killed"
            lines.append(String(format: "plugin %d: cpu %.2f s (%.0f%% of a core), rss %.1f MiB (peak %.1f MiB), %d start(s), ",
                                p.replica, Double(p.cpuMillis) / 1000, p.cpuPercent, Double(p.residentKiB) / 1024, Double(p.peakResidentKiB) / 1024, p.starts) + exit)
        }
        if let d = r.divergence {
            lines.append("DIVERGENCE: replica \(d.replica) at round \(d.round): \(d.resultDifferences.count) result difference(s), \(d.keyDifferences.count) of \(d.keysCompared) keys differ")
        }
        for failure in r.failures { lines.append("FAILURE: \(failure)") }
        return lines.joined(separator: "\n")
    }

    /// Base units as tokens (10^8 base units each), two decimals.
    static func tokens(_ amount: UInt64) -> String {
        let whole = amount / 100_000_000, cents = (amount % 100_000_000) / 1_000_000
        return "\(whole).\(cents < 10 ? "0" : "")\(cents) tokens"
    }
}
