import RegistryCore
import Sodium

/// What the generator knows of an account.
struct ShadowAccount: Sendable {
    let id: AccountID
    /// A lower bound of the fee-account balance (fees are bounded by `maxFee`; refunds are ignored).
    var balanceFloor: Amount
    /// The current stake.
    var stake: Amount
    /// Stake checkpoints (round, stake), increasing rounds.
    var stakeHistory: [(round: Round, amount: Amount)]
    /// The rate-limit window of the last admitted transaction and its count.
    var rateWindow: UInt64 = 0
    var rateCount: UInt64 = 0
    /// Proposals in Voting submitted by the account.
    var openProposals: UInt64 = 0
    /// An admitted transaction of an earlier round (for replays) and its round.
    var replayable: [UInt8]?
    var replayableRound: Round = 0

    func stake(at round: Round) -> Amount {
        for entry in stakeHistory.reversed() where entry.round <= round { return entry.amount }
        return 0
    }
}

/// What the generator knows of a model. `status == nil` means the generator lost track (it then
/// expects "any code" of transactions whose outcome depends on the status).
struct ShadowModel: Sendable {
    let id: ModelID
    let name: String
    let version: String
    let registration: ModelRegistration
    var owner: Int
    var status: ModelStatus?
    /// The round rent is paid through (set at activation).
    var rentPaidThrough: Round = 0
    /// An approval or rejection proposal targets it and is not settled.
    var decisionInFlight = false
    /// A deprecation or revocation proposal targets it and is not settled.
    var removalInFlight = false
}

/// What the vote choices were aimed at (a bias only: the tally is computed exactly).
enum VoteTarget: Sendable {
    case pass, reject, veto, noQuorum

    /// The share of the eligible stake that should vote, in basis points.
    var turnoutGoalBps: UInt64 {
        switch self {
        case .pass, .reject, .veto: return 6_000
        case .noQuorum: return 1_000
        }
    }
}

/// What the generator knows of a proposal.
struct ShadowProposal: Sendable {
    let id: ProposalID
    let proposer: Int
    let kind: ProposalKind
    let submittedAt: Round
    let votingEnd: Round
    let executionDeadline: Round
    let totalEligible: Amount
    let target: VoteTarget
    var tally = TallyCounts.zero
    /// Effective vote per voter index (lookup only).
    var votes: [Int: (choice: VoteChoice, weight: Amount)] = [:]
    /// Voters in the order they first voted (for deterministic picks).
    var voters: [Int] = []
    var status: ProposalStatus = .voting
    /// Passed but left unexecuted on purpose, so it expires (GOV-10).
    var neglected = false

    var voted: UInt128 { tally.voted }
}

/// A scheduled item the generator expects the executor to fire (SCH-2).
enum ShadowDue: Sendable {
    case activation(Int)
    case deactivation(Int)
    case tally(ProposalID)
    case expiry(ProposalID)
    case rent(Int)

    /// The queue number (`DueQueue.Kind`), the first sort key of a round's items.
    var queue: UInt8 {
        switch self {
        case .activation: return DueQueue.Kind.activation.rawValue
        case .deactivation: return DueQueue.Kind.deactivation.rawValue
        case .tally: return DueQueue.Kind.proposalTally.rawValue
        case .expiry: return DueQueue.Kind.proposalExpiry.rawValue
        case .rent: return DueQueue.Kind.rentCollection.rawValue
        }
    }
}
