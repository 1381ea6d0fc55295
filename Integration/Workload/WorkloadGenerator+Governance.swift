import RegistryCore
import Sodium

/// Proposals, votes and executions, with the shadow tally (GOV-*).
extension WorkloadGenerator {
    /// A staker allowed to propose now: enough stake, fewer open proposals than the limit.
    mutating func pickProposer() -> Int? {
        guard configuration.stakers > 0 else { return nil }
        let start = Int(rng.below(UInt64(configuration.stakers)))
        for step in 0..<configuration.stakers {
            let index = (start + step) % configuration.stakers
            let account = accounts[index]
            if account.stake >= params.minProposerStake, account.openProposals < params.maxOpenProposalsPerProposer,
               canSend(index) { return index }
        }
        return nil
    }

    static let feeChangeOperations: [FeeOperation] = [.registration, .metadataUpdate, .ownershipTransfer, .proposal, .vote,
                                                      .usage, .withdrawal, .proposalExecution]

    /// A change of `schedule` by `bps` of each value (up when `up`), within the ±20 % rule when bps ≤ 2,000.
    static func scaled(_ schedule: FeeSchedule, bps: UInt64, up: Bool) -> FeeSchedule {
        func f(_ v: UInt64) -> UInt64 {
            let delta = UInt64((UInt128(v) * UInt128(bps)) / 10_000)
            return up ? v + delta : v - delta
        }
        let method: FeeMethod
        switch schedule.method {
        case .fixed(let a): method = .fixed(f(a))
        case .linear(let b, let p): method = .linear(base: f(b), perUnit: f(p))
        case .logarithmic(let b, let c): method = .logarithmic(base: f(b), coefficient: f(c))
        case .step(let tiers): method = .step(tiers: tiers.map { FeeTier(upToUnits: $0.upToUnits, amount: f($0.amount)) })
        }
        return FeeSchedule(method: method, minimum: f(schedule.minimum), maximum: f(schedule.maximum))
    }

    /// A valid fee change: moves the schedule towards its default (so fees stay near the defaults).
    mutating func feeChange() -> ProposalKind? {
        let op = ModelCatalog.pick(Self.feeChangeOperations, &rng)
        let current = params.feeTable.schedule(for: op)
        let up = current.maximum <= FeeTable.defaults.schedule(for: op).maximum
        let proposed = Self.scaled(current, bps: 500 + rng.below(1_501), up: up)
        guard current.validateChange(to: proposed, maxChangeBps: 2_000) == nil,
              params.feeTable.replacing(op, with: proposed).validate() == nil else { return nil }
        return .changeFeeSchedule(op, proposed)
    }

    /// A valid parameter change among parameters whose effect the generator follows.
    mutating func parameterChange() -> ProposalKind? {
        let choices: [(ParameterID, ClosedRange<UInt64>)] = [
            (.usageOwnerShareBps, 5_000...9_000), (.proposalDeposit, 10_000_000...500_000_000),
            (.rentGraceRounds, 10...100), (.quorumBps, 2_500...4_000), (.maxOpenProposalsPerProposer, 3...6),
        ]
        let (id, range) = ModelCatalog.pick(choices, &rng)
        let value = range.lowerBound + rng.below(range.upperBound - range.lowerBound + 1)
        guard params.setting(id, to: value) != nil else { return nil }
        return .changeParameter(id, value)
    }

    mutating func drawTarget() -> VoteTarget {
        switch rng.below(100) {
        case 0..<70: return .pass
        case 70..<82: return .reject
        case 82..<90: return .veto
        default: return .noQuorum
        }
    }

