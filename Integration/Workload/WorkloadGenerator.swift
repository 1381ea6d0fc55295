import RegistryCore
import Sodium

/// A seeded generator of registry rounds: a genesis with stakers and funded fee accounts, then round
/// after round a realistic mix of signed transactions plus a configurable share of transactions built
/// to fail, each with the result code the generator expects.
///
/// The generator keeps a shadow of the state it caused (accounts' nonces, stakes and rate windows,
/// models with their owners and statuses, proposals with their running tallies, the scheduler's due
/// items) and only builds a transaction when it knows its outcome; where it cannot know, it expects
/// `.any`. The same seed and configuration give the same bytes on every machine: no dictionary or set
/// is ever iterated (D2), only looked up.
public struct WorkloadGenerator: Sendable {
    public let seed: UInt64
    public let configuration: WorkloadConfiguration
    /// The keys of every account (stakers, then users, then unfunded accounts).
    public let keys: KeyRing
    /// The genesis the workload starts from.
    public let genesis: Genesis
    /// The last generated round (0 before the first).
    public internal(set) var round: Round = 0
    /// The transaction factory (nonces of every account the generator signed for).
    public internal(set) var factory: TransactionFactory
    /// Transactions generated so far per kind, in `WorkloadKind.allCases` order.
    public internal(set) var kindCounts: [Int]
    /// False once the generator lost track of state (e.g. the scheduler limit was hit): from then on
    /// every state-dependent transaction expects `.any`.
    public internal(set) var isTracking = true

    var rng: SplitMix64
    var accounts: [ShadowAccount]
    var models: [ShadowModel] = []
    /// Model index by id (lookup only).
    var modelIndex: [ModelID: Int] = [:]
    /// Models by status: index `status.rawValue - 1`; the last bucket holds models of unknown status.
    var byStatus: [IndexBucket] = Array(repeating: IndexBucket(), count: ModelStatus.allCases.count + 1)
    var families: [(name: String, versions: Int, lastModel: Int)] = []
    /// Proposal `id` is at index `id - 1`.
    var proposals: [ShadowProposal] = []
    /// Proposals in Voting, in id order.
    var openProposals: [ProposalID] = []
    /// Passed proposals not executed or expired yet, in id order.
    var passedProposals: [ProposalID] = []
    /// The parameters of the round being generated (GOV-14) and the latest stored ones.
    var params: Parameters
    var storedParams: Parameters
    var totalStake: Amount
    /// Scheduled items per due round (lookup only).
    var due: [Round: [ShadowDue]] = [:]
    var serial: UInt64 = 0
    var roundTransactions: [[UInt8]] = []
    var roundExpectations: [TransactionExpectation] = []

    /// The timestamp of round 0, in Unix milliseconds.
    public static let genesisMillis: UInt64 = 1_700_000_000_000
    static let unknownBucket = ModelStatus.allCases.count

    public init(seed: UInt64, configuration: WorkloadConfiguration = .standard) {
        self.seed = seed
        self.configuration = configuration
        rng = SplitMix64(seed: seed ^ 0x5EED_0F_A1_4E61_5751)
        keys = KeyRing(seed: seed, count: configuration.accountCount)
        factory = TransactionFactory(chainID: configuration.chainID)
        kindCounts = Array(repeating: 0, count: WorkloadKind.allCases.count)
        params = configuration.parameters
        storedParams = configuration.parameters

        var accounts: [ShadowAccount] = []
        var stakes: [Genesis.Allocation] = []
        var balances: [Genesis.Allocation] = []
        var total: Amount = 0
        for index in 0..<configuration.accountCount {
            let id = keys.accounts[index]
            var stake: Amount = 0
            if index < configuration.stakers {
                stake = Self.drawStake(&rng)
                stakes.append(.init(id, stake))
                total += stake
            }
            let funded = index < configuration.stakers + configuration.users
            if funded { balances.append(.init(id, configuration.initialBalance)) }
            accounts.append(ShadowAccount(id: id, balanceFloor: funded ? configuration.initialBalance : 0, stake: stake,
                                          stakeHistory: stake > 0 ? [(Round(0), stake)] : []))
        }
        self.accounts = accounts
        totalStake = total
        genesis = Genesis(chainID: configuration.chainID, parameters: configuration.parameters, stakes: stakes, balances: balances)
    }

    /// A skewed stake between 1,000,000 and 128,000,000: a few stakers hold most of it.
    static func drawStake(_ rng: inout SplitMix64) -> Amount {
        1_000_000 * (UInt64(1) << rng.below(6)) * (1 + rng.below(4))
    }

