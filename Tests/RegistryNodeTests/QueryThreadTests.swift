#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
@testable import RegistryNode

/// Query threads lower their own scheduling priority (ADR 0015) and leave the caller's alone.
@Suite struct QueryThreadTests {
    @Test func queryThreadsRunAtTheirNicenessAndTheCallerKeepsItsOwn() throws {
        #if os(Linux)
        errno = 0
        let callerBefore = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        let seen = Mutex<Int32?>(nil)
        let thread = try QueryThread(niceness: QueryThread.queryNiceness) {
            errno = 0
            let value = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
            seen.withLock { $0 = value }
        }
        thread.join()
        let inThread = try #require(seen.withLock { $0 })
        // Lowering is always allowed: the thread ends at least as nice as asked (or the cap, 19).
        #expect(inThread >= min(19, QueryThread.queryNiceness))
        #expect(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) == callerBefore)
        #endif
    }
}
