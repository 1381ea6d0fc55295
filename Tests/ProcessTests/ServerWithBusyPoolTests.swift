import Foundation
import Logging
import RegistryNode
import Synchronization
import TestSupport
import Testing

/// The in-process HTTP servers run their tasks off the Swift concurrency pool (`ServerTaskExecutor`):
/// with every pool thread blocked — as long synchronous tests or blocking callers do — a server still
/// binds and answers. Before, `start()` timed out after 10 s ("not bound on 127.0.0.1:0").
@Suite(.serialized)
struct ServerWithBusyPoolTests {
    final class StartCount: Sendable {
        let value = Atomic<Int>(0)
    }

    @Test("the metrics server binds and answers while every pool thread is blocked")
    func servesWithThePoolBlocked() async throws {
        MetricsServer.bootstrap()
        var logger = Logger(label: "busy-pool-test")
        logger.logLevel = .warning
        let health: @Sendable () -> HealthReport = {
            HealthReport(status: .ok, initialized: true, lastRound: 7, secondsSinceLastCommit: 0, storeUsedBytes: 0)
        }
        let server = MetricsServer(configuration: .init(port: 0), health: health, logger: logger)
        // Everything runs on a plain thread: this test's own task needs the pool to resume.
        let status = try await offPool { () throws -> Int in
            let blockers = max(ProcessInfo.processInfo.activeProcessorCount, 2) + 2
            let release = DispatchSemaphore(value: 0)
            let started = StartCount()
            for _ in 0..<blockers {
                Task.detached {
                    started.value.add(1, ordering: .relaxed)
                    release.wait()
                }
            }
            var released = false
            func releaseBlockers() {
                guard !released else { return }
                released = true
                for _ in 0..<blockers { release.signal() }
            }
            defer { releaseBlockers() }
            // Wait until the pool is busy (it runs at most one blocker per thread it has).
            let deadline = Date().addingTimeInterval(2)
            while started.value.load(ordering: .relaxed) < min(blockers, ProcessInfo.processInfo.activeProcessorCount),
                  Date() < deadline {
                usleep(1_000)
            }
            try server.start()
            defer { server.stop() }
            let port = try #require(server.boundPort)
            let status = try HTTPProbe(port: port).request("GET", "/health").status
            // Stopping is not part of the claim (graceful shutdown may use the pool): free it first.
            releaseBlockers()
            return status
        }
        #expect(status == 200)
    }
}
