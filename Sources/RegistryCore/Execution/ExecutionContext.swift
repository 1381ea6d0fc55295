import Sodium

/// The mutable state of one round's execution: the overlay, the round's parameters (loaded once, GOV-14),
/// and the events emitted so far. Internal: the public entry points are `RoundExecutor` and `Genesis`.
struct ExecutionContext {
    var state: StateOverlay
    let params: Parameters
    let round: Round
    let timestampMillis: UInt64
    /// Events of the current step (a transaction, a host update or a scheduled item).
    var pending: [RegistryEvent] = []

    init(state: StateOverlay, params: Parameters, round: Round, timestampMillis: UInt64) {
        self.state = state; self.params = params; self.round = round; self.timestampMillis = timestampMillis
    }

    // MARK: Raw access

    func raw(_ key: [UInt8]) throws(ExecutionFailure) -> [UInt8]? {
        do { return try state.value(for: key) } catch { throw .infrastructure(error) }
    }

    func scan(from lower: [UInt8], to upper: [UInt8], reverse: Bool = false, limit: Int) throws(ExecutionFailure) -> [KeyValue] {
        do { return try state.scan(from: lower, to: upper, reverse: reverse, limit: limit) } catch { throw .infrastructure(error) }
    }

    /// Decodes a stored value; corrupt state is an infrastructure failure (never a trap).
    func load<T: CanonicalDecodable>(_ key: [UInt8], as type: T.Type = T.self) throws(ExecutionFailure) -> T? {
        guard let bytes = try raw(key) else { return nil }
        do { return try T(canonicalBytes: bytes) } catch {
            throw .infrastructure(StateError(operation: "decode \(T.self)", key: key, reason: error.description))
        }
    }

    mutating func store<T: CanonicalEncodable>(_ key: [UInt8], _ value: T) { state.put(key, value.canonicalBytes()) }

    /// `load` for the records the overlay keeps decoded for the round (`OverlayRecord`): a record
    /// written earlier in the round is returned as is, without decoding its bytes.
    func load<T: OverlayRecord>(_ key: [UInt8], as type: T.Type = T.self) throws(ExecutionFailure) -> T? {
        let entry: OverlayValue?
        do { entry = try state.entry(for: key) } catch { throw .infrastructure(error) }
        guard let entry else { return nil }
        if let value = T.decoded(from: entry) { return value }
        guard let bytes = entry.encoded else { return nil }
        do { return try T(canonicalBytes: bytes) } catch {
            throw .infrastructure(StateError(operation: "decode \(T.self)", key: key, reason: error.description))
        }
    }

    /// `store` for `OverlayRecord`s: kept decoded, encoded once when the round's writes are taken.
    mutating func store<T: OverlayRecord>(_ key: [UInt8], _ value: T) { state.put(key, record: value) }

    mutating func emit(_ event: RegistryEvent) { pending.append(event) }

    // MARK: Typed access

    func account(_ id: AccountID) throws(ExecutionFailure) -> Account { try load(StateKey.account(id)) ?? Account() }
    mutating func storeAccount(_ id: AccountID, _ account: Account) { store(StateKey.account(id), account) }

    func model(_ id: ModelID) throws(ExecutionFailure) -> Model {
        guard let model: Model = try load(StateKey.model(id)) else { throw reject(.unknownModel, "model \(id)") }
        return model
    }

    func proposal(_ id: ProposalID) throws(ExecutionFailure) -> Proposal {
        guard let p: Proposal = try load(StateKey.proposal(id)) else { throw reject(.unknownProposal, "proposal \(id)") }
        return p
    }

    func feeTotals() throws(ExecutionFailure) -> FeeTotals { try load(StateKey.feeTotals) ?? FeeTotals() }
    func statistics() throws(ExecutionFailure) -> RegistryStatistics { try load(StateKey.registryStatistics) ?? RegistryStatistics() }

    func counter(_ name: String) throws(ExecutionFailure) -> UInt64 {
        let c: Counter? = try load(StateKey.counter(name))
        return c?.value ?? 0
    }
    mutating func setCounter(_ name: String, _ value: UInt64) { store(StateKey.counter(name), Counter(value)) }

    /// Checked arithmetic that turns overflow into a rejection (D3).
    func add(_ a: UInt64, _ b: UInt64, _ what: String) throws(ExecutionFailure) -> UInt64 {
        guard let v = CheckedMath.add(a, b) else { throw reject(.arithmeticOverflow, "\(what) overflows") }
        return v
    }
    func sub(_ a: UInt64, _ b: UInt64, _ what: String) throws(ExecutionFailure) -> UInt64 {
        guard let v = CheckedMath.subtract(a, b) else { throw reject(.arithmeticOverflow, "\(what) underflows") }
        return v
    }

    // MARK: Steps in their own layer

    /// Runs `body` in a transaction layer: kept on success, dropped with its events on rejection.
    /// Returns the rejection, if any. Infrastructure failures propagate.
    mutating func inLayer(_ body: (inout ExecutionContext) throws(ExecutionFailure) -> Void) throws(StateError) -> (ResultCode, String)? {
        state.beginTransaction()
        let mark = pending.count
        do {
            try body(&self)
            state.commitTransaction()
            return nil
        } catch {
            state.discardTransaction()
            pending.removeSubrange(mark...)
            switch error {
            case .reject(let code, let log): return (code, log)
            case .infrastructure(let e): throw e
            }
        }
    }
}
