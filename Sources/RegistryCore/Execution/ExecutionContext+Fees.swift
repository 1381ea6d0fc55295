/// Fee computation, charging and statistics (Docs/spec/transactions.md TX-6…TX-9, tables 0x30–0x33).
extension ExecutionContext {
    /// The fee of `operation` for `units` under this round's fee table.
    func fee(_ operation: FeeOperation, units: UInt64) throws(ExecutionFailure) -> Amount {
        switch params.feeTable.schedule(for: operation).fee(units: units) {
        case .success(let amount): return amount
        case .failure(let error): throw reject(.arithmeticOverflow, "fee of \(operation) for \(units) units: \(error)")
        }
    }

    /// Rent for `rounds` rounds of a model (units: rounds × MiB, at least one round).
    func rentFee(rounds: UInt64, sizeBytes: UInt64) throws(ExecutionFailure) -> Amount {
        guard let units = FeeOperation.rentUnits(roundsElapsed: max(1, rounds), modelSizeBytes: sizeBytes) else {
            throw reject(.arithmeticOverflow, "rent units")
        }
        return try fee(.rent, units: units)
    }

    /// Debits `amount` from `payer`'s fee account and records it as collected by the treasury, with
    /// statistics by operation, account and model. Zero amounts record nothing.
    mutating func charge(_ payer: AccountID, _ operation: FeeOperation, _ amount: Amount, model: ModelID? = nil) throws(ExecutionFailure) {
        guard amount > 0 else { return }
        var account = try account(payer)
        guard account.balance >= amount else {
            throw reject(.insufficientBalance, "balance \(account.balance) < fee \(amount)")
        }
        account.balance -= amount
        storeAccount(payer, account)
        try recordCollected(payer, operation, amount, model: model)
        emit(.feeCharged(payer, operation: operation, amount: amount))
    }

    /// Statistics and totals of a collected fee (the debit is done by the caller).
    mutating func recordCollected(_ payer: AccountID, _ operation: FeeOperation, _ amount: Amount, model: ModelID?) throws(ExecutionFailure) {
        let opKey = StateKey.feeStatsByOperation(operation.rawValue)
        let byOp: FeeStatistics = try load(opKey) ?? FeeStatistics()
        guard let newOp = byOp.adding(amount) else { throw reject(.arithmeticOverflow, "fee statistics by operation") }
        store(opKey, newOp)
        let accKey = StateKey.feeStatsByAccount(payer)
        let byAcc: FeeStatistics = try load(accKey) ?? FeeStatistics()
        guard let newAcc = byAcc.adding(amount) else { throw reject(.arithmeticOverflow, "fee statistics by account") }
        store(accKey, newAcc)
        if let model {
            let modelKey = StateKey.feeStatsByModel(model)
            let byModel: FeeStatistics = try load(modelKey) ?? FeeStatistics()
            guard let newModel = byModel.adding(amount) else { throw reject(.arithmeticOverflow, "fee statistics by model") }
            store(modelKey, newModel)
        }
        var totals = try feeTotals()
        totals.collected = try add(totals.collected, amount, "collected fees")
        totals.treasury = try add(totals.treasury, amount, "treasury")
        store(StateKey.feeTotals, totals)
    }

    /// Credits `amount` to an account's fee account.
    mutating func credit(_ id: AccountID, _ amount: Amount) throws(ExecutionFailure) -> Amount {
        var account = try account(id)
        account.balance = try add(account.balance, amount, "balance")
        storeAccount(id, account)
        return account.balance
    }
}