    // MARK: Rounds

    /// The next round with the configured volume and mix.
    public mutating func nextRound() -> WorkloadRound {
        nextRound(transactions: configuration.transactionsPerRound, mix: configuration.mix,
                  invalidPerMille: configuration.invalidPerMille)
    }

    /// The next round with `transactions` transactions drawn from `mix`, `invalidPerMille` of them
    /// built to fail.
    public mutating func nextRound(transactions: Int, mix: TransactionMix, invalidPerMille: UInt32) -> WorkloadRound {
        round += 1
        params = storedParams
        roundTransactions = []
        roundTransactions.reserveCapacity(transactions)
        roundExpectations = []
        roundExpectations.reserveCapacity(transactions)
        let hostUpdates = makeHostUpdates()
        for _ in 0..<transactions { addTransaction(mix: mix, invalidPerMille: invalidPerMille) }
        closeRound()
        let input = RoundInput(round: round, timestampMillis: Self.genesisMillis + round * configuration.roundMillis,
                               hostUpdates: hostUpdates, transactions: roundTransactions)
        return WorkloadRound(input: input, expectations: roundExpectations)
    }

    /// How many transactions of `kind` were generated so far.
    public func count(of kind: WorkloadKind) -> Int {
        kindCounts[WorkloadKind.allCases.firstIndex(of: kind) ?? 0]
    }

    /// Models registered so far, by the generator's knowledge of their status (nil = unknown).
    public var modelCount: Int { models.count }
    /// Models the generator believes Active.
    public var activeModelCount: Int { byStatus[Int(ModelStatus.active.rawValue) - 1].count }
    /// Whether retiring another Active model keeps the registry mostly Active (at least 8 Active, and
    /// twice as many Active as Deprecated), so usage traffic always has models.
    var mayRetireActiveModel: Bool {
        activeModelCount >= 8 && byStatus[Int(ModelStatus.deprecated.rawValue) - 1].count * 2 < activeModelCount
    }
    /// Models by predicted status, in `ModelStatus.allCases` order, then the models of unknown status.
    public var modelStatusCounts: [Int] { byStatus.map(\.count) }
    /// Proposals submitted so far.
    public var proposalCount: Int { proposals.count }
    /// Proposals by status as the generator predicts them, in `ProposalStatus.allCases` order.
    public var proposalStatusCounts: [Int] {
        ProposalStatus.allCases.map { status in proposals.reduce(0) { $0 + ($1.status == status ? 1 : 0) } }
    }

    // MARK: Host updates

    mutating func makeHostUpdates() -> [HostUpdate] {
        var updates: [HostUpdate] = []
        if configuration.stakers > 0 {
            for _ in 0..<configuration.stakeChangesPerRound {
                let index = Int(rng.below(UInt64(configuration.stakers)))
                let stake: Amount = rng.below(20) == 0 ? 0 : Self.drawStake(&rng)
                setStake(index, stake)
                updates.append(.setStake(accounts[index].id, stake))
            }
        }
        let funded = configuration.stakers + configuration.users
        for index in 0..<funded where accounts[index].balanceFloor < configuration.initialBalance / 2 {
            accounts[index].balanceFloor += configuration.initialBalance
            updates.append(.deposit(accounts[index].id, configuration.initialBalance))
        }
        if funded > 0 {
            for _ in 0..<configuration.depositsPerRound {
                let index = Int(rng.below(UInt64(funded)))
                let amount = 1 + rng.below(1_000_000_000)
                accounts[index].balanceFloor += amount
                updates.append(.deposit(accounts[index].id, amount))
            }
        }
        return updates
    }

    mutating func setStake(_ index: Int, _ stake: Amount) {
        totalStake = totalStake - accounts[index].stake + stake
        accounts[index].stake = stake
        if let last = accounts[index].stakeHistory.last, last.round == round {
            accounts[index].stakeHistory[accounts[index].stakeHistory.count - 1] = (round, stake)
        } else {
            accounts[index].stakeHistory.append((round, stake))
        }
    }

    // MARK: Transactions

