import RegistryCore

/// The shape of a generated workload: accounts, volume, mix, share of invalid transactions and the
/// chain's genesis parameters (short governance periods so proposals complete within a test).
public struct WorkloadConfiguration: Equatable, Sendable {
    public var chainID: String
    /// Accounts with stake (they propose and vote) and a funded fee account.
    public var stakers: Int
    /// Accounts with a funded fee account and no stake.
    public var users: Int
    /// Accounts that never receive funds (their transactions fail admission).
    public var unfunded: Int
    /// Transactions per round.
    public var transactionsPerRound: Int
    /// Share of transactions built to fail, per mille.
    public var invalidPerMille: UInt32
    /// Weights of the valid categories.
    public var mix: TransactionMix
    /// Host `setStake` updates per round.
    public var stakeChangesPerRound: Int
    /// Host deposits per round (besides automatic top-ups of low fee accounts).
    public var depositsPerRound: Int
    /// The genesis balance of each funded account, and the amount of a top-up deposit.
    public var initialBalance: Amount
    /// The `maxFee` of every transaction meant to pass admission.
    public var maxFee: Amount
    /// The genesis parameters.
    public var parameters: Parameters
    /// Milliseconds between round timestamps.
    public var roundMillis: UInt64

    public init(chainID: String = "ai-registry-workload", stakers: Int = 32, users: Int = 160, unfunded: Int = 8,
                transactionsPerRound: Int = 100, invalidPerMille: UInt32 = 150, mix: TransactionMix = .realistic,
                stakeChangesPerRound: Int = 2, depositsPerRound: Int = 2, initialBalance: Amount = 100_000_000_000_000,
                maxFee: Amount = 10_000_000_000, parameters: Parameters = WorkloadConfiguration.shortPeriods,
                roundMillis: UInt64 = 200) {
        self.chainID = chainID; self.stakers = stakers; self.users = users; self.unfunded = unfunded
        self.transactionsPerRound = transactionsPerRound; self.invalidPerMille = invalidPerMille; self.mix = mix
        self.stakeChangesPerRound = stakeChangesPerRound; self.depositsPerRound = depositsPerRound
        self.initialBalance = initialBalance; self.maxFee = maxFee; self.parameters = parameters
        self.roundMillis = roundMillis
    }

    /// The defaults with the shortest governance periods the bounds allow, so a proposal is tallied 12
    /// rounds after submission and expires 20 rounds later; rent every 50 rounds; at most 20
    /// transactions per account per 10 rounds (a busy account hits the limit).
    public static var shortPeriods: Parameters {
        var p = Parameters.defaults
        p.votingPeriodRounds = 12
        p.emergencyVotingPeriodRounds = 10
        p.executionDeadlineRounds = 20
        p.rentPeriodRounds = 50
        p.rentGraceRounds = 20
        p.proposalDeposit = 100_000_000
        p.maxOpenProposalsPerProposer = 4
        p.rateLimitWindowRounds = 10
        p.rateLimitMaxTransactions = 20
        return p
    }

    /// The default workload (about 100 transactions a round, 15 % invalid).
    public static let standard = WorkloadConfiguration()

    /// A benchmark workload: many accounts, mostly valid transactions, rate limits out of the way.
    public static func benchmark(transactionsPerRound: Int) -> WorkloadConfiguration {
        var p = shortPeriods
        p.rateLimitMaxTransactions = 1_000_000
        p.maxScheduledItemsPerRound = 10_000
        p.maxOpenProposalsPerProposer = 20
        return WorkloadConfiguration(stakers: 64, users: 4_000, unfunded: 8, transactionsPerRound: transactionsPerRound,
                                     invalidPerMille: 20, stakeChangesPerRound: 4, depositsPerRound: 8, parameters: p)
    }

    /// The total number of keys the generator derives.
    public var accountCount: Int { stakers + users + unfunded }
}
