import Foundation
import RegistryCore
import StateStore
import Wire

/// Lists with filters and cursor pagination, the roots of past rounds and the due queues.
extension QueryService {
    func listModels(_ request: AiRegistry_V1_ListModelsRequest, _ context: QueryContext) throws(WireError) -> AiRegistry_V1_ListModelsResponse {
        let size = try pageSize(request.limit, defaultValue: limits.listDefault, maximum: limits.listMax, field: "list_models.limit")
        let cursor = try checkCursor(request.cursor, field: "list_models.cursor")
        let filter = try Self.modelFilter(request.filter)
        let round = try context.latest()
        let page = try context.core { () throws(StateError) in
            try ModelQuery(state: context.reader).models(filter, after: cursor, limit: size)
        }
        var response = AiRegistry_V1_ListModelsResponse()
        response.models = page.models.map(AiRegistry_V1_Model.init)
        if let next = page.nextCursor { response.nextCursor = Data(next) }
        response.round = round
        return response
    }

    /// The RegistryCore filter of a wire filter; bad values name `list_models.filter.<field>`.
    static func modelFilter(_ filter: AiRegistry_V1_ModelFilter) throws(WireError) -> ModelQuery.Filter {
        switch filter.filter {
        case nil:
            return .all
        case .status(let name):
            guard let status = ModelStatus.allCases.first(where: { $0.name == name }) else {
                throw .invalid(
                    "list_models.filter.status",
                    "unknown status \"\(name)\" (known: \(ModelStatus.allCases.map(\.name).joined(separator: ", ")))")
            }
            return .status(status)
        case .owner(let data):
            return .owner(try WireValidation.account(data, field: "list_models.filter.owner"))
        case .category(let category):
            try checkText(category, field: "list_models.filter.category", maxBytes: RegistryCore.Limits.maxShortTextLength)
            return .category(category)
        case .tag(let tag):
            try checkText(tag, field: "list_models.filter.tag", maxBytes: RegistryCore.Limits.maxTagLength)
            return .tag(tag)
        case .namePrefix(let prefix):
            try checkText(prefix, field: "list_models.filter.name_prefix", maxBytes: RegistryCore.Limits.maxNameLength, allowEmpty: true)
            return .namePrefix(prefix)
        }
    }

    func listProposals(_ request: AiRegistry_V1_ListProposalsRequest, _ context: QueryContext) throws(WireError) -> AiRegistry_V1_ListProposalsResponse {
        let size = try pageSize(request.limit, defaultValue: limits.listDefault, maximum: limits.listMax, field: "list_proposals.limit")
        var status: ProposalStatus?
        if !request.status.isEmpty {
            guard let match = ProposalStatus.allCases.first(where: { $0.name == request.status }) else {
                throw .invalid(
                    "list_proposals.status",
                    "unknown status \"\(request.status)\" (known: \(ProposalStatus.allCases.map(\.name).joined(separator: ", ")))")
            }
            status = match
        }
        var after: ProposalID?
        if !request.cursor.isEmpty {
            guard request.cursor.count == 8 else {
                throw .invalid("list_proposals.cursor", "must be the 8-byte cursor of a previous page (got \(request.cursor.count) bytes)")
            }
            after = request.cursor.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }
        let round = try context.latest()
        let query = ModelQuery(state: context.reader)
        var found: [Proposal] = []
        var scanned = 0
        var last = after
        var exhausted = false
        // Without a filter a page is one scan; with one, scan in batches until the page is full, the
        // proposals end or the scan budget is spent (the cursor then continues the scan).
        let budget = status == nil ? size : max(size, limits.proposalScanBudget)
        while found.count < size && scanned < budget {
            let batch = min(budget - scanned, status == nil ? size - found.count : 100)
            let rows = try context.core { () throws(StateError) in try query.proposals(after: last, limit: batch) }
            var examined = 0
            for proposal in rows {
                last = proposal.id
                examined += 1
                if status == nil || proposal.status == status {
                    found.append(proposal)
                    if found.count == size { break }
                }
            }
            scanned += examined
            // The table ended inside this batch and every row of it was examined.
            if rows.count < batch && examined == rows.count { exhausted = true; break }
        }
        var response = AiRegistry_V1_ListProposalsResponse()
        response.proposals = found.map(AiRegistry_V1_Proposal.init)
        if !exhausted, let last, last != after {
            response.nextCursor = Data((0..<8).map { UInt8(truncatingIfNeeded: last >> (56 - 8 * $0)) })
        }
        response.round = round
        return response
    }

