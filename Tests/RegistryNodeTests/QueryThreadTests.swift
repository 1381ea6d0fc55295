#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
@testable import RegistryNode
import ZMQ

/// Query threads apply their scheduling class to themselves (ADR 0015) and leave the caller's alone.
@Suite struct QueryThreadTests {
    /// What a query thread observes about itself: (policy from `sched_getscheduler(0)`, nice value).
    static func observe(_ scheduling: QueryThreadScheduling) throws -> (policy: Int32, nice: Int32) {
        let seen = Mutex<(Int32, Int32)?>(nil)
        let thread = try QueryThread(scheduling: scheduling) {
            #if os(Linux)
            errno = 0
            let nice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
            // `sched_getscheduler(0)` is the calling thread on Linux; cross-check the kernel's view.
            let policy = sched_getscheduler(0)
            seen.withLock { $0 = (policy, nice) }
            #endif
        }
        thread.join()
        let value = try #require(seen.withLock { $0 })
        return (value.0, value.1)
    }

    @Test func idleQueryThreadsRunUnderSchedIdleAndTheCallerKeepsItsPolicy() throws {
        #if os(Linux)
        let callerPolicy = sched_getscheduler(0)
        let observed = try Self.observe(.idle)
        #expect(observed.policy == ThreadSchedulingPolicy.linuxIdlePolicy)
        #expect(sched_getscheduler(0) == callerPolicy)
        #expect(callerPolicy == SCHED_OTHER)
        #endif
    }

    @Test func idleIsVisibleInProcTaskStat() throws {
        #if os(Linux)
        // Field 41 of /proc/self/task/<tid>/stat is the policy, as another process (top, ps) sees it.
        let seen = Mutex<Int32?>(nil)
        let thread = try QueryThread(scheduling: .idle) {
            // /proc/thread-self is /proc/self/task/<tid of the calling thread>.
            guard let file = fopen("/proc/thread-self/stat", "r") else { return }
            defer { fclose(file) }
            var buffer = [CChar](repeating: 0, count: 4096)
            guard fgets(&buffer, Int32(buffer.count), file) != nil else { return }
            let text = String(cString: buffer)
            // The name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
            guard let close = text.lastIndex(of: ")") else { return }
            let fields = text[text.index(after: close)...].split(separator: " ")
            // fields[0] is field 3 (state), so field 41 is fields[38].
            if fields.count > 38, let policy = Int32(fields[38]) { seen.withLock { $0 = policy } }
        }
        thread.join()
        #expect(seen.withLock { $0 } == ThreadSchedulingPolicy.linuxIdlePolicy)
        #endif
    }

    @Test func lowQueryThreadsRunAtTheirNicenessAndTheCallerKeepsItsOwn() throws {
        #if os(Linux)
        errno = 0
        let callerBefore = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        let observed = try Self.observe(.low)
        // Lowering is always allowed: the thread ends at least as nice as asked (or the cap, 19).
        #expect(observed.nice >= min(19, QueryThread.queryNiceness))
        #expect(observed.policy == SCHED_OTHER)
        #expect(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) == callerBefore)
        #endif
    }

    @Test func normalQueryThreadsKeepTheProcessPriority() throws {
        #if os(Linux)
        errno = 0
        let caller = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        let observed = try Self.observe(.normal)
        #expect(observed.policy == SCHED_OTHER)
        #expect(observed.nice == caller)
        #endif
    }

    @Test func threadSchedulingKeyDefaultsToIdleAndIsValidated() throws {
        #expect(QueryServerConfiguration.defaults.threadScheduling == .idle)
        #expect(QueryThreadScheduling.idle.ioThreadPolicy == .idle)
        #expect(QueryThreadScheduling.low.ioThreadPolicy == .inherit)
        let low = try QueryServerConfiguration(json: ["thread_scheduling": "low"], path: "query")
        #expect(low.threadScheduling == .low)
        do {
            _ = try QueryServerConfiguration(json: ["thread_scheduling": "realtime"], path: "query")
            Issue.record("an unknown thread_scheduling was accepted")
        } catch {
            #expect(error.key == "query.thread_scheduling")
        }
    }
}
