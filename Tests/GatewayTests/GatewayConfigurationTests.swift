import Foundation
import RegistryGateway
import RegistryNode
import TestSupport
import Testing

/// The `gateway` section: defaults, parsing, errors naming the key, and the node-level checks.
struct GatewayConfigurationTests {
    func parse(_ json: String) throws(ConfigurationError) -> NodeConfiguration {
        try NodeConfiguration(json: Data(json.utf8))
    }

    func error(_ json: String) -> ConfigurationError? {
        do { _ = try parse(json); return nil } catch { return error }
    }

    @Test func theGatewayIsOffByDefaultOnLoopback() throws {
        let configuration = try parse("{}")
        #expect(configuration.gateway == .defaults)
        #expect(!configuration.gateway.enabled)
        #expect(configuration.gateway.host == "127.0.0.1" && configuration.gateway.port == 26674)
        #expect(configuration.gateway.rateLimit.requestsPerSecond == 50 && configuration.gateway.rateLimit.burst == 100)
    }

    @Test func everyKeyIsRead() throws {
        let gateway = try parse("""
            {"gateway": {"enabled": true, "host": "0.0.0.0", "port": 8080, "allow_non_loopback": true,
             "cors_origins": ["*"], "rate_limit": {"requests_per_second": 5, "burst": 7, "max_clients": 20}}}
            """).gateway
        #expect(gateway == GatewayConfiguration(
            enabled: true, host: "0.0.0.0", port: 8080, allowNonLoopback: true, corsOrigins: ["*"],
            rateLimit: .init(requestsPerSecond: 5, burst: 7, maxClients: 20)))
    }

    @Test func badValuesNameTheirKey() {
        let cases: [(String, String)] = [
            (#"{"gateway": {"enabled": "yes"}}"#, "gateway.enabled"),
            (#"{"gateway": {"port": 70000}}"#, "gateway.port"),
            (#"{"gateway": {"host": "example.com"}}"#, "gateway.host"),
            (#"{"gateway": {"host": "10.0.0.1"}}"#, "gateway.host"),
            (#"{"gateway": {"colour": 1}}"#, "gateway.colour"),
            (#"{"gateway": {"rate_limit": {"burst": 0}}}"#, "gateway.rate_limit.burst"),
            (#"{"gateway": {"rate_limit": {"max_clients": 2}}}"#, "gateway.rate_limit.max_clients"),
            (#"{"gateway": {"rate_limit": {"per_hour": 2}}}"#, "gateway.rate_limit.per_hour"),
            (#"{"gateway": {"cors_origins": ["a b"]}}"#, "gateway.cors_origins[0]"),
            (#"{"gateway": {"cors_origins": [1]}}"#, "gateway.cors_origins[0]"),
            (#"{"gateway": {"enabled": true, "require_token": true}}"#, "gateway.require_token"),
            (#"{"gateway": []}"#, "gateway"),
        ]
        for (json, key) in cases {
            #expect(error(json)?.key == key, "\(json): \(String(describing: error(json)))")
        }
    }

    @Test func startRefusesAnInvalidConfigurationAndABusyPort() async throws {
        let fixture = try GatewayFixture(rounds: 0)
        let bad = Gateway(configuration: GatewayConfiguration(enabled: true, port: -1), store: fixture.store, logger: GatewayFixture.logger)
        #expect(throws: GatewayError.self) { try bad.start() }
        try await fixture.withGateway { running, _ in
            let port = try #require(running.boundPort)
            let second = Gateway(configuration: GatewayConfiguration(enabled: true, port: port), store: fixture.store,
                                 logger: GatewayFixture.logger)
            let outcome = try await offPool { () -> GatewayError? in
                do throws(GatewayError) { try second.start(); second.stop(); return nil } catch { return error }
            }
            guard case .startFailed(let address, _)? = outcome else {
                Issue.record("a second gateway on port \(port) did not fail to bind: \(String(describing: outcome))")
                return
            }
            #expect(address == "127.0.0.1:\(port)")
            #expect(throws: GatewayError.alreadyStarted) { try running.start() }
        }
    }
}
