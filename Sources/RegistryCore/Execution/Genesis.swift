/// The initial state (InitChain): parameters, stakes and balances (TX-12).
public struct Genesis: Equatable, Sendable {
    public struct Allocation: Equatable, Sendable {
        public let account: AccountID
        public let amount: Amount
        public init(_ account: AccountID, _ amount: Amount) { self.account = account; self.amount = amount }
    }

    /// Why a genesis is refused.
    public enum GenesisError: Error, Equatable, Sendable {
        case invalidChainID
        case invalidParameters
        case duplicateAccount(AccountID)
        case overflow
    }

    public var chainID: String
    public var parameters: Parameters
    public var stakes: [Allocation]
    public var balances: [Allocation]

    public init(chainID: String, parameters: Parameters = .defaults, stakes: [Allocation] = [], balances: [Allocation] = []) {
        self.chainID = chainID; self.parameters = parameters; self.stakes = stakes; self.balances = balances
    }

    /// The writes of round 0, sorted by key. Stake checkpoints are written at round 0.
    public func writes() throws(GenesisError) -> [StateWrite] {
        guard !chainID.isEmpty, chainID.utf8.count <= Limits.maxChainIDLength,
              Validation.isText(chainID, limit: Limits.maxChainIDLength, required: true) else { throw .invalidChainID }
        guard parameters.isValid else { throw .invalidParameters }
        var accounts: [AccountID: Account] = [:]
        var total: Amount = 0
        var deposited: Amount = 0
        for s in stakes {
            guard accounts[s.account] == nil else { throw .duplicateAccount(s.account) }
            accounts[s.account] = Account(stake: s.amount)
            guard let t = CheckedMath.add(total, s.amount) else { throw .overflow }
            total = t
        }
        var seenBalance = Set<AccountID>()
        for b in balances {
            guard seenBalance.insert(b.account).inserted else { throw .duplicateAccount(b.account) }
            var a = accounts[b.account] ?? Account()
            a.balance = b.amount
            accounts[b.account] = a
            guard let d = CheckedMath.add(deposited, b.amount) else { throw .overflow }
            deposited = d
        }
        var writes: [StateWrite] = [
            StateWrite(key: StateKey.parameters, value: parameters.canonicalBytes()),
            StateWrite(key: StateKey.feeTotals, value: FeeTotals(deposited: deposited).canonicalBytes()),
            StateWrite(key: StateKey.registryStatistics, value: RegistryStatistics().canonicalBytes()),
            StateWrite(key: StateKey.counter(ExecutionContext.totalStakeCounter), value: Counter(total).canonicalBytes()),
            StateWrite(key: StateKey.totalStakeCheckpoint(0), value: StakeCheckpoint(total).canonicalBytes()),
        ]
        for id in accounts.keys.sorted() {
            let account = accounts[id]!
            writes.append(StateWrite(key: StateKey.account(id), value: account.canonicalBytes()))
            if account.stake > 0 {
                writes.append(StateWrite(key: StateKey.stakeCheckpoint(id, 0), value: StakeCheckpoint(account.stake).canonicalBytes()))
            }
        }
        ByteOrder.sort(&writes)
        return writes
    }
}
