import Foundation
import RegistryCore

extension ProposalKind {
    /// The kind's case name as it appears in `Proposal.kind` (e.g. `approveModel`).
    public var name: String {
        switch self {
        case .approveModel: return "approveModel"
        case .rejectModel: return "rejectModel"
        case .deprecateModel: return "deprecateModel"
        case .emergencyRevoke: return "emergencyRevoke"
        case .changeFeeSchedule: return "changeFeeSchedule"
        case .changeParameter: return "changeParameter"
        case .text: return "text"
        }
    }
}

extension VoteChoice {
    /// `yes`, `no`, `abstain` or `veto`.
    public var name: String { String(describing: self) }
}

extension AiRegistry_V1_Tally {
    /// The decoded view of a running tally.
    public init(_ tally: TallyCounts) {
        self.init()
        yes = tally.yes
        no = tally.no
        abstain = tally.abstain
        veto = tally.veto
    }
}

extension AiRegistry_V1_Proposal {
    /// The decoded view of a stored proposal; `kind_data` carries the canonical `ProposalKind` bytes.
    public init(_ proposal: Proposal) {
        self.init()
        id = proposal.id
        proposer = Data(proposal.proposer.bytes)
        kind = proposal.kind.name
        kindData = Data(proposal.kind.canonicalBytes())
        if let model = proposal.kind.modelID { modelID = Data(model.bytes) }
        status = proposal.status.name
        submittedAt = proposal.submittedAt
        votingEnd = proposal.votingEnd
        executionDeadline = proposal.executionDeadline
        deposit = proposal.deposit
        tally = AiRegistry_V1_Tally(proposal.tally)
        totalEligible = proposal.totalEligible
        if let decided = proposal.decidedAt { decidedAt = decided }
        if let executed = proposal.executedAt { executedAt = executed }
        failureCode = proposal.failureCode
        if case .text(let body) = proposal.kind { text = body }
    }
}

extension AiRegistry_V1_Vote {
    /// The decoded view of a voter's effective vote on a proposal.
    public init(proposalID: ProposalID, voter: AccountID, vote: Vote) {
        self.init()
        self.proposalID = proposalID
        self.voter = Data(voter.bytes)
        choice = vote.choice.name
        weight = vote.weight
        round = vote.round
    }
}
