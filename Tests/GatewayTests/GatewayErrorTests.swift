import Foundation
import RegistryCore
import RegistryGateway
import RegistryNode
import Sodium
import Synchronization
import TestSupport
import Testing

/// Status codes and error bodies: bad parameters 400 naming the parameter, unknown objects and
/// rounds 404, pruned rounds 410, other methods 405, rate limits 429, tokens 401/403, CORS. Every
/// error body is checked against the schema the document gives for that path and status.
@Suite(.serialized)
struct GatewayErrorTests {
    static let fixture = Result { try GatewayFixture(rounds: 12) }

    /// Fetches `url` and checks status, code and parameter, and the body against the document.
    func expectProblem(
        _ probe: HTTPProbe, _ url: String, template: String?, status: Int, code: String, parameter: String? = nil,
        method: String = "GET", headers: [(String, String)] = [], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let response = try await probe.fetch(url, method: method, headers: headers)
        #expect(response.status == status, "\(method) \(url): \(response.body)", sourceLocation: sourceLocation)
        #expect(response.errorCode == code, "\(url): \(response.body)", sourceLocation: sourceLocation)
        #expect(response.errorParameter == parameter, "\(url): \(response.body)", sourceLocation: sourceLocation)
        let document = try OpenAPIDocument.load()
        let violations: [String]
        if let template {
            violations = document.violations(path: template, status: status, body: response.body)
        } else {
            let value = try JSONSerialization.jsonObject(with: Data(response.body.utf8))
            violations = document.checker.violations(value, ["$ref": "#/components/schemas/Error"])
        }
        #expect(violations.isEmpty, "\(url): \(violations)", sourceLocation: sourceLocation)
    }

