import Foundation
import RegistryCore
import RegistryGateway
import RegistryNode
import Sodium
import TestSupport
import Testing

/// Docs/openapi.json against the gateway: the same routes and parameters, and every route served
/// over real HTTP from a store filled by a real workload, each body valid under its documented schema.
@Suite(.serialized)
struct GatewayOpenAPITests {
    static let fixture = Result { try GatewayFixture(rounds: 24) }

    @Test func theDocumentAndTheRouterListTheSameRoutesAndParameters() throws {
        let document = try OpenAPIDocument.load()
        #expect(document.root["openapi"] as? String == "3.1.0")
        #expect(Set(document.paths.keys) == Set(GatewayRoute.all.map(\.template)))
        for route in GatewayRoute.all {
            let parameters = document.parameters(route.template)
            #expect(Set(parameters.filter { $0.location == "query" }.map(\.name)) == Set(route.queryParameters), "\(route.template)")
            #expect(parameters.filter { $0.location == "path" }.map(\.name) == route.pathParameters, "\(route.template)")
            for status in [200, 400, 405, 429, 500] {
                #expect(document.schema(route.template, status: status) != nil, "\(route.template) does not document \(status)")
            }
            // Only GET: the gateway is read-only.
            #expect((document.paths[route.template] as? [String: Any])?.keys.sorted() == ["get"], "\(route.template)")
        }
    }

    /// A URL for every route, with ids of objects that exist in the fixture.
    static func examples(_ fixture: GatewayFixture) throws -> [String: [String]] {
        let model = Hex.encode(try #require(fixture.entries(.model).first).key.dropFirst())
        let account = Hex.encode(try #require(fixture.entries(.account).first).key.dropFirst())
        let proposalKey = try #require(fixture.entries(.proposal).first).key
        let proposal = proposalKey.dropFirst().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let voteKey = try #require(fixture.entries(.vote).first, "the workload cast no vote").key
        let voteProposal = voteKey[1..<9].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let voter = Hex.encode(voteKey[9...])
        let round = fixture.latest
        let parameters = Hex.encode(StateKey.parameters)
        return [
            "/v1/health": ["/v1/health"],
            "/v1/models": ["/v1/models", "/v1/models?limit=3", "/v1/models?status=active&limit=5", "/v1/models?owner=\(account)",
                           "/v1/models?name_prefix=&limit=1"],
            "/v1/models/{id}": ["/v1/models/\(model)", "/v1/models/\(model)?prove=true", "/v1/models/\(model.uppercased())?round=\(round)&prove=false"],
            "/v1/models/{id}/statistics": ["/v1/models/\(model)/statistics"],
            "/v1/proposals": ["/v1/proposals", "/v1/proposals?limit=1", "/v1/proposals?status=voting"],
            "/v1/proposals/{id}": ["/v1/proposals/\(proposal)", "/v1/proposals/\(proposal)?prove=true"],
            "/v1/proposals/{id}/votes/{voter}": ["/v1/proposals/\(voteProposal)/votes/\(voter)?prove=true"],
            "/v1/accounts/{account}": ["/v1/accounts/\(account)", "/v1/accounts/\(account)?round=2&prove=true"],
            "/v1/accounts/{account}/fees": ["/v1/accounts/\(account)/fees"],
            "/v1/parameters": ["/v1/parameters", "/v1/parameters?prove=true&round=0"],
            "/v1/statistics": ["/v1/statistics"],
            "/v1/fees/statistics": ["/v1/fees/statistics"],
            "/v1/roots": ["/v1/roots", "/v1/roots?from=5&limit=3"],
            "/v1/rounds/{round}": ["/v1/rounds/\(round)", "/v1/rounds/1"],
            "/v1/schedule": ["/v1/schedule", "/v1/schedule?queue=proposal_tally&from=0&limit=10"],
            "/v1/keys/{key}": ["/v1/keys/\(parameters)", "/v1/keys/\(parameters)?prove=false", "/v1/keys/ff00?round=3"],
        ]
    }

    @Test func everyRouteIsServedWithABodyValidUnderItsSchema() async throws {
        let fixture = try Self.fixture.get()
        let document = try OpenAPIDocument.load()
        let examples = try Self.examples(fixture)
        #expect(Set(examples.keys) == Set(GatewayRoute.all.map(\.template)))
        try await fixture.withGateway { _, probe in
            for template in examples.keys.sorted() {
                for url in examples[template] ?? [] {
                    let response = try await probe.fetch(url)
                    #expect(response.status == 200, "\(url): \(response.body.prefix(300))")
                    #expect(response.header("Content-Type")?.hasPrefix("application/json") == true, "\(url)")
                    let violations = document.violations(path: template, status: response.status, body: response.body)
                    #expect(violations.isEmpty, "\(url): \(violations)")
                }
            }
        }
    }

    @Test func listsCarryTheWorkloadsObjectsAndPagesFollowTheCursor() async throws {
        let fixture = try Self.fixture.get()
        let models = try fixture.entries(.model).map { Hex.encode($0.key.dropFirst()) }
        try #require(models.count >= 3)
        try await fixture.withGateway { _, probe in
            var seen: [String] = []
            var cursor = ""
            var pages = 0
            for _ in 0..<1000 {
                pages += 1
                let response = try await probe.fetch("/v1/models?limit=37" + (cursor.isEmpty ? "" : "&cursor=\(cursor)"))
                let body = try #require(response.json as? [String: Any])
                let page = try #require(body["models"] as? [[String: Any]])
                seen += page.compactMap { $0["id"] as? String }
                cursor = body["next_cursor"] as? String ?? ""
                if cursor.isEmpty { break }
            }
            #expect(pages == (models.count + 36) / 37 || pages == (models.count + 36) / 37 + 1)
            #expect(seen.count == models.count)
            #expect(seen == models, "the pages differ from the model table (first difference at \(Array(zip(seen, models)).firstIndex { $0.0 != $0.1 } ?? -1))")
            let health = try #require(try await probe.fetch("/v1/health").json as? [String: Any])
            #expect((health["latest_round"] as? NSNumber)?.uint64Value == fixture.latest)
            #expect(health["initialized"] as? Bool == true)
        }
    }
}