    func getRoots(_ request: AiRegistry_V1_GetRootsRequest, _ context: QueryContext) throws(WireError) -> AiRegistry_V1_GetRootsResponse {
        let size = try pageSize(request.limit, defaultValue: limits.rootsDefault, maximum: limits.rootsMax, field: "get_roots.limit")
        var response = AiRegistry_V1_GetRootsResponse()
        guard let latest = context.reader.version else { return response }
        let roots = try context.snapshot { snapshot throws(StateStoreError) in
            var roots: [AiRegistry_V1_RoundRoot] = []
            for version in try snapshot.retainedVersions(from: request.fromRound, limit: size) where version <= latest {
                var root = AiRegistry_V1_RoundRoot()
                root.round = version
                root.root = Data(try snapshot.rootHash(version: version).bytes)
                roots.append(root)
            }
            return (roots, try snapshot.retainedVersions(from: 0, limit: 1).first ?? latest)
        }
        response.roots = roots.0
        response.latestRound = latest
        response.earliestRetainedRound = roots.1
        return response
    }

    /// The wire names of the due queues, in `DueQueue.Kind` order.
    public static let queueNames: [(name: String, kind: DueQueue.Kind)] = [
        ("activation", .activation), ("deactivation", .deactivation), ("proposal_tally", .proposalTally),
        ("proposal_expiry", .proposalExpiry), ("rent_collection", .rentCollection),
    ]

    func getSchedule(_ request: AiRegistry_V1_GetScheduleRequest, _ context: QueryContext) throws(WireError) -> AiRegistry_V1_GetScheduleResponse {
        let size = try pageSize(request.limit, defaultValue: limits.rootsDefault, maximum: limits.rootsMax, field: "get_schedule.limit")
        var queues = Self.queueNames
        if !request.queue.isEmpty {
            queues = queues.filter { $0.name == request.queue }
            guard !queues.isEmpty else {
                throw .invalid(
                    "get_schedule.queue",
                    "unknown queue \"\(request.queue)\" (known: \(Self.queueNames.map(\.name).joined(separator: ", ")))")
            }
        }
        let round = try context.latest()
        var entries: [(round: UInt64, queue: Int, key: [UInt8], entry: AiRegistry_V1_ScheduleEntry)] = []
        for (index, queue) in queues.enumerated() {
            let lower = StateKey.dueQueue(queue.kind.rawValue, request.fromRound, [])
            let upper = StateKey.prefixEnd([StateKey.Table.dueQueue.rawValue, queue.kind.rawValue])
            let rows = try context.core { () throws(StateError) in
                try context.reader.scan(from: lower, to: upper, reverse: false, limit: size)
            }
            for row in rows where row.key.count >= 10 {
                let due = row.key[2..<10].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                var entry = AiRegistry_V1_ScheduleEntry()
                entry.queue = queue.name
                entry.dueRound = due
                entry.item = Data(row.key[10...])
                entries.append((due, index, row.key, entry))
            }
        }
        // Earliest due first; ties in queue order, then by item bytes (the key order).
        entries.sort { a, b in
            if a.round != b.round { return a.round < b.round }
            if a.queue != b.queue { return a.queue < b.queue }
            return a.key.lexicographicallyPrecedes(b.key)
        }
        var response = AiRegistry_V1_GetScheduleResponse()
        response.entries = entries.prefix(size).map(\.entry)
        response.round = round
        return response
    }

    /// A list cursor: empty is nil; longer than the limit is INVALID_ARGUMENT naming `field`.
    func checkCursor(_ cursor: Data, field: String) throws(WireError) -> [UInt8]? {
        guard !cursor.isEmpty else { return nil }
        guard cursor.count <= limits.cursorMaxBytes else {
            throw .invalid(field, "must be at most \(limits.cursorMaxBytes) bytes (got \(cursor.count))")
        }
        return [UInt8](cursor)
    }
}