    mutating func addProposal() -> Bool {
        guard let proposer = pickProposer() else { return false }
        var kind: ProposalKind?
        var label = WorkloadKind.proposeText
        switch rng.below(100) {
        case 0..<55:
            if let m = pickModel([.pending], where: { !$0.decisionInFlight }) {
                kind = .approveModel(models[m].id, activationRound: rng.below(3) == 0 ? 0 : round + rng.below(6))
                label = .proposeApprove
                models[m].decisionInFlight = true
            }
        case 55..<61:
            if let m = pickModel([.pending], where: { !$0.decisionInFlight }) {
                kind = .rejectModel(models[m].id); label = .proposeReject
                models[m].decisionInFlight = true
            }
        case 61..<67:
            if activeModelCount >= 8, let m = pickModel([.active], where: { !$0.removalInFlight }) {
                kind = .deprecateModel(models[m].id, round: round + rng.below(10)); label = .proposeDeprecate
                models[m].removalInFlight = true
            }
        case 67..<70:
            if let m = pickModel(Self.notRevoked, where: { !$0.removalInFlight }) {
                kind = .emergencyRevoke(models[m].id); label = .proposeRevoke
                models[m].removalInFlight = true
            }
        case 70..<78:
            if let k = feeChange() { kind = k; label = .proposeFeeChange }
        case 78..<86:
            if let k = parameterChange() { kind = k; label = .proposeParameter }
        default:
            break
        }
        let finalKind = kind ?? .text("Proposal \(serial + 1): \(ModelCatalog.sentence(&rng, words: 6))")
        if kind == nil { serial += 1; label = .proposeText }
        submit(finalKind, by: proposer, label: label)
        return true
    }

    /// Emits a submission expected to succeed and opens the shadow proposal.
    mutating func submit(_ kind: ProposalKind, by proposer: Int, label: WorkloadKind) {
        let tx = factory.submitProposal(kind, by: keys[proposer], maxFee: configuration.maxFee)
        let id = ProposalID(proposals.count + 1)
        let period = kind.isEmergency ? params.emergencyVotingPeriodRounds : params.votingPeriodRounds
        let votingEnd = round + period
        proposals.append(ShadowProposal(id: id, proposer: proposer, kind: kind, submittedAt: round, votingEnd: votingEnd,
                                        executionDeadline: votingEnd + params.executionDeadlineRounds,
                                        totalEligible: totalStake, target: drawTarget()))
        openProposals.append(id)
        accounts[proposer].openProposals += 1
        schedule(.tally(id), at: votingEnd)
        admitted(proposer, tx, extra: params.proposalDeposit)
        emit(tx, label, .ok)
    }

    func choice(for target: VoteTarget, _ rng: inout SplitMix64) -> VoteChoice {
        let r = rng.below(100)
        switch target {
        case .pass: return r < 85 ? .yes : (r < 95 ? .abstain : .no)
        case .reject: return r < 80 ? .no : (r < 95 ? .yes : .abstain)
        case .veto: return r < 70 ? .veto : .no
        case .noQuorum: return VoteChoice.allCases[Int(r % 4)]
        }
    }

    static func adjusted(_ t: TallyCounts, _ choice: VoteChoice, _ weight: Amount, adding: Bool) -> TallyCounts {
        var t = t
        func f(_ v: UInt64) -> UInt64 { adding ? v + weight : v - weight }
        switch choice {
        case .yes: t.yes = f(t.yes)
        case .no: t.no = f(t.no)
        case .abstain: t.abstain = f(t.abstain)
        case .veto: t.veto = f(t.veto)
        }
        return t
    }

    func needsVotes(_ p: ShadowProposal) -> Bool {
        p.voted * 10_000 < UInt128(p.target.turnoutGoalBps) * UInt128(p.totalEligible)
    }

