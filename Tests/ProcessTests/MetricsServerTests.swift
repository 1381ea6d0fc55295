import Foundation
import Logging
import Metrics
import RegistryNode
import Synchronization
import TestSupport
import Testing

/// The metrics server in-process, on an ephemeral loopback port, fetched over real HTTP.
@Suite(.serialized)
struct MetricsServerTests {
    static let logger: Logger = {
        var logger = Logger(label: "metrics-server-test")
        logger.logLevel = .warning
        return logger
    }()

    final class Health: Sendable {
        let report = Mutex(HealthReport(status: .ok, initialized: true, lastRound: 41, secondsSinceLastCommit: 0.25,
                                        storeUsedBytes: 1_048_576))
        var closure: @Sendable () -> HealthReport { { self.report.withLock { $0 } } }
    }

    /// Starts a server on an ephemeral port, runs `body`, stops it. Starting, stopping and every HTTP
    /// request run off the cooperative pool (`offPool`, `fetch`), which the server's handlers need.
    func withServer(_ health: Health = Health(), _ body: (MetricsServer, HTTPProbe) async throws -> Void) async throws {
        MetricsServer.bootstrap()
        let server = MetricsServer(configuration: .init(port: 0), health: health.closure, logger: Self.logger)
        try await offPool { try server.start() }
        let port = server.boundPort
        #expect((port ?? 0) > 0)
        #expect(server.boundAddress == "127.0.0.1:\(port ?? 0)")
        do {
            try await body(server, HTTPProbe(port: port ?? 0))
        } catch {
            _ = try? await offPool { server.stop() }
            throw error
        }
        _ = try await offPool { server.stop() }
    }

    @Test func metricsExportsSwiftMetricsRecordings() async throws {
        try await withServer { _, http in
            let before = try await http.fetch("/metrics")
            #expect(before.status == 200)
            #expect(before.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
            let rounds = before.sample(MetricsNames.roundsApplied) ?? 0
            Counter(label: MetricsNames.roundsApplied).increment(by: 3)
            Counter(label: MetricsNames.transactions, dimensions: [("code", "ok")]).increment(by: 7)
            Timer(label: MetricsNames.roundLatency).recordNanoseconds(1_500_000)
            let after = try await http.fetch("/metrics")
            #expect(after.sample(MetricsNames.roundsApplied) == rounds + 3)
            #expect((after.sample(#"\#(MetricsNames.transactions){code="ok"}"#) ?? 0) >= 7)
            #expect(after.body.contains("# TYPE \(MetricsNames.roundLatency) histogram"))
            // The finer round-latency buckets are installed: 1.5 ms falls in le="0.002".
            #expect((after.sample(#"\#(MetricsNames.roundLatency)_bucket{le="0.002"}"#) ?? 0) >= 1)
            // The store gauges are refreshed from the health report on every scrape.
            #expect(after.sample(MetricsNames.lmdbUsedBytes) == 1_048_576)
            #expect(after.sample(MetricsNames.lastRound) == 41)
        }
    }

    @Test func healthReportsOkThenHalted() async throws {
        let health = Health()
        try await withServer(health) { _, http in
            let ok = try await http.fetch("/health")
            #expect(ok.status == 200)
            #expect(ok.header("Content-Type") == "application/json")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(ok.body.utf8)) as? [String: Any])
            #expect(json["status"] as? String == "ok")
            #expect((json["last_round"] as? NSNumber)?.intValue == 41)
            #expect((json["seconds_since_last_commit"] as? NSNumber)?.doubleValue == 0.25)
            #expect((json["store_used_bytes"] as? NSNumber)?.intValue == 1_048_576)
            #expect(json["initialized"] as? Bool == true)

            health.report.withLock {
                $0.status = .halted
                $0.detail = "commit failed: MDB_MAP_FULL"
                $0.lastRound = nil
            }
            let halted = try await http.fetch("/health")
            #expect(halted.status == 503)
            let haltedJSON = try #require(try JSONSerialization.jsonObject(with: Data(halted.body.utf8)) as? [String: Any])
            #expect(haltedJSON["status"] as? String == "halted")
            #expect(haltedJSON["detail"] as? String == "commit failed: MDB_MAP_FULL")
            #expect(haltedJSON["last_round"] is NSNull)
        }
    }

    @Test func otherPathsAndMethodsAreRefused() async throws {
        try await withServer { _, http in
            #expect(try await http.fetch("/").status == 404)
            #expect(try await http.fetch("/metrics/extra").status == 404)
            #expect(try await http.fetch("/healthz").status == 404)
            let post = try await http.fetch("/metrics", method: "POST")
            #expect(post.status == 405)
            #expect(post.header("Allow") == "GET")
            #expect(try await http.fetch("/health", method: "DELETE").status == 405)
            #expect(try await http.fetch("/nowhere", method: "PUT").status == 404)
            // The server still answers after the refusals.
            #expect(try await http.fetch("/health").status == 200)
        }
    }

    @Test func stopClosesThePort() async throws {
        MetricsServer.bootstrap()
        let server = MetricsServer(configuration: .init(port: 0), health: Health().closure, logger: Self.logger)
        try await offPool { try server.start() }
        let port = try #require(server.boundPort)
        #expect(try await HTTPProbe(port: port).fetch("/health").status == 200)
        _ = try await offPool { server.stop() }
        #expect(server.boundPort == nil)
        await #expect(throws: HTTPProbe.ProbeError.self) { _ = try await HTTPProbe(port: port).fetch("/health") }
        _ = try await offPool { server.stop() }  // idempotent
        await #expect(throws: MetricsServerError.alreadyStarted) { try await offPool { try server.start() } }
    }

    @Test func portInUseFailsWithTheAddress() async throws {
        try await withServer { first, _ in
            let port = try #require(first.boundPort)
            let second = MetricsServer(configuration: .init(port: port), health: Health().closure, logger: Self.logger)
            let outcome: Result<Void, MetricsServerError> = try await offPool {
                defer { second.stop() }
                do throws(MetricsServerError) { try second.start(); return .success(()) } catch { return .failure(error) }
            }
            switch outcome {
            case .success:
                Issue.record("a second server bound the same port \(port)")
            case .failure(.startFailed(let address, _)):
                #expect(address == "127.0.0.1:\(port)")
            case .failure(let error):
                Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test func invalidConfigurationIsRefusedBeforeBinding() throws {
        let server = MetricsServer(configuration: .init(host: "0.0.0.0", port: 0), health: Health().closure, logger: Self.logger)
        do {
            try server.start()
            Issue.record("started on a non-loopback address without allow_non_loopback")
            server.stop()
        } catch {
            guard case .invalidConfiguration(let configurationError) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(configurationError.key == "metrics.host")
        }
    }
}
