import Testing
@testable import RegistryGateway

@Suite struct GatewayRouteTests {
    @Test func templatesMatchTheirPathsAndNothingElse() throws {
        let found = try #require(GatewayRoute.find("/v1/proposals/3/votes/ab"))
        #expect(found.route.kind == .getVote)
        #expect(found.parameters == ["id": "3", "voter": "ab"])
        #expect(GatewayRoute.find("/v1/models/")?.route.kind == nil)
        #expect(GatewayRoute.find("/v1/models")?.route.kind == .listModels)
        #expect(GatewayRoute.find("/v1/models/aa/statistics")?.route.kind == .modelStatistics)
        #expect(GatewayRoute.find("/v2/models") == nil)
        #expect(GatewayRoute.find("/v1/models/aa/other") == nil)
    }

    @Test func everyKindHasExactlyOneRoute() {
        for kind in GatewayRoute.Kind.allCases {
            #expect(GatewayRoute.all.filter { $0.kind == kind }.count == 1, "\(kind)")
        }
    }
}