    mutating func addVote() -> Bool {
        guard !openProposals.isEmpty, configuration.stakers > 0 else { return false }
        let needy = openProposals.filter { needsVotes(proposals[Int($0) - 1]) }
        let pool = needy.isEmpty ? openProposals : needy
        let id = pool[Int(rng.below(UInt64(pool.count)))]
        let p = proposals[Int(id) - 1]
        var voter: Int?
        var kind = WorkloadKind.vote
        let wantsChange = !p.voters.isEmpty && rng.below(100) < 12
        if !wantsChange && (!needy.isEmpty || rng.below(2) == 0) {
            // A new voter: the largest stake among a few random stakers who have not voted.
            var best: (index: Int, weight: Amount)?
            for _ in 0..<4 {
                let index = Int(rng.below(UInt64(configuration.stakers)))
                let weight = accounts[index].stake(at: p.submittedAt)
                if weight > 0, p.votes[index] == nil, canSend(index), weight > (best?.weight ?? 0) { best = (index, weight) }
            }
            voter = best?.index
        }
        if voter == nil, !p.voters.isEmpty {
            let index = p.voters[Int(rng.below(UInt64(p.voters.count)))]
            if canSend(index) { voter = index; kind = .voteChange }
        }
        guard let voter else { return false }
        let weight = accounts[voter].stake(at: p.submittedAt)
        var choice = choice(for: p.target, &rng)
        if kind == .voteChange, let previous = p.votes[voter], previous.choice == choice {
            choice = VoteChoice.allCases[(Int(choice.rawValue) + Int(rng.below(3))) % 4]
        }
        var updated = p
        if let previous = updated.votes[voter] {
            updated.tally = Self.adjusted(updated.tally, previous.choice, previous.weight, adding: false)
        } else {
            updated.voters.append(voter)
        }
        updated.tally = Self.adjusted(updated.tally, choice, weight, adding: true)
        updated.votes[voter] = (choice, weight)
        proposals[Int(id) - 1] = updated
        let tx = factory.vote(id, choice, by: keys[voter], maxFee: configuration.maxFee)
        admitted(voter, tx)
        emit(tx, kind, .ok)
        return true
    }

    mutating func addExecution() -> Bool {
        guard let id = passedProposals.first(where: { [me = self] in
            !me.proposals[Int($0) - 1].neglected && me.round <= me.proposals[Int($0) - 1].executionDeadline }),
              let sender = pickFunded() else { return false }
        let tx = factory.executeProposal(id, by: keys[sender], maxFee: configuration.maxFee)
        execute(id)
        admitted(sender, tx)
        emit(tx, .execute, .ok)
        return true
    }

    /// The effect of executing a passed proposal now (GOV-8…GOV-11), mirrored on the shadow.
    mutating func execute(_ id: ProposalID) {
        let p = proposals[Int(id) - 1]
        var succeeded = true
        switch p.kind {
        case .approveModel(let modelID, let at):
            let m = modelNumber(modelID)
            if let m, models[m].status == .pending {
                transition(m, to: .approved)
                schedule(.activation(m), at: max(at, round))
            } else { succeeded = false }
            if let m { models[m].decisionInFlight = false }
        case .rejectModel(let modelID):
            let m = modelNumber(modelID)
            if let m, models[m].status == .pending { transition(m, to: .rejected) } else { succeeded = false }
            if let m { models[m].decisionInFlight = false }
        case .deprecateModel(let modelID, let at):
            let m = modelNumber(modelID)
            if let m, models[m].status == .active || models[m].status == .suspended {
                schedule(.deactivation(m), at: max(at, round))
            } else {
                succeeded = false
                if let m { models[m].removalInFlight = false }
            }
        case .emergencyRevoke(let modelID):
            let m = modelNumber(modelID)
            if let m, let status = models[m].status, status != .revoked { transition(m, to: .revoked) } else { succeeded = false }
            if let m { models[m].removalInFlight = false }
        case .changeFeeSchedule(let op, let schedule):
            let replaced = storedParams.feeTable.replacing(op, with: schedule)
            var updated = storedParams
            updated.feeTable = replaced
            if storedParams.feeTable.schedule(for: op).validateChange(to: schedule, maxChangeBps: 2_000) == nil, updated.isValid {
                storedParams = updated
            } else { succeeded = false }
        case .changeParameter(let pid, let value):
            if let updated = storedParams.setting(pid, to: value) { storedParams = updated } else { succeeded = false }
        case .text:
            break
        }
        proposals[Int(id) - 1].status = succeeded ? .executed : .executionFailed
        passedProposals.removeAll { $0 == id }
        cancel(.expiry(id), at: p.executionDeadline + 1)
    }

    /// The index of a model the generator registered.
    func modelNumber(_ id: ModelID) -> Int? { modelIndex[id] }

    /// Clears the in-flight marks of a proposal that will not be executed.
    mutating func settle(_ p: ShadowProposal) {
        guard let modelID = p.kind.modelID, let m = modelNumber(modelID) else { return }
        switch p.kind {
        case .approveModel, .rejectModel: models[m].decisionInFlight = false
        case .deprecateModel, .emergencyRevoke: models[m].removalInFlight = false
        default: break
        }
    }
}
