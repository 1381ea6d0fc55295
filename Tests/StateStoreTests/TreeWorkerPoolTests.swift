@testable import StateStore
import RegistryWorkload
import Synchronization
import Testing

/// The tree computation's persistent helper threads (ADR 0028, 2026-11-26 update): every submitted job
/// runs exactly once and its writes are visible after `wait`; the helpers start on first use, are
/// reused across batches and are joined by `shutdown`, after which jobs run on the caller.
@Suite("StateStore · tree worker pool")
struct TreeWorkerPoolTests {
    final class Slots: Sendable {
        let values: Mutex<[Int]>
        init(_ count: Int) { values = Mutex([Int](repeating: 0, count: count)) }
        func add(_ index: Int, _ amount: Int) { values.withLock { $0[index] += amount } }
        var snapshot: [Int] { values.withLock { $0 } }
    }

    @Test("every job of every batch runs exactly once; helpers start lazily and are reused", arguments: [0, 1, 3])
    func jobsRunOnce(helpers: Int) {
        let pool = TreeWorkerPool(helpers: helpers)
        #expect(pool.runningHelpers == 0)
        for round in 1...50 {
            let slots = Slots(7)
            let jobs: [@Sendable () -> Void] = (0..<6).map { index in { slots.add(index, round) } }
            let batch = pool.submit(jobs)
            slots.add(6, round)  // the caller's own share
            pool.wait(batch)
            #expect(slots.snapshot == [Int](repeating: round, count: 7))
            #expect(pool.runningHelpers == helpers)
        }
        pool.shutdown()
        #expect(pool.runningHelpers == 0)
    }

    @Test("after shutdown jobs run on the caller in wait; shutdown is idempotent")
    func afterShutdown() {
        let pool = TreeWorkerPool(helpers: 2)
        let warm = Slots(1)
        pool.wait(pool.submit([{ warm.add(0, 1) }]))
        #expect(warm.snapshot == [1])
        pool.shutdown()
        pool.shutdown()
        let slots = Slots(3)
        let batch = pool.submit((0..<3).map { index in { slots.add(index, 1) } })
        #expect(slots.snapshot == [0, 0, 0])  // no helper left: nothing runs before wait
        pool.wait(batch)
        #expect(slots.snapshot == [1, 1, 1])
        #expect(pool.runningHelpers == 0)
    }

    @Test("a store computes parallel commits through one pool (helpers started once, kept, joined by close); results match one thread")
    func storeUsesPool() throws {
        let plainFixture = StoreFixture(), fastFixture = StoreFixture()
        let plain = try plainFixture.open(TreeComputeTests.plain)
        let fast = try fastFixture.open(TreeComputeTests.fast)
        #expect(fast.treeWorkers.helperCount == 2)
        #expect(fast.treeWorkers.runningHelpers == 0)
        var rng = SplitMix64(seed: 7)
        for version: UInt64 in 1...6 {
            let batch = TreeComputeTests.randomWrites(&rng, universe: 800, count: 200, deletePercent: 10)
            let expected = try plain.commit(version: version, writes: batch)
            #expect(try fast.commit(version: version, writes: batch) == expected)
            #expect(fast.treeWorkers.runningHelpers == 2)
        }
        try fast.close()
        #expect(fast.treeWorkers.runningHelpers == 0)
        // Synchronous commits still work after close, their parts run on the committing thread.
        let batch = TreeComputeTests.randomWrites(&rng, universe: 800, count: 200, deletePercent: 10)
        #expect(try fast.commit(version: 7, writes: batch) == (try plain.commit(version: 7, writes: batch)))
    }
}
