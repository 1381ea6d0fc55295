import Sodium

/// Executes a round over committed state and returns its outcome; writes nothing itself (D1, D5, D8).
///
/// Order (TX-10): host updates in order; transactions in order; then the scheduled items due at or
/// before the round (SCH-2). Parameters are read once at the start of the round (GOV-14).
public struct RoundExecutor: Sendable {
    public let chainID: String

    public init(chainID: String) { self.chainID = chainID }

    /// The round's parameters; missing parameters mean genesis never ran (an infrastructure failure).
    public static func parameters(in state: any StateReader) throws(StateError) -> Parameters {
        guard let bytes = try state.value(for: StateKey.parameters) else {
            throw StateError(operation: "load parameters", key: StateKey.parameters, reason: "missing (no genesis)")
        }
        let params: Parameters
        do { params = try Parameters(canonicalBytes: bytes) } catch {
            throw StateError(operation: "decode parameters", key: StateKey.parameters, reason: error.description)
        }
        // Stored parameters were validated when written; a value outside its bounds is corruption.
        guard params.isValid else {
            throw StateError(operation: "validate parameters", key: StateKey.parameters, reason: "out of bounds")
        }
        return params
    }

    /// Executes `input` over `state`. `prepared`, when given, must hold one `TransactionPreparer.prepare`
    /// result per transaction (any other count is ignored); results are identical either way.
    public func execute(_ input: RoundInput, state: any StateReader, prepared: [PreparedTransaction]? = nil) throws(StateError) -> RoundOutcome {
        let source = prepared.flatMap { $0.count == input.transactions.count ? PreparedArraySource(values: $0) : nil }
        return try execute(input, state: state, preparedSource: source)
    }

    /// The round loop; transaction `i`'s preparation comes from `preparedSource` when given (one pull per index, in order).
    func execute<Source: PreparedTransactionSource>(_ input: RoundInput, state: any StateReader,
                                                    preparedSource: Source?) throws(StateError) -> RoundOutcome {
        let params = try Self.parameters(in: state)
        var ctx = ExecutionContext(state: StateOverlay(base: state), params: params, round: input.round,
                                   timestampMillis: input.timestampMillis)
        let totalsBefore = try unwrap { () throws(ExecutionFailure) in try ctx.feeTotals() }
        var events: [RegistryEvent] = []

        for update in input.hostUpdates {
            let failure = try ctx.inLayer { (c: inout ExecutionContext) throws(ExecutionFailure) in
                switch update {
                case .setStake(let a, let v): try c.setStake(a, v)
                case .deposit(let a, let v): try c.deposit(a, v)
                }
            }
            if let (code, _) = failure {
                switch update {
                case .setStake(let a, _), .deposit(let a, _): ctx.emit(.hostUpdateRejected(a, code: code))
                }
            }
            events.append(contentsOf: ctx.pending); ctx.pending.removeAll()
        }

        var seen = Set<Digest256>()
        var results: [TransactionResult] = []
        results.reserveCapacity(input.transactions.count)
        for (index, bytes) in input.transactions.enumerated() {
            var tx: PreparedTransaction
            // A prepared entry is used only if it was made from these bytes, for this chain, with this
            // round's size limit (no re-hash needed: `PreparedTransaction.belongs` says why).
            if let p = preparedSource?.prepared(at: index),
               p.belongs(to: bytes, chainID: chainID, maxBytes: params.maxTransactionBytes) {
                tx = p
            } else {
                tx = TransactionPreparer.prepare(bytes, chainID: chainID, maxBytes: params.maxTransactionBytes)
            }
            var (code, fee, log) = (ResultCode.ok, Amount(0), "")
            if !seen.insert(tx.txID).inserted {
                (code, log) = (.duplicateTransaction, "txID seen in round")
            } else {
                (code, fee, log) = try apply(tx, &ctx)
            }
            results.append(TransactionResult(txID: tx.txID, code: code, feeCharged: fee, firstEvent: UInt32(events.count),
                                             eventCount: UInt32(ctx.pending.count), log: log))
            events.append(contentsOf: ctx.pending); ctx.pending.removeAll()
        }

        let due = try unwrap { () throws(ExecutionFailure) in try ctx.dueItems() }
        for item in due { try ctx.fire(item) }
        events.append(contentsOf: ctx.pending); ctx.pending.removeAll()

        let totalsAfter = try unwrap { () throws(ExecutionFailure) in try ctx.feeTotals() }
        return RoundOutcome(round: input.round, writes: ctx.state.sortedWrites(), results: results, events: events,
                            fees: RoundFeeSummary(before: totalsBefore, after: totalsAfter))
    }