    @Test func badParametersAre400NamingTheParameter() async throws {
        let fixture = try Self.fixture.get()
        let model = Hex.encode(try #require(fixture.entries(.model).first).key.dropFirst())
        try await fixture.withGateway { _, probe in
            let cases: [(String, String, String)] = [
                ("/v1/models?limit=abc", "/v1/models", "limit"),
                ("/v1/models?limit=1000", "/v1/models", "limit"),
                ("/v1/models?limit=-1", "/v1/models", "limit"),
                ("/v1/models?status=shiny", "/v1/models", "status"),
                ("/v1/models?status=active&tag=x", "/v1/models", "tag"),
                ("/v1/models?owner=abcd", "/v1/models", "owner"),
                ("/v1/models?cursor=xyz", "/v1/models", "cursor"),
                ("/v1/models?bogus=1", "/v1/models", "bogus"),
                ("/v1/models?limit=1&limit=2", "/v1/models", "limit"),
                ("/v1/models/zz", "/v1/models/{id}", "id"),
                ("/v1/models/\(model)?prove=yes", "/v1/models/{id}", "prove"),
                ("/v1/models/\(model)?round=1.5", "/v1/models/{id}", "round"),
                ("/v1/proposals/0", "/v1/proposals/{id}", "id"),
                ("/v1/proposals?cursor=00", "/v1/proposals", "cursor"),
                ("/v1/proposals?status=maybe", "/v1/proposals", "status"),
                ("/v1/proposals/1/votes/12", "/v1/proposals/{id}/votes/{voter}", "voter"),
                ("/v1/accounts/\(model.prefix(10))", "/v1/accounts/{account}", "account"),
                ("/v1/roots?limit=5000", "/v1/roots", "limit"),
                ("/v1/schedule?queue=later", "/v1/schedule", "queue"),
                ("/v1/rounds/x", "/v1/rounds/{round}", "round"),
                ("/v1/keys/abc", "/v1/keys/{key}", "key"),
                ("/v1/health?verbose=1", "/v1/health", "verbose"),
            ]
            for (url, template, parameter) in cases {
                try await expectProblem(probe, url, template: template, status: 400, code: "INVALID_ARGUMENT", parameter: parameter)
            }
        }
    }

    @Test func unknownObjectsRoundsAndPathsAre404() async throws {
        let fixture = try Self.fixture.get()
        let model = Hex.encode(try #require(fixture.entries(.model).first).key.dropFirst())
        let zero = String(repeating: "0", count: 64)
        try await fixture.withGateway { _, probe in
            try await expectProblem(probe, "/v1/models/\(zero)", template: "/v1/models/{id}", status: 404, code: "NOT_FOUND")
            try await expectProblem(probe, "/v1/models/\(model)?round=\(fixture.latest + 5)", template: "/v1/models/{id}",
                                    status: 404, code: "NOT_FOUND", parameter: "round")
            try await expectProblem(probe, "/v1/proposals/999999", template: "/v1/proposals/{id}", status: 404, code: "NOT_FOUND", parameter: "id")
            try await expectProblem(probe, "/v1/accounts/\(zero)", template: "/v1/accounts/{account}", status: 404, code: "NOT_FOUND", parameter: "account")
            try await expectProblem(probe, "/v1/rounds/\(fixture.latest + 1)", template: "/v1/rounds/{round}", status: 404, code: "NOT_FOUND", parameter: "round")
            try await expectProblem(probe, "/v1/models/\(zero)/statistics", template: "/v1/models/{id}/statistics", status: 404, code: "NOT_FOUND")
            try await expectProblem(probe, "/v1/nothing", template: nil, status: 404, code: "NOT_FOUND")
            try await expectProblem(probe, "/v1/models/", template: nil, status: 404, code: "NOT_FOUND")
            try await expectProblem(probe, "/metrics", template: nil, status: 404, code: "NOT_FOUND")
            // With a proof, an absent object is a success whose proof proves the absence.
            let absent = try await probe.fetch("/v1/models/\(zero)?prove=true")
            #expect(absent.status == 200)
            let body = try #require(absent.json as? [String: Any])
            #expect(body["model"] == nil && body["value"] as? String == "" && body["proof"] != nil)
        }
    }

    @Test func writeMethodsAre405WithAllowGet() async throws {
        let fixture = try Self.fixture.get()
        try await fixture.withGateway { _, probe in
            for method in ["POST", "PUT", "DELETE", "PATCH"] {
                try await expectProblem(probe, "/v1/models", template: "/v1/models", status: 405, code: "METHOD_NOT_ALLOWED", method: method)
                let response = try await probe.fetch("/v1/parameters", method: method)
                #expect(response.header("Allow") == "GET")
            }
            // Without CORS configured, OPTIONS is a method like any other.
            #expect(try await probe.fetch("/v1/models", method: "OPTIONS").status == 405)
        }
    }

    @Test func prunedRoundsAre410() async throws {
        let fixture = try GatewayFixture(rounds: 10, seed: 99)
        var outcome = try fixture.store.prune(retainLatest: 3, maxEntries: 100_000)
        while !outcome.isComplete { outcome = try fixture.store.prune(retainLatest: 3, maxEntries: 100_000) }
        let account = Hex.encode(try #require(fixture.entries(.account).first).key.dropFirst())
        try await fixture.withGateway { _, probe in
            try await expectProblem(probe, "/v1/accounts/\(account)?round=1&prove=true", template: "/v1/accounts/{account}",
                                    status: 410, code: "ROUND_PRUNED", parameter: "round")
            try await expectProblem(probe, "/v1/rounds/2", template: "/v1/rounds/{round}", status: 410, code: "ROUND_PRUNED", parameter: "round")
            try await expectProblem(probe, "/v1/parameters?round=0", template: "/v1/parameters", status: 410, code: "ROUND_PRUNED", parameter: "round")
            // The latest rounds are still served, and the roots list starts at the earliest retained one.
            #expect(try await probe.fetch("/v1/accounts/\(account)?round=\(fixture.latest)&prove=true").status == 200)
            let roots = try #require(try await probe.fetch("/v1/roots").json as? [String: Any])
            #expect((roots["earliest_retained_round"] as? NSNumber)?.uint64Value ?? 0 > 1)
        }
    }

    @Test func aClientOverItsRateLimitGets429WithRetryAfter() async throws {
        let fixture = try Self.fixture.get()
        // A stopped monotonic clock: the bucket of 2 never refills.
        let clock = QueryClock(wallSeconds: { 1_800_000_000 }, monotonicNanoseconds: { 5_000_000_000 })
        var configuration = GatewayConfiguration(enabled: true, port: 0)
        configuration.rateLimit = .init(requestsPerSecond: 1, burst: 2, maxClients: 16)
        let directory = TemporaryDirectory(prefix: "gw-audit")
        let audit = try AuditLog(path: directory.file("audit.log"), logger: GatewayFixture.logger)
        try await fixture.withGateway(configuration, clock: clock, audit: audit) { _, probe in
            #expect(try await probe.fetch("/v1/parameters").status == 200)
            #expect(try await probe.fetch("/v1/health").status == 200)
            try await expectProblem(probe, "/v1/statistics", template: "/v1/statistics", status: 429, code: "RATE_LIMITED")
            for _ in 0..<4 {
                let limited = try await probe.fetch("/v1/statistics")
                #expect(limited.status == 429 && limited.header("Retry-After") == "1")
            }
        }
        // Refusals are audited as endpoint "gateway", throttled to 2 per client and kind per minute.
        audit.sync()
        let lines = String(decoding: FileManager.default.contents(atPath: directory.file("audit.log")) ?? Data(), as: UTF8.self)
            .split(separator: "\n")
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.allSatisfy { $0.contains(#""kind":"rateLimited""#) && $0.contains(#""endpoint":"gateway""#) && $0.contains("addr:127.0.0.1") })
    }

    @Test func requiredTokensAre401AndMissingScopes403() async throws {
        let fixture = try Self.fixture.get()
        let key = try QueryTokenKey.generate(keyID: "gw")
        let now: UInt64 = 1_800_000_000
        let clock = QueryClock(wallSeconds: { now }, monotonicNanoseconds: { 1 })
        let readOnly = try QueryToken(keyID: "gw", subject: "explorer", scopes: QueryScope.Set([.read]), issuedAt: now - 10,
                                      expiresAt: now + 3600).signed(with: key)
        let expired = try QueryToken(keyID: "gw", subject: "old", scopes: .all, issuedAt: now - 7200, expiresAt: now - 3600).signed(with: key)
        var configuration = GatewayConfiguration(enabled: true, port: 0)
        configuration.requireToken = true
        try await fixture.withGateway(configuration, tokenKeys: [key], clock: clock) { _, probe in
            try await expectProblem(probe, "/v1/parameters", template: "/v1/parameters", status: 401, code: "UNAUTHORIZED")
            #expect(try await probe.fetch("/v1/parameters").header("WWW-Authenticate") == "Bearer")
            try await expectProblem(probe, "/v1/parameters", template: "/v1/parameters", status: 401, code: "UNAUTHORIZED",
                                    headers: [("Authorization", "Bearer \(expired)")])
            try await expectProblem(probe, "/v1/parameters", template: "/v1/parameters", status: 401, code: "UNAUTHORIZED",
                                    headers: [("Authorization", "Basic abc")])
            let bearer = [("Authorization", "Bearer \(readOnly)")]
            #expect(try await probe.fetch("/v1/parameters", headers: bearer).status == 200)
            try await expectProblem(probe, "/v1/parameters?prove=true", template: "/v1/parameters", status: 403, code: "UNAUTHORIZED",
                                    headers: bearer)
            try await expectProblem(probe, "/v1/statistics", template: "/v1/statistics", status: 403, code: "UNAUTHORIZED", headers: bearer)
            // Health needs no token.
            #expect(try await probe.fetch("/v1/health").status == 200)
        }
    }

    @Test func configuredOriginsGetCORSHeadersAndPreflights() async throws {
        let fixture = try Self.fixture.get()
        var configuration = GatewayConfiguration(enabled: true, port: 0)
        configuration.corsOrigins = ["https://explorer.example"]
        try await fixture.withGateway(configuration) { _, probe in
            let allowed = try await probe.fetch("/v1/statistics", headers: [("Origin", "https://explorer.example")])
            #expect(allowed.header("Access-Control-Allow-Origin") == "https://explorer.example")
            let other = try await probe.fetch("/v1/statistics", headers: [("Origin", "https://elsewhere.example")])
            #expect(other.status == 200 && other.header("Access-Control-Allow-Origin") == nil)
            let error = try await probe.fetch("/v1/models/zz", headers: [("Origin", "https://explorer.example")])
            #expect(error.status == 400 && error.header("Access-Control-Allow-Origin") == "https://explorer.example")
            let preflight = try await probe.fetch("/v1/models", method: "OPTIONS", headers: [("Origin", "https://explorer.example")])
            #expect(preflight.status == 204)
            #expect(preflight.header("Access-Control-Allow-Methods") == "GET")
            #expect(try await probe.fetch("/v1/models", method: "OPTIONS", headers: [("Origin", "https://elsewhere.example")]).status == 405)
        }
    }
}
