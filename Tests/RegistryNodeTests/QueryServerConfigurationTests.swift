import Foundation
import Sodium
import TestSupport
import Testing
import ZMQ
@testable import RegistryNode

struct QueryServerConfigurationTests {
    static func parse(_ text: String) throws(ConfigurationError) -> QueryServerConfiguration {
        let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        return try QueryServerConfiguration(json: object, path: "query")
    }

    static func error(_ text: String) -> ConfigurationError? {
        do { _ = try parse(text); return nil } catch { return error }
    }

    @Test func defaultsAreValidAndAllowAnonymousLoopback() throws {
        let defaults = QueryServerConfiguration.defaults
        try defaults.validate()
        #expect(defaults.workers == 2 && defaults.maxFrameBytes == 65_536)
        #expect(defaults.isLoopbackEndpoint && !defaults.requiresAuthentication)
        #expect(try Self.parse("{}") == defaults)
    }

    @Test func loopbackDetection() {
        for endpoint in ["tcp://127.0.0.1:1", "tcp://localhost:2", "tcp://[::1]:3", "ipc:///tmp/x", "inproc://q"] {
            #expect(QueryServerConfiguration.isLoopback(endpoint), "\(endpoint)")
        }
        for endpoint in ["tcp://0.0.0.0:1", "tcp://*:2", "tcp://10.0.0.1:3", "tcp://[::]:4", "tcp://example.com:5"] {
            #expect(!QueryServerConfiguration.isLoopback(endpoint), "\(endpoint)")
        }
    }

    @Test func aPublicEndpointNeedsCredentials() throws {
        let error = Self.error(#"{"endpoint":"tcp://0.0.0.0:7702"}"#)
        #expect(error?.key == "query.token_key_files")
        #expect(Self.error(#"{"endpoint":"tcp://127.0.0.1:1","authentication":"required"}"#)?.key == "query.authentication")
        // Explicitly optional is allowed anywhere.
        let open = try Self.parse(#"{"endpoint":"tcp://0.0.0.0:7702","authentication":"optional"}"#)
        #expect(!open.requiresAuthentication)
    }

    @Test(arguments: [
        (#"{"workers":0}"#, "query.workers"),
        (#"{"workers":65}"#, "query.workers"),
        (#"{"workers":"2"}"#, "query.workers"),
        (#"{"workers":true}"#, "query.workers"),
        (#"{"workers":1.5}"#, "query.workers"),
        (#"{"max_frame_bytes":100}"#, "query.max_frame_bytes"),
        (#"{"endpoint":"http://x"}"#, "query.endpoint"),
        (#"{"enabled":1}"#, "query.enabled"),
        (#"{"authentication":"sometimes"}"#, "query.authentication"),
        (#"{"rate_limit":{"burst":0}}"#, "query.rate_limit.burst"),
        (#"{"rate_limit":{"requests_per_second":-1}}"#, "query.rate_limit.requests_per_second"),
        (#"{"rate_limit":{"bursts":5}}"#, "query.rate_limit.bursts"),
        (#"{"rate_limit":[]}"#, "query.rate_limit"),
        (#"{"anonymous_scopes":["read","write"]}"#, "query.anonymous_scopes[1]"),
        (#"{"token_key_files":["/nonexistent/key"]}"#, "query.token_key_files[0]"),
        (#"{"audit_per_client_per_minute":0}"#, "query.audit_per_client_per_minute"),
        (#"{"token_clock_skew_seconds":7200}"#, "query.token_clock_skew_seconds"),
        (#"{"wokers":2}"#, "query.wokers"),
        (#"{"curve":{}}"#, "query.curve.secret_key_file"),
    ])
    func badValuesNameTheKey(text: String, key: String) {
        let error = Self.error(text)
        #expect(error?.key == key, "\(text) → \(String(describing: error))")
        #expect(error?.message.isEmpty == false)
    }

    @Test func tokenKeysAndCurveClientsLoad() throws {
        let directory = TemporaryDirectory(prefix: "query-config")
        let key = try QueryTokenKey.generate(keyID: "main")
        _ = FileManager.default.createFile(atPath: directory.file("token.key"), contents: Data(key.fileContents()))
        let server = try CurveKeyPair.generate()
        _ = FileManager.default.createFile(atPath: directory.file("server.key"), contents: Data(server.secretKeyZ85.utf8))
        let client = try CurveKeyPair.generate()
        let text = """
            {"endpoint":"tcp://0.0.0.0:0","token_key_files":["\(directory.file("token.key"))"],
             "curve":{"secret_key_file":"\(directory.file("server.key"))",
                      "allowed_clients":[{"name":"explorer","public_key":"\(client.publicKeyZ85)","scopes":["read"]}]},
             "rate_limit":{"requests_per_second":5,"burst":10}}
            """
        let configuration = try Self.parse(text)
        #expect(configuration.tokenKeys == [key])
        #expect(configuration.curve?.secretKey == server.secretKey)
        #expect(configuration.curve?.allowedClients == [.init(name: "explorer", publicKey: client.publicKey, scopes: QueryScope.Set([.read]))])
        #expect(configuration.rateLimit == .init(requestsPerSecond: 5, burst: 10, maxClients: 10_000))
        #expect(configuration.requiresAuthentication)

        let badKey = #"{"curve":{"secret_key_file":"\#(directory.file("server.key"))","allowed_clients":[{"public_key":"xyz"}]}}"#
        #expect(Self.error(badKey)?.key == "query.curve.allowed_clients[0].public_key")
    }
}
