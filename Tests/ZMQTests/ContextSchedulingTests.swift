import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import ZMQ

/// `Context(threadScheduling:threadNamePrefix:)` (`ZMQ_THREAD_SCHED_POLICY`, `ZMQ_THREAD_NAME_PREFIX`):
/// the context's I/O thread carries the name prefix and runs under the policy asked for.
@Suite struct ContextSchedulingTests {
    /// The policies (`sched_getscheduler` on the thread id) of this process's threads named `name`.
    static func policies(ofThreadsNamed name: String) -> [Int32] {
        #if os(Linux)
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.compactMap { tid -> Int32? in
            guard let comm = try? String(contentsOfFile: "/proc/self/task/\(tid)/comm", encoding: .utf8),
                  comm.trimmingCharacters(in: .newlines) == name, let id = Int32(tid) else { return nil }
            let policy = sched_getscheduler(id)
            return policy >= 0 ? policy : nil
        }
        #else
        return []
        #endif
    }

    /// Waits (bounded by `arrival`) until a thread named `name` exists; its policies.
    static func awaitThread(named name: String) -> [Int32] {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: arrival)
        while clock.now < deadline {
            let found = policies(ofThreadsNamed: name)
            if !found.isEmpty { return found }
            usleep(1_000)
        }
        return []
    }

    @Test func idleContextRunsItsIOThreadUnderSchedIdle() throws {
        #if os(Linux)
        let prefix = 4_000 + Int(getpid() % 1_000)
        let context = try Context(ioThreads: 1, threadScheduling: .idle, threadNamePrefix: prefix)
        // I/O threads start with the first socket; libzmq applies the policy before naming the thread.
        let socket = try Socket(context, .dealer)
        defer { socket.close() }
        let policies = Self.awaitThread(named: "\(prefix)/ZMQbg/IO/0")
        #expect(policies == [ThreadSchedulingPolicy.linuxIdlePolicy])
        #expect(sched_getscheduler(0) == SCHED_OTHER)  // the creating thread keeps its own policy
        #endif
    }

    @Test func defaultContextInheritsTheNormalPolicy() throws {
        #if os(Linux)
        let prefix = 5_000 + Int(getpid() % 1_000)
        let context = try Context(ioThreads: 1, threadNamePrefix: prefix)
        let socket = try Socket(context, .dealer)
        defer { socket.close() }
        #expect(Self.awaitThread(named: "\(prefix)/ZMQbg/IO/0") == [SCHED_OTHER])
        #endif
    }

    @Test func negativeNamePrefixIsRefused() {
        #expect(throws: ZMQError.self) { try Context(threadNamePrefix: -1) }
    }
}
