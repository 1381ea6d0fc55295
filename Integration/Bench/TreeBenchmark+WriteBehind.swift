import Foundation
import StateStore

extension TreeBenchmark {
    /// `--write-behind` (ADR 0027): two series of `options.rounds` write-behind commits of `batch` mixed
    /// keys each (see `measureWriteBehind(…idleWriter:)`): paced by the interval (the sustained rate,
    /// where a writer slower than the interval makes each commit wait for the previous write), then
    /// with the writer idle at each call (the commit latency itself).
    static func measureWriteBehind(store: StateStore, workload: inout Workload, version: inout UInt64, batch: Int, options: Options) throws {
        try measureWriteBehind(store: store, workload: &workload, version: &version, batch: batch, options: options, idleWriter: false)
        try measureWriteBehind(store: store, workload: &workload, version: &version, batch: batch, options: options, idleWriter: true)
    }

    /// One series: a write-behind commit per tick of `options.intervalMilliseconds` (emulating round
    /// ticks; 0 = back to back). With `idleWriter`, each commit also waits (untimed) until the previous
    /// one is durable, so no write is in flight when the call starts. Prints the root latency (call →
    /// root: barrier + tree computation + hand-off; the targets apply to it), the durable latency
    /// (call → committed by the writer thread), the barrier wait and the writer's time.
    static func measureWriteBehind(
        store: StateStore, workload: inout Workload, version: inout UInt64, batch: Int, options: Options, idleWriter: Bool
    ) throws {
        var rootSamples: [UInt64] = []
        var barrierSamples: [UInt64] = []
        var treeSamples: [UInt64] = []
        var durableSamples: [UInt64] = []
        var writerSamples: [UInt64] = []
        var cpuSamples: [UInt64] = []
        func collect(through committed: UInt64) {
            guard let write = store.lastBackgroundWrite, write.version == committed else { return }
            durableSamples.append(write.durableNanoseconds)
            writerSamples.append(write.writeNanoseconds)
        }
        // One unmeasured commit first (warms the page cache and the free list).
        version += 1
        try store.commitWriteBehind(version: version, writes: workload.mixed(batch))
        try store.awaitCommitted()
        let interval = UInt64(options.intervalMilliseconds) * 1_000_000
        var tick = Clock.now()
        for round in 0..<options.rounds {
            // The writes are made right before the call, as the plugin's executor hands a round's
            // writes over at its end; `--cold-writes` makes them before the wait instead (they are then
            // read from memory after the writer's I/O has evicted them from the caches).
            var writes = options.coldWrites ? workload.mixed(batch) : []
            if idleWriter {
                try store.awaitCommitted()
                if round > 0 { collect(through: version) }
            }
            if interval > 0 {
                tick += interval
                let now = Clock.now()
                if tick > now { usleep(UInt32((tick - now) / 1_000)) } else { tick = now }
            }
            if !options.coldWrites { writes = workload.mixed(batch) }
            version += 1
            let cpuStart = Clock.processCPU()
            let (_, profile) = try store.commitWriteBehindProfiled(version: version, writes: writes)
            cpuSamples.append(Clock.processCPU() - cpuStart)
            rootSamples.append(profile.rootNanoseconds)
            barrierSamples.append(profile.barrierNanoseconds)
            treeSamples.append(profile.treeNanoseconds)
            if round > 0 && !idleWriter { collect(through: version - 1) }
        }
        try store.awaitCommitted()
        collect(through: version)
        let target: UInt64? = batch == 1_000 ? 10_000_000 : batch == 10_000 ? 60_000_000 : nil
        let pacing = options.intervalMilliseconds == 0 ? "back to back" : "one commit every \(options.intervalMilliseconds) ms"
        if idleWriter {
            print("write-behind, \(pacing), each commit called once the previous write is durable (writer idle):")
        } else {
            print("write-behind, \(pacing) (sustained; a writer slower than the interval shows as barrier wait):")
        }
        report("commit \(batch) keys, root latency\(idleWriter ? " (writer idle)" : "")", rootSamples, target: target, unit: .milliseconds)
        report("  barrier wait", barrierSamples, target: nil, unit: .milliseconds)
        report("  tree computation", treeSamples, target: nil, unit: .milliseconds)
        report("  (process CPU time to the root)", cpuSamples, target: nil, unit: .milliseconds)
        report("  durable latency (call → committed)", durableSamples, target: nil, unit: .milliseconds)
        report("  writer thread (txn begin → committed)", writerSamples, target: nil, unit: .milliseconds)
    }
}
