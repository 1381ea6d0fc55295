import Testing
@testable import RoundDriverKit

/// Fault placement is seeded, complete and non-overlapping; /proc parsing.
@Suite struct FaultPlanTests {
    @Test func placesEveryFaultWithoutOverlap() throws {
        let options = FaultOptions(crashes: 2, duplicates: 2, outOfOrder: 2, slow: 1, slowRounds: 3)
        for seed: UInt64 in 1...20 {
            let plan = try FaultPlan(options: options, replicas: 3, firstRound: 3, lastRound: 40, seed: seed)
            #expect(plan.faults.count == 7)
            var busyUntil: UInt64 = 0
            for (round, fault) in plan.faults {
                #expect(round >= 3 && round + fault.span - 1 <= 40, "\(round) \(fault)")
                #expect(round >= busyUntil, "faults overlap at \(round)")
                #expect(fault.replica < 3)
                busyUntil = round + fault.span
            }
            #expect(try FaultPlan(options: options, replicas: 3, firstRound: 3, lastRound: 40, seed: seed) == plan)
        }
    }

    @Test func refusesTooFewRounds() {
        #expect(throws: DriverError.self) {
            try FaultPlan(options: FaultOptions(crashes: 5, slow: 5, slowRounds: 5), replicas: 2, firstRound: 3, lastRound: 10, seed: 1)
        }
    }

    @Test func parsesProcFiles() {
        let stat = "4242 (ai registry) S 1 4242 4242 0 -1 4194560 500 0 0 0 123 45 0 0 20 0 9 0 100 1000000 2500"
        #expect(ProcessStatistics.cpuTicks(statLine: stat) == 168)
        #expect(ProcessStatistics.cpuTicks(statLine: "garbage") == nil)
        let status = "Name:\tai-registry\nVmHWM:\t   51200 kB\nVmRSS:\t   40960 kB\n"
        #expect(ProcessStatistics.statusField("VmRSS", in: status) == 40960)
        #expect(ProcessStatistics.statusField("VmHWM", in: status) == 51200)
        #expect(ProcessStatistics.statusField("VmSwap", in: status) == nil)
    }
}
