/// Read-side queries over committed state (used by the query endpoint): list and search models through
/// the indexes, in key order, with cursor pagination. A cursor is the last index key of the previous
/// page (opaque bytes); the next page starts strictly after it.
public struct ModelQuery {
    /// Which index to walk.
    public enum Filter: Equatable, Sendable {
        case status(ModelStatus)
        case owner(AccountID)
        case category(String)
        case tag(String)
        /// Models whose name starts with the prefix, ordered by name then version.
        case namePrefix(String)
        /// Every model, by id.
        case all
    }

    /// A page of models and the cursor of the next page (nil at the end).
    public struct Page: Sendable {
        public let models: [Model]
        public let nextCursor: [UInt8]?
    }

    /// The largest page size.
    public static let maxPageSize = 500

    public let state: any StateReader

    public init(state: any StateReader) { self.state = state }

    /// The index prefix a filter scans.
    public static func prefix(_ filter: Filter) -> [UInt8] {
        switch filter {
        case .status(let s): return StateKey.key(.modelsByStatus) { $0.write(s.rawValue) }
        case .owner(let o): return StateKey.key(.modelsByOwner) { $0.write(o.raw) }
        case .category(let c): return StateKey.key(.modelsByCategory) { $0.writeRaw(c.utf8); $0.write(UInt8(0)) }
        case .tag(let t): return StateKey.key(.modelsByTag) { $0.writeRaw(t.utf8); $0.write(UInt8(0)) }
        case .namePrefix(let p): return StateKey.key(.modelByName) { $0.writeRaw(p.utf8) }
        case .all: return [StateKey.Table.model.rawValue]
        }
    }

    /// One page of models matching `filter`, after `cursor`, at most `limit` (clamped to 1…maxPageSize).
    public func models(_ filter: Filter, after cursor: [UInt8]? = nil, limit: Int) throws(StateError) -> Page {
        let size = min(max(limit, 1), Self.maxPageSize)
        let prefix = Self.prefix(filter)
        var lower = prefix
        if let cursor {
            // Strictly after the cursor; a cursor outside the prefix range is clamped into it.
            let next = cursor + [0]
            if !next.lexicographicallyPrecedes(prefix) { lower = next }
        }
        let rows = try state.scan(from: lower, to: StateKey.prefixEnd(prefix), reverse: false, limit: size)
        var models: [Model] = []
        for row in rows {
            let id: ModelID
            switch filter {
            case .all:
                guard let m = try? Model(canonicalBytes: row.value) else {
                    throw StateError(operation: "decode model", key: row.key, reason: "corrupt")
                }
                models.append(m); continue
            case .namePrefix:
                guard let decoded = try? ModelID(canonicalBytes: row.value) else {
                    throw StateError(operation: "decode name index", key: row.key, reason: "corrupt")
                }
                id = decoded
            default:
                guard row.key.count >= 32, let raw = Digest256Bytes.digest(Array(row.key.suffix(32))) else {
                    throw StateError(operation: "decode index key", key: row.key, reason: "short")
                }
                id = ModelID(raw)
            }
            guard let model = try model(id) else {
                throw StateError(operation: "index points to missing model", key: row.key, reason: id.description)
            }
            models.append(model)
        }
        return Page(models: models, nextCursor: rows.count == size ? rows.last?.key : nil)
    }

    /// One model by id.
    public func model(_ id: ModelID) throws(StateError) -> Model? {
        guard let bytes = try state.value(for: StateKey.model(id)) else { return nil }
        do { return try Model(canonicalBytes: bytes) } catch {
            throw StateError(operation: "decode model", key: StateKey.model(id), reason: error.description)
        }
    }

    /// The model registered under a name and version.
    public func model(name: String, version: String) throws(StateError) -> Model? {
        try model(ModelID(name: name, version: version))
    }

    /// The registry statistics.
    public func statistics() throws(StateError) -> RegistryStatistics {
        try decode(StateKey.registryStatistics) ?? RegistryStatistics()
    }

    /// Chain-wide fee totals.
    public func feeTotals() throws(StateError) -> FeeTotals { try decode(StateKey.feeTotals) ?? FeeTotals() }

    /// Fee statistics of an operation type, a model or an account.
    public func feeStatistics(operation: FeeOperation) throws(StateError) -> FeeStatistics {
        try decode(StateKey.feeStatsByOperation(operation.rawValue)) ?? FeeStatistics()
    }
    public func feeStatistics(model: ModelID) throws(StateError) -> FeeStatistics {
        try decode(StateKey.feeStatsByModel(model)) ?? FeeStatistics()
    }
    public func feeStatistics(account: AccountID) throws(StateError) -> FeeStatistics {
        try decode(StateKey.feeStatsByAccount(account)) ?? FeeStatistics()
    }

    /// An account (default when never seen).
    public func account(_ id: AccountID) throws(StateError) -> Account { try decode(StateKey.account(id)) ?? Account() }

    /// A proposal.
    public func proposal(_ id: ProposalID) throws(StateError) -> Proposal? { try decode(StateKey.proposal(id)) }

    /// A voter's effective vote on a proposal.
    public func vote(_ id: ProposalID, voter: AccountID) throws(StateError) -> Vote? { try decode(StateKey.vote(id, voter)) }

    /// Proposals in id order after `cursor` (a proposal id), at most `limit` (1…maxPageSize).
    public func proposals(after cursor: ProposalID? = nil, limit: Int) throws(StateError) -> [Proposal] {
        let size = min(max(limit, 1), Self.maxPageSize)
        let prefix = [StateKey.Table.proposal.rawValue]
        var lower = prefix
        if let cursor {
            guard cursor < ProposalID.max else { return [] }
            lower = StateKey.proposal(cursor + 1)
        }
        var result: [Proposal] = []
        for row in try state.scan(from: lower, to: StateKey.prefixEnd(prefix), reverse: false, limit: size) {
            do { result.append(try Proposal(canonicalBytes: row.value)) } catch {
                throw StateError(operation: "decode proposal", key: row.key, reason: error.description)
            }
        }
        return result
    }

    /// An account's stake at `round` (the latest checkpoint at or before it, GOV-4).
    public func stake(of account: AccountID, at round: Round) throws(StateError) -> Amount {
        let upper = round == Round.max ? StateKey.prefixEnd(StateKey.key(.stakeCheckpoint) { $0.write(account.raw) })
                                       : StateKey.stakeCheckpoint(account, round + 1)
        guard let row = try state.scan(from: StateKey.stakeCheckpoint(account, 0), to: upper, reverse: true, limit: 1).first else {
            return 0
        }
        do { return try StakeCheckpoint(canonicalBytes: row.value).amount } catch {
            throw StateError(operation: "decode stake checkpoint", key: row.key, reason: error.description)
        }
    }

    /// The parameters.
    public func parameters() throws(StateError) -> Parameters { try RoundExecutor.parameters(in: state) }

    func decode<T: CanonicalDecodable>(_ key: [UInt8]) throws(StateError) -> T? {
        guard let bytes = try state.value(for: key) else { return nil }
        do { return try T(canonicalBytes: bytes) } catch {
            throw StateError(operation: "decode \(T.self)", key: key, reason: error.description)
        }
    }
}
