/// Dispatch of a transaction's action (after the operation fee was charged).
extension ExecutionContext {
    mutating func perform(_ action: Action, sender: AccountID, fee: Amount) throws(ExecutionFailure) {
        switch action {
        case .registerModel(let r): try registerModel(r, sender: sender)
        case .updateModelMetadata(let id, let u): try updateModel(id, u, sender: sender)
        case .transferModelOwnership(let id, let owner): try transferModel(id, to: owner, sender: sender)
        case .submitProposal(let kind): try submitProposal(kind, sender: sender)
        case .vote(let id, let choice): try vote(id, choice, sender: sender)
        case .executeProposal(let id): try executeProposal(id)
        case .recordUsage(let id, let units): try recordUsage(id, units: units, fee: fee, sender: sender)
        case .withdraw(let amount): try withdraw(amount, sender: sender)
        case .deprecateModel(let id): try deprecateOwn(id, sender: sender)
        case .resumeModel(let id): try resume(id, sender: sender)
        }
    }

    /// ADR 0005: charges min(failedTransaction fee, balance, maxFee) outside any layer; returns it.
    mutating func chargeFailure(_ sender: AccountID, maxFee: Amount) throws(StateError) -> Amount {
        var charged: Amount = 0
        _ = try inLayer { (c: inout ExecutionContext) throws(ExecutionFailure) in
            let full = (try? c.fee(.failedTransaction, units: 1)) ?? 0
            let balance = try c.account(sender).balance
            let amount = min(full, balance, maxFee)
            try c.charge(sender, .failedTransaction, amount)
            charged = amount
        }
        return charged
    }
}
