import Foundation
import RegistryNode
import StateStore
import Wire

/// The gateway's logic without HTTP: a route and its parameters in, the JSON body out (or a
/// `GatewayProblem`). Each route becomes one or two `QueryService` requests answered from one store
/// snapshot, and the JSON is the CLI's (`QueryJSONValue.response`), so `ai-registry query` and the
/// gateway print the same objects. Nothing here writes.
public struct GatewayHandler: Sendable {
    public let store: StateStore
    public let service: QueryService

    public init(store: StateStore, service: QueryService = QueryService()) {
        self.store = store
        self.service = service
    }

    typealias Body = AiRegistry_V1_QueryRequest.OneOf_Request

    /// The query-service requests `route` makes with `parameters` (scopes are checked on these).
    func requests(_ route: GatewayRoute, _ p: GatewayParameters) throws(GatewayProblem) -> [Body] {
        switch route.kind {
        case .health:
            var r = AiRegistry_V1_GetRootsRequest()
            r.limit = 1
            return [.getRoots(r)]
        case .listModels:
            var r = AiRegistry_V1_ListModelsRequest()
            let filters = ["status", "owner", "category", "tag", "name_prefix"].filter { p.query[$0] != nil }
            if filters.count > 1 {
                throw .invalid(filters[1], "only one of status, owner, category, tag, name_prefix may be given (got \(filters.joined(separator: ", ")))")
            }
            if let value = p.query["status"] { r.filter.status = value }
            if let value = try p.hex("owner", count: 32) { r.filter.owner = value }
            if let value = p.query["category"] { r.filter.category = value }
            if let value = p.query["tag"] { r.filter.tag = value }
            if let value = p.query["name_prefix"] { r.filter.namePrefix = value }
            if let value = try p.unsigned("limit", max: UInt64(UInt32.max)) { r.limit = UInt32(value) }
            if let value = try p.hex("cursor") { r.cursor = value }
            return [.listModels(r)]
        case .getModel:
            var r = AiRegistry_V1_GetModelRequest()
            r.id = try p.required("id") { (name) throws(GatewayProblem) in try p.hex(name, count: 32) }
            r.read = try read(p)
            return [.getModel(r)]
        case .modelStatistics:
            let id = try p.required("id") { (name) throws(GatewayProblem) in try p.hex(name, count: 32) }
            var model = AiRegistry_V1_GetModelRequest()
            model.id = id
            var fees = AiRegistry_V1_GetFeeStatisticsRequest()
            fees.model = id
            return [.getModel(model), .getFeeStatistics(fees)]
        case .listProposals:
            var r = AiRegistry_V1_ListProposalsRequest()
            if let value = p.query["status"] { r.status = value }
            if let value = try p.unsigned("limit", max: UInt64(UInt32.max)) { r.limit = UInt32(value) }
            if let value = try p.hex("cursor", count: 8) { r.cursor = value }
            return [.listProposals(r)]
        case .getProposal:
            var r = AiRegistry_V1_GetProposalRequest()
            r.id = try p.required("id") { (name) throws(GatewayProblem) in try p.unsigned(name) }
            r.read = try read(p)
            return [.getProposal(r)]
        case .getVote:
            var r = AiRegistry_V1_GetVoteRequest()
            r.proposalID = try p.required("id") { (name) throws(GatewayProblem) in try p.unsigned(name) }
            r.voter = try p.required("voter") { (name) throws(GatewayProblem) in try p.hex(name, count: 32) }
            r.read = try read(p)
            return [.getVote(r)]
        case .getAccount:
            var r = AiRegistry_V1_GetAccountRequest()
            r.account = try p.required("account") { (name) throws(GatewayProblem) in try p.hex(name, count: 32) }
            r.read = try read(p)
            return [.getAccount(r)]
        case .accountFees:
            var r = AiRegistry_V1_GetFeeStatisticsRequest()
            r.account = try p.required("account") { (name) throws(GatewayProblem) in try p.hex(name, count: 32) }
            return [.getFeeStatistics(r)]
        case .parameters:
            var r = AiRegistry_V1_GetParametersRequest()
            r.read = try read(p)
            return [.getParameters(r)]
        case .statistics, .feeStatistics:
            return [.getStatistics(AiRegistry_V1_GetStatisticsRequest())]
        case .roots:
            var r = AiRegistry_V1_GetRootsRequest()
            if let value = try p.unsigned("from") { r.fromRound = value }
            if let value = try p.unsigned("limit", max: UInt64(UInt32.max)) { r.limit = UInt32(value) }
            return [.getRoots(r)]
        case .roundResult:
            var r = AiRegistry_V1_GetRoundResultRequest()
            r.round = try p.required("round") { (name) throws(GatewayProblem) in try p.unsigned(name) }
            return [.getRoundResult(r)]
        case .schedule:
            var r = AiRegistry_V1_GetScheduleRequest()
            if let value = p.query["queue"] { r.queue = value }
            if let value = try p.unsigned("from") { r.fromRound = value }
            if let value = try p.unsigned("limit", max: UInt64(UInt32.max)) { r.limit = UInt32(value) }
            return [.getSchedule(r)]
        case .key:
            var r = AiRegistry_V1_GetKeyRequest()
            r.key = try p.required("key") { (name) throws(GatewayProblem) in try p.hex(name, maxBytes: 1024) }
            // A raw key is read to be verified: proofs are on unless `prove=false`.
            r.read = try read(p, proveByDefault: true)
            return [.getKey(r)]
        }
    }

