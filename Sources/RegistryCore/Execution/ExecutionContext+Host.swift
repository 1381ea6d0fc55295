/// Host updates carried in the round, applied first in the given order (TX-10).
extension ExecutionContext {
    /// Sets an account's stake (absolute), writes the stake checkpoints of this round (GOV-4) and
    /// compacts the ones no Voting proposal can read any more (GOV-15).
    mutating func setStake(_ id: AccountID, _ stake: Amount) throws(ExecutionFailure) {
        var account = try account(id)
        let total = try counter(Self.totalStakeCounter)
        let newTotal = try add(try sub(total, account.stake, "total stake"), stake, "total stake")
        account.stake = stake
        storeAccount(id, account)
        setCounter(Self.totalStakeCounter, newTotal)
        store(StateKey.stakeCheckpoint(id, round), StakeCheckpoint(stake))
        store(StateKey.totalStakeCheckpoint(round), StakeCheckpoint(newTotal))
        try compactStakeCheckpoints(id)
        emit(.stakeSet(id, stake: stake))
    }

    /// Credits a host deposit to an account's fee account.
    mutating func deposit(_ id: AccountID, _ amount: Amount) throws(ExecutionFailure) {
        let balance = try credit(id, amount)
        var totals = try feeTotals()
        totals.deposited = try add(totals.deposited, amount, "deposited")
        store(StateKey.feeTotals, totals)
        emit(.deposited(id, amount: amount, balance: balance))
    }
}
