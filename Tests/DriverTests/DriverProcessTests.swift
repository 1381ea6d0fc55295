import Foundation
import Testing
import TestSupport

/// The real thing, in CI: `round-driver` (debug build, next to the test bundle) drives `ai-registry run`
/// child processes over ZeroMQ. Each test is bounded (a few hundred rounds of small workloads); the
/// driver exits 0 only when every replica converged to the reference root with identical results.
@Suite(.serialized) struct DriverProcessTests {
    static var scenarios: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Integration/scenarios").path
    }

    /// Runs round-driver with `arguments`; returns its exit status and output lines.
    static func drive(_ arguments: [String], timeout: Double = 170) throws -> (status: Int32, lines: [String]) {
        let driver = try HelperProcess("round-driver", arguments)
        let status = driver.waitForExit(timeout: timeout)
        return (status, driver.outputLines)
    }

    /// Three replicas; one SIGKILL mid-round and restart (recovery through Info, missed rounds replayed),
    /// one duplicate delivery (replayed=true, identical), one out-of-order delivery (ROUND_GAP), one
    /// SIGSTOP/SIGCONT; proofs verified every 5 rounds; all converge.
    @Test func threeReplicasSurviveACrashDuplicatesReorderingAndAStall() throws {
        let (status, lines) = try Self.drive([
            "run", "--replicas", "3", "--rounds", "30", "--txs-per-round", "25", "--cadence-ms", "0", "--seed", "11",
            "--crashes", "1", "--duplicates", "1", "--out-of-order", "1", "--slow", "1", "--slow-rounds", "2",
            "--verify-every", "5", "--print-every", "10", "--sync-mode", "noSync", "--report", "json",
        ])
        let output = lines.joined(separator: "\n")
        #expect(status == 0, "round-driver exited \(status):\n\(output.suffix(4000))")
        #expect(lines.contains { $0.hasPrefix("converged: 3 replica(s) at round 30") }, "\(output.suffix(4000))")
        // The JSON report: every injected fault passed, every proven read verified.
        let json = lines.drop { !$0.hasPrefix("{") }.joined(separator: "\n")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], "\(output.suffix(2000))")
        let faults = try #require(report["faults"] as? [String: Any])
        #expect(faults["crashes"] as? Int == 1)
        #expect(faults["recoveries"] as? Int == 1)
        #expect(faults["duplicatesOK"] as? Int == 1)
        #expect(faults["outOfOrderOK"] as? Int == 1)
        #expect(faults["slowOK"] as? Int == 1)
        let verification = try #require(report["verification"] as? [String: Any])
        #expect((verification["verified"] as? Int ?? 0) > 0)
        #expect(verification["failed"] as? Int == 0)
        #expect(report["converged"] as? Bool == true)
    }

    /// A scenario through two real plugins: every transaction code and fee and every state check (read
    /// with proofs from each plugin) as the file says.
    @Test func feeScheduleScenarioPassesOnTwoPlugins() throws {
        let (status, lines) = try Self.drive([
            "scenario", Self.scenarios + "/fee-schedule-change.json", "--replicas", "2", "--cadence-ms", "0",
            "--sync-mode", "noSync", "--print-every", "0",
        ])
        let output = lines.joined(separator: "\n")
        #expect(status == 0, "round-driver exited \(status):\n\(output.suffix(4000))")
        #expect(lines.contains { $0.hasPrefix("converged: 2 replica(s)") }, "\(output.suffix(4000))")
        #expect(lines.contains { $0.contains("checks passed, 0 failed") }, "\(output.suffix(4000))")
    }

    /// The divergence report against a real plugin: the reference alone gets one extra deposit in round
    /// 3, so the plugin is reported divergent at round 3 (first divergent round), with the deposit's
    /// account and the fee totals — and only those — in the per-key diff; exit status 1.
    @Test func divergenceIsReportedWithTheFirstRoundAndAPerKeyDiff() throws {
        let (status, lines) = try Self.drive([
            "run", "--replicas", "1", "--rounds", "8", "--txs-per-round", "10", "--cadence-ms", "0", "--inject-divergence", "3",
            "--sync-mode", "noSync",
        ])
        let output = lines.joined(separator: "\n")
        #expect(status == 1, "\(output.suffix(3000))")
        #expect(lines.contains("DIVERGENCE: replica 0 differs from the reference at round 3 (first divergent round)"), "\(output.suffix(3000))")
        #expect(lines.contains { $0.contains("per-key diff") && $0.contains(": 2 of ") && $0.hasSuffix("keys differ") })
        #expect(lines.contains { $0.hasPrefix("  account ") })
        #expect(lines.contains("  feeTotals"))
        #expect(!lines.contains { $0.hasPrefix("converged:") })
    }
}