    /// The envelope checks after preparation (TX-5…TX-7) and the action; returns (code, fee, log).
    func apply(_ tx: PreparedTransaction, _ ctx: inout ExecutionContext) throws(StateError) -> (ResultCode, Amount, String) {
        if let failure = tx.failure { return (failure, 0, tx.log) }
        guard let sender = tx.sender, let body = tx.body else { return (.malformedTransaction, 0, "internal") }
        let envelope = try unwrap { () throws(ExecutionFailure) in try Self.admission(body, sender, ctx, exactNonce: true) }
        var account: Account
        let fee: Amount?
        switch envelope {
        case .failure(let code, let log): return (code, 0, log)
        case .admitted(let a, let f): account = a; fee = f
        }
        // Past the envelope: the nonce advances and the rate window counts, whatever happens next.
        guard account.nonce < UInt64.max else { return (.staleNonce, 0, "nonce exhausted") }
        account.nonce += 1
        ctx.storeAccount(sender, account)
        let windowLength = ctx.params.rateLimitWindowRounds
        let window = ctx.round / windowLength
        let rw: RateWindow? = try unwrap { () throws(ExecutionFailure) in try ctx.load(StateKey.rateWindow(sender)) }
        let count = (rw?.window == window ? rw!.count : 0) + 1
        ctx.store(StateKey.rateWindow(sender), RateWindow(window: window, count: count))

        let operation = body.action.feeOperation
        let failure = try ctx.inLayer { (c: inout ExecutionContext) throws(ExecutionFailure) in
            guard let fee else { throw reject(.arithmeticOverflow, "fee of \(operation)") }
            try c.charge(sender, operation, fee, model: Self.model(of: body.action))
            try c.perform(body.action, sender: sender, fee: fee)
        }
        guard let (code, log) = failure else { return (.ok, fee ?? 0, "") }
        // ADR 0005: a well-signed failing transaction pays the failedTransaction fee, capped.
        let charged = try ctx.chargeFailure(sender, maxFee: body.maxFee)
        return (code, charged, log)
    }

    static func model(of action: Action) -> ModelID? {
        switch action {
        case .updateModelMetadata(let id, _), .transferModelOwnership(let id, _), .recordUsage(let id, _),
             .deprecateModel(let id), .resumeModel(let id): return id
        case .registerModel(let r): return ModelID(name: r.name, version: r.version)
        default: return nil
        }
    }

    enum Admission {
        case failure(ResultCode, String)
        /// The account and the operation fee (nil when the fee overflows: the action fails, ADR 0005).
        case admitted(Account, Amount?)
    }

    /// Nonce, rate limit, fee limit and fee balance (TX-5…TX-7, RL-2).
    static func admission(_ body: TransactionBody, _ sender: AccountID, _ ctx: ExecutionContext, exactNonce: Bool) throws(ExecutionFailure) -> Admission {
        let account = try ctx.account(sender)
        if body.nonce < account.nonce { return .failure(.staleNonce, "nonce \(body.nonce) < \(account.nonce)") }
        if exactNonce && body.nonce > account.nonce { return .failure(.futureNonce, "nonce \(body.nonce) > \(account.nonce)") }
        let window = ctx.round / ctx.params.rateLimitWindowRounds
        if let rw: RateWindow = try ctx.load(StateKey.rateWindow(sender)), rw.window == window,
           rw.count >= ctx.params.rateLimitMaxTransactions {
            return .failure(.rateLimited, "\(rw.count) txs in window \(window)")
        }
        let fee: Amount?
        do { fee = try ctx.fee(body.action.feeOperation, units: body.action.feeUnits) } catch {
            if case .infrastructure = error { throw error }
            fee = nil
        }
        if let fee {
            if fee > body.maxFee { return .failure(.feeLimitExceeded, "fee \(fee) > maxFee \(body.maxFee)") }
            if fee > account.balance { return .failure(.insufficientFeeBalance, "balance \(account.balance) < fee \(fee)") }
        }
        return .admitted(account, fee)
    }

    /// CheckTx (TX-11): envelope, nonce (stale refused; future admitted for the mempool), rate limit, fee
    /// limit and balance against committed state. No writes.
    public func check(_ tx: [UInt8], state: any StateReader) throws(StateError) -> ResultCode {
        let params = try Self.parameters(in: state)
        let prepared = TransactionPreparer.prepare(tx, chainID: chainID, maxBytes: params.maxTransactionBytes)
        if let failure = prepared.failure { return failure }
        guard let sender = prepared.sender, let body = prepared.body else { return .malformedTransaction }
        // The next round is unknown here, so the rate window is not checked (RL-3): the round refuses it.
        let ctx = ExecutionContext(state: StateOverlay(base: state), params: params, round: Round.max, timestampMillis: 0)
        let result = try unwrap { () throws(ExecutionFailure) in try Self.admission(body, sender, ctx, exactNonce: false) }
        if case .failure(let code, _) = result { return code }
        return .ok
    }
}

/// Runs a context step whose rejections cannot happen (reads only), surfacing infrastructure failures.
func unwrap<T>(_ body: () throws(ExecutionFailure) -> T) throws(StateError) -> T {
    do { return try body() } catch {
        switch error {
        case .infrastructure(let e): throw e
        case .reject(let code, let log):
            throw StateError(operation: "internal step", key: [], reason: "unexpected rejection \(code.name): \(log)")
        }
    }
}
