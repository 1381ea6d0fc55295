import Foundation
import RegistryNode
import Testing

/// The `metrics` section of the configuration: defaults, strict parsing, validation with the key named.
struct MetricsServerConfigurationTests {
    func parse(_ text: String) throws -> MetricsServerConfiguration {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
        return try MetricsServerConfiguration(json: object, path: "metrics")
    }

    func error(_ text: String) throws -> ConfigurationError? {
        do { _ = try parse(text); return nil } catch let error as ConfigurationError { return error }
    }

    @Test func defaultsAreLoopbackAndValid() throws {
        let defaults = MetricsServerConfiguration.defaults
        #expect(defaults.enabled)
        #expect(defaults.host == "127.0.0.1")
        #expect(defaults.port == 9464)
        #expect(!defaults.allowNonLoopback)
        #expect(defaults.isLoopback)
        try defaults.validate()
        #expect(try parse("{}") == defaults)
    }

    @Test func parsesEveryKey() throws {
        let parsed = try parse(#"{"enabled": false, "host": "10.1.2.3", "port": 0, "allow_non_loopback": true}"#)
        #expect(parsed == MetricsServerConfiguration(enabled: false, host: "10.1.2.3", port: 0, allowNonLoopback: true))
        #expect(try parse(#"{"host": "::1", "port": 65535}"#).isLoopback)
        #expect(try parse(#"{"host": "localhost"}"#).isLoopback)
        #expect(try parse(#"{"host": "127.9.8.7"}"#).isLoopback)
    }

    @Test(arguments: [
        (#"{"bogus": 1}"#, "metrics.bogus"),
        (#"{"enabled": 1}"#, "metrics.enabled"),
        (#"{"enabled": "yes"}"#, "metrics.enabled"),
        (#"{"port": "9464"}"#, "metrics.port"),
        (#"{"port": true}"#, "metrics.port"),
        (#"{"port": 1.5}"#, "metrics.port"),
        (#"{"port": 65536}"#, "metrics.port"),
        (#"{"port": -1}"#, "metrics.port"),
        (#"{"port": 1e30}"#, "metrics.port"),
        (#"{"host": 127}"#, "metrics.host"),
        (#"{"host": "example.com"}"#, "metrics.host"),
        (#"{"host": "0.0.0.0"}"#, "metrics.host"),
        (#"{"host": "192.168.1.10", "allow_non_loopback": false}"#, "metrics.host"),
        (#"{"allow_non_loopback": "true"}"#, "metrics.allow_non_loopback"),
    ])
    func rejectsWithTheKeyNamed(text: String, key: String) throws {
        let failure = try error(text)
        #expect(failure?.key == key, "\(text) → \(String(describing: failure))")
        #expect(!(failure?.message.isEmpty ?? true))
    }

    @Test func nonLoopbackOnlyWhenAllowed() throws {
        var configuration = MetricsServerConfiguration(host: "0.0.0.0")
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
        configuration.allowNonLoopback = true
        try configuration.validate()
        #expect(!configuration.isLoopback)
    }

    @Test func errorPathFollowsTheSection() throws {
        let object: [String: Any] = ["port": 70000]
        do {
            _ = try MetricsServerConfiguration(json: object, path: "node.metrics")
            Issue.record("accepted port 70000")
        } catch {
            #expect(error.key == "node.metrics.port")
        }
    }
}