    /// `round` and `prove` of a point read.
    func read(_ p: GatewayParameters, proveByDefault: Bool = false) throws(GatewayProblem) -> AiRegistry_V1_ReadOptions {
        var options = AiRegistry_V1_ReadOptions()
        if let round = try p.unsigned("round") { options.round = round }
        options.prove = try p.bool("prove") ?? proveByDefault
        return options
    }

    /// Answers `requests` (from `requests(_:_:)`) from one snapshot and shapes the route's JSON body.
    func answer(_ route: GatewayRoute, _ p: GatewayParameters, _ requests: [Body]) throws(GatewayProblem) -> QueryJSONValue {
        let reader: SnapshotStateReader
        do { reader = try SnapshotStateReader(store: store) } catch {
            throw GatewayProblem(status: 500, code: "INTERNAL", message: "state store: \(error.description)")
        }
        defer { reader.close() }
        var views: [QueryJSONValue] = []
        for body in requests {
            var request = AiRegistry_V1_QueryRequest()
            request.protocolVersion = WireProtocol.version
            request.request = body
            let response = service.respond(to: request, reader: reader)
            if case .error(let error)? = response.response { throw GatewayProblem(error, route: route) }
            views.append(QueryJSONValue.response(response)[QueryRequestKind(body).rawValue] ?? .null)
        }
        return try shape(route, p, views)
    }

    /// The route's body from the CLI views of its replies.
    func shape(_ route: GatewayRoute, _ p: GatewayParameters, _ views: [QueryJSONValue]) throws(GatewayProblem) -> QueryJSONValue {
        guard let view = views.first else {
            throw GatewayProblem(status: 500, code: "INTERNAL", message: "no reply for \(route.template)")
        }
        switch route.kind {
        case .health:
            var initialized = false
            if case .array(let roots)? = view["roots"] { initialized = !roots.isEmpty }
            return .object([
                ("status", .string("ok")), ("initialized", .bool(initialized)),
                ("latest_round", view["latest_round"] ?? .unsigned(0)),
                ("earliest_retained_round", view["earliest_retained_round"] ?? .unsigned(0)),
            ])
        case .modelStatistics:
            let model = view["model"] ?? .null
            return .object([
                ("model_id", .string(p.text("id")?.lowercased() ?? "")),
                ("usage", .object([
                    ("count", model["usage_count"] ?? .unsigned(0)), ("units", model["usage_units"] ?? .unsigned(0)),
                    ("fees", model["usage_fees"] ?? .unsigned(0)),
                ])),
                ("fees", views.count > 1 ? views[1]["statistics"] ?? .null : .null),
                ("round", view["round"] ?? .unsigned(0)),
            ])
        case .statistics:
            return .object([("registry", view["registry"] ?? .null), ("round", view["round"] ?? .unsigned(0))])
        case .feeStatistics:
            return .object([
                ("fees", view["fees"] ?? .null), ("fees_by_operation", view["fees_by_operation"] ?? .array([])),
                ("round", view["round"] ?? .unsigned(0)),
            ])
        case .roundResult:
            guard let result = view["round_result"] else {
                throw GatewayProblem(status: 500, code: "INTERNAL", message: "the stored result of the round does not decode")
            }
            return result
        default:
            return view
        }
    }
}