    mutating func addTransaction(mix: TransactionMix, invalidPerMille: UInt32) {
        if rng.below(1_000) < UInt64(invalidPerMille) {
            let kind = WorkloadKind.invalidKinds[Int(rng.below(UInt64(WorkloadKind.invalidKinds.count)))]
            if addInvalid(kind) || addInvalid(.badSignature) { return }
        }
        // A category without a candidate (no Active model, no open proposal...) is redrawn a few times,
        // so the feasible categories keep their relative weights.
        let total = mix.total
        if total > 0 {
            for _ in 0..<4 {
                var draw = rng.below(total)
                for category in TransactionMix.validCategories {
                    let weight = UInt64(mix.weight(of: category))
                    if draw < weight {
                        if addValid(category) { return }
                        break
                    }
                    draw -= weight
                }
            }
        }
        if addValid(.registration) { return }
        _ = addValid(.withdrawal)
    }

    /// Records a generated transaction. `stateDependent` expectations become `.any` once the generator
    /// lost track of state.
    mutating func emit(_ tx: [UInt8], _ kind: WorkloadKind, _ code: ResultCode, stateDependent: Bool = true) {
        let expected: ExpectedCode = (!isTracking && stateDependent) ? .any : .exactly(code)
        emit(tx, kind, expected)
    }

    mutating func emit(_ tx: [UInt8], _ kind: WorkloadKind, _ expected: ExpectedCode) {
        roundTransactions.append(tx)
        roundExpectations.append(TransactionExpectation(kind: kind, expected: expected))
        kindCounts[WorkloadKind.allCases.firstIndex(of: kind) ?? 0] += 1
    }

    // MARK: Accounts

    var fundedCount: Int { configuration.stakers + configuration.users }

    /// Whether a funded account passes the rate limit and can pay any fee and a deposit.
    func canSend(_ index: Int) -> Bool {
        guard index < fundedCount else { return false }
        let account = accounts[index]
        let window = round / params.rateLimitWindowRounds
        let count = account.rateWindow == window ? account.rateCount : 0
        return count < params.rateLimitMaxTransactions
            && account.balanceFloor >= configuration.maxFee + params.proposalDeposit + 1_000_000_000
    }

    /// A random sender in `range` that `canSend`, probing from a random start; nil if none.
    mutating func pickSender(_ range: Range<Int>, excluding: Int? = nil) -> Int? {
        guard !range.isEmpty else { return nil }
        let start = Int(rng.below(UInt64(range.count)))
        for step in 0..<min(range.count, 64) {
            let index = range.lowerBound + (start + step) % range.count
            if index != excluding && canSend(index) { return index }
        }
        return nil
    }

    mutating func pickFunded(excluding: Int? = nil) -> Int? { pickSender(0..<fundedCount, excluding: excluding) }

    /// Book-keeping of a transaction that passes admission: the rate window counts it, the fee
    /// account pays at most `maxFee` (plus `extra`, e.g. a deposit or a withdrawal).
    mutating func admitted(_ index: Int, _ tx: [UInt8], extra: Amount = 0) {
        let window = round / params.rateLimitWindowRounds
        if accounts[index].rateWindow != window { accounts[index].rateWindow = window; accounts[index].rateCount = 0 }
        accounts[index].rateCount += 1
        accounts[index].balanceFloor -= min(accounts[index].balanceFloor, configuration.maxFee + extra)
        if accounts[index].replayable == nil || rng.below(4) == 0 {
            accounts[index].replayable = tx
            accounts[index].replayableRound = round
        }
    }

    /// A fresh marker amount that no valid transaction uses (keeps invalid transactions distinct).
    mutating func marker() -> Amount {
        serial += 1
        return 1_000_000_000_000 + serial
    }

    // MARK: Models

    func bucket(_ status: ModelStatus?) -> Int { status.map { Int($0.rawValue) - 1 } ?? Self.unknownBucket }

    mutating func setStatus(_ model: Int, _ status: ModelStatus?) {
        byStatus[bucket(models[model].status)].remove(model)
        models[model].status = status
        byStatus[bucket(status)].insert(model)
    }

    /// A random model with a known status in `statuses` satisfying `extra`, or nil.
    mutating func pickModel(_ statuses: [ModelStatus], where extra: (ShadowModel) -> Bool = { _ in true }) -> Int? {
        let total = statuses.reduce(0) { $0 + byStatus[bucket($1)].count }
        guard total > 0 else { return nil }
        for _ in 0..<8 {
            var draw = Int(rng.below(UInt64(total)))
            for status in statuses {
                let b = byStatus[bucket(status)]
                if draw < b.count {
                    let model = b.items[draw]
                    if extra(models[model]) { return model }
                    break
                }
                draw -= b.count
            }
        }
        return nil
    }

    static let allKnown: [ModelStatus] = ModelStatus.allCases
    static let notRevoked: [ModelStatus] = ModelStatus.allCases.filter { $0 != .revoked }
}
