/// Proposals, votes, tally, execution and expiry (Docs/spec/governance.md, GOV-*).
extension ExecutionContext {
    static let nextProposalCounter = "nextProposalID"
    static let totalStakeCounter = "totalStake"

    /// The stake of `account` at `round`: the latest checkpoint at or before it (GOV-4).
    func stake(of account: AccountID, at round: Round) throws(ExecutionFailure) -> Amount {
        let lower = StateKey.stakeCheckpoint(account, 0)
        let upper = round == Round.max ? StateKey.prefixEnd(StateKey.key(.stakeCheckpoint) { $0.write(account.raw) })
                                       : StateKey.stakeCheckpoint(account, round + 1)
        guard let row = try scan(from: lower, to: upper, reverse: true, limit: 1).first else { return 0 }
        do { return try StakeCheckpoint(canonicalBytes: row.value).amount } catch {
            throw .infrastructure(StateError(operation: "decode stake checkpoint", key: row.key, reason: error.description))
        }
    }

    /// The total stake at `round` (latest total checkpoint at or before it).
    func totalStake(at round: Round) throws(ExecutionFailure) -> Amount {
        let lower = StateKey.totalStakeCheckpoint(0)
        let upper = round == Round.max ? StateKey.prefixEnd([StateKey.Table.totalStakeCheckpoint.rawValue])
                                       : StateKey.totalStakeCheckpoint(round + 1)
        guard let row = try scan(from: lower, to: upper, reverse: true, limit: 1).first else { return 0 }
        do { return try StakeCheckpoint(canonicalBytes: row.value).amount } catch {
            throw .infrastructure(StateError(operation: "decode total stake", key: row.key, reason: error.description))
        }
    }

    /// Checks a proposal's content against the current state (GOV-2, GOV-12, GOV-13).
    func validate(_ kind: ProposalKind) throws(ExecutionFailure) {
        let horizon = try add(round, params.maxScheduleAheadRounds, "schedule horizon")
        switch kind {
        case .approveModel(let id, let at):
            guard try model(id).status == .pending else { throw reject(.proposalTargetInvalid, "model not Pending") }
            guard at <= horizon else { throw reject(.invalidScheduleRound, "activationRound") }
        case .rejectModel(let id):
            guard try model(id).status == .pending else { throw reject(.proposalTargetInvalid, "model not Pending") }
        case .deprecateModel(let id, let at):
            let status = try model(id).status
            guard status == .active || status == .suspended else {
                throw reject(.proposalTargetInvalid, "model not Active/Suspended")
            }
            guard at <= horizon else { throw reject(.invalidScheduleRound, "deprecation round") }
        case .emergencyRevoke(let id):
            guard try model(id).status != .revoked else { throw reject(.proposalTargetInvalid, "model already Revoked") }
        case .changeFeeSchedule(let op, let schedule):
            if let error = params.feeTable.schedule(for: op).validateChange(to: schedule, maxChangeBps: 2_000) {
                throw reject(.invalidFeeScheduleChange, "\(op): \(error)")
            }
        case .changeParameter(let id, let value):
            guard params.setting(id, to: value) != nil else { throw reject(.parameterOutOfBounds, "\(id.name) = \(value)") }
        case .text(let text):
            guard Validation.isText(text, limit: Limits.maxProposalTextLength, required: true) else {
                throw reject(.invalidProposalText, "text")
            }
        }
    }

    mutating func submitProposal(_ kind: ProposalKind, sender: AccountID) throws(ExecutionFailure) {
        let proposerAccount = try account(sender)
        guard proposerAccount.stake >= params.minProposerStake else {
            throw reject(.insufficientProposerStake, "stake \(proposerAccount.stake) < \(params.minProposerStake)")
        }
        let prefix = StateKey.key(.openProposalsByProposer) { $0.write(sender.raw) }
        let open = try scan(from: prefix, to: StateKey.prefixEnd(prefix), limit: Int(params.maxOpenProposalsPerProposer))
        guard UInt64(open.count) < params.maxOpenProposalsPerProposer else {
            throw reject(.tooManyOpenProposals, "open \(open.count)")
        }
        try validate(kind)
        // Deposit (GOV-3): held until the tally.
        var payer = try account(sender)
        guard payer.balance >= params.proposalDeposit else {
            throw reject(.insufficientDepositBalance, "balance \(payer.balance) < deposit \(params.proposalDeposit)")
        }
        payer.balance -= params.proposalDeposit
        storeAccount(sender, payer)
        var totals = try feeTotals()
        totals.depositsHeld = try add(totals.depositsHeld, params.proposalDeposit, "deposits held")
        store(StateKey.feeTotals, totals)

        let id = try add(try counter(Self.nextProposalCounter), 1, "proposal id")
        setCounter(Self.nextProposalCounter, id)
        let period = kind.isEmergency ? params.emergencyVotingPeriodRounds : params.votingPeriodRounds
        let votingEnd = try add(round, period, "voting end")
        let deadline = try add(votingEnd, params.executionDeadlineRounds, "execution deadline")
        let proposal = Proposal(id: id, proposer: sender, kind: kind, status: .voting, submittedAt: round,
                                votingEnd: votingEnd, executionDeadline: deadline, deposit: params.proposalDeposit,
                                tally: TallyCounts(yes: 0, no: 0, abstain: 0, veto: 0),
                                totalEligible: try totalStake(at: round))
        store(StateKey.proposal(id), proposal)
        state.put(StateKey.openProposal(sender, id), [])
        state.put(StateKey.votingSnapshot(round, id), [])
        DueQueue(.proposalTally).schedule(Self.item(id), at: votingEnd, in: &state)
        emit(.proposalSubmitted(id, proposer: sender, votingEnd: votingEnd))
    }

    static func item(_ id: ProposalID) -> [UInt8] { var w = CanonicalWriter(); w.write(id); return w.bytes }

    static func proposalID(_ item: [UInt8]) -> ProposalID? {
        var r = CanonicalReader(item)
        guard let id = try? r.readUInt64("proposal id"), r.remaining == 0 else { return nil }
        return id
    }

    func adjusted(_ t: TallyCounts, _ choice: VoteChoice, _ weight: Amount, adding: Bool) throws(ExecutionFailure) -> TallyCounts {
        var yes = t.yes, no = t.no, abstain = t.abstain, veto = t.veto
        func apply(_ v: UInt64) throws(ExecutionFailure) -> UInt64 {
            adding ? try add(v, weight, "tally") : try sub(v, weight, "tally")
        }
        switch choice {
        case .yes: yes = try apply(yes)
        case .no: no = try apply(no)
        case .abstain: abstain = try apply(abstain)
        case .veto: veto = try apply(veto)
        }
        return TallyCounts(yes: yes, no: no, abstain: abstain, veto: veto)
    }

    /// One effective vote per voter; a later vote replaces the earlier one in the running tally (GOV-5).
    mutating func vote(_ id: ProposalID, _ choice: VoteChoice, sender: AccountID) throws(ExecutionFailure) {
        var proposal = try proposal(id)
        guard proposal.status == .voting, round <= proposal.votingEnd else { throw reject(.votingClosed, "proposal \(id)") }
        let weight = try stake(of: sender, at: proposal.submittedAt)
        guard weight > 0 else { throw reject(.noVotingPower, "no stake at round \(proposal.submittedAt)") }
        let key = StateKey.vote(id, sender)
        var tally = proposal.tally
        if let previous: Vote = try load(key) { tally = try adjusted(tally, previous.choice, previous.weight, adding: false) }
        tally = try adjusted(tally, choice, weight, adding: true)
        proposal.tally = tally
        store(StateKey.proposal(id), proposal)
        store(key, Vote(choice: choice, weight: weight, round: round))
        emit(.proposalVote(id, voter: sender, choice: choice, weight: weight))
    }

    /// Refunds or burns a proposal's deposit (GOV-3).
    mutating func settleDeposit(_ proposal: Proposal, burn: Bool) throws(ExecutionFailure) {
        var totals = try feeTotals()
        totals.depositsHeld = try sub(totals.depositsHeld, proposal.deposit, "deposits held")
        if burn {
            totals.burned = try add(totals.burned, proposal.deposit, "burned")
        } else if proposal.deposit > 0 {
            _ = try credit(proposal.proposer, proposal.deposit)
        }
        store(StateKey.feeTotals, totals)
        if proposal.deposit > 0 { emit(.proposalDeposit(proposal.id, amount: proposal.deposit, burned: burn)) }
    }

    /// The tally at the voting deadline (GOV-7), fired from the proposalTally queue.
    mutating func tally(_ id: ProposalID) throws(ExecutionFailure) {
        var proposal = try proposal(id)
        guard proposal.status == .voting else { throw reject(.votingClosed, "already tallied") }
        let threshold = proposal.kind.isEmergency ? params.emergencyThresholdBps : params.thresholdBps
        let rules = TallyRules(quorumBps: numericCast(params.quorumBps), thresholdBps: numericCast(threshold),
                               vetoBps: numericCast(params.vetoBps))
        let outcome = TallyMath.tally(proposal.tally, totalEligible: proposal.totalEligible, rules: rules)
        let burn: Bool
        switch outcome {
        case .passed:
            proposal.status = .passed; burn = false
            DueQueue(.proposalExpiry).schedule(Self.item(id), at: try add(proposal.executionDeadline, 1, "expiry round"), in: &state)
        case .rejectedQuorum: proposal.status = .rejectedQuorum; burn = true
        case .rejectedThreshold: proposal.status = .rejected; burn = false
        case .vetoed: proposal.status = .vetoed; burn = true
        }
        proposal.decidedAt = round
        store(StateKey.proposal(id), proposal)
        state.delete(StateKey.openProposal(proposal.proposer, id))
        state.delete(StateKey.votingSnapshot(proposal.submittedAt, id))
        emit(.proposalTallied(id, status: proposal.status, yes: proposal.tally.yes, no: proposal.tally.no,
                              abstain: proposal.tally.abstain, veto: proposal.tally.veto))
        try settleDeposit(proposal, burn: burn)
    }

    /// Marks a passed proposal not executed by its deadline as Expired (GOV-10).
    mutating func expire(_ id: ProposalID) throws(ExecutionFailure) {
        var proposal = try proposal(id)
        guard proposal.status == .passed else { return }
        proposal.status = .expired
        proposal.decidedAt = round
        store(StateKey.proposal(id), proposal)
        emit(.proposalExpired(id))
    }

    /// The executeProposal transaction (GOV-8…GOV-11): anyone, once, after the tally, before the deadline.
    mutating func executeProposal(_ id: ProposalID) throws(ExecutionFailure) {
        var proposal = try proposal(id)
        switch proposal.status {
        case .voting: throw reject(.proposalNotTallied, "voting ends at \(proposal.votingEnd)")
        case .executed, .executionFailed: throw reject(.proposalAlreadyExecuted, "proposal \(id)")
        case .expired: throw reject(.proposalExpired, "proposal \(id)")
        case .rejected, .rejectedQuorum, .vetoed: throw reject(.proposalNotPassed, "status \(proposal.status.name)")
        case .passed: break
        }
        guard round <= proposal.executionDeadline else {
            throw reject(.executionDeadlinePassed, "deadline \(proposal.executionDeadline)")
        }
        // The effect runs in its own step: a failure is recorded on the proposal, not a rejection (GOV-11).
        let saved = state
        let mark = pending.count
        var code = ResultCode.ok
        do {
            try applyEffect(proposal.kind)
        } catch {
            switch error {
            case .reject(let c, _): code = c
            case .infrastructure(let e): throw .infrastructure(e)
            }
            state = saved
            pending.removeSubrange(mark...)
        }
        proposal.status = code == .ok ? .executed : .executionFailed
        proposal.failureCode = code.rawValue
        proposal.executedAt = round
        store(StateKey.proposal(id), proposal)
        if let expiry = CheckedMath.add(proposal.executionDeadline, 1) {
            DueQueue(.proposalExpiry).cancel(Self.item(id), at: expiry, in: &state)
        }
        emit(.proposalExecuted(id, status: proposal.status, code: code))
    }

    /// The effect of a passed proposal.
    mutating func applyEffect(_ kind: ProposalKind) throws(ExecutionFailure) {
        switch kind {
        case .approveModel(let id, let at):
            let model = try model(id)
            guard model.status == .pending else { throw reject(.executionTargetWrongStatus, "not Pending") }
            _ = try transition(model, to: .approved)
            DueQueue(.activation).schedule(id.bytes, at: max(at, round), in: &state)
        case .rejectModel(let id):
            let model = try model(id)
            guard model.status == .pending else { throw reject(.executionTargetWrongStatus, "not Pending") }
            _ = try transition(model, to: .rejected)
        case .deprecateModel(let id, let at):
            let status = try model(id).status
            guard status == .active || status == .suspended else {
                throw reject(.executionTargetWrongStatus, "not Active/Suspended")
            }
            DueQueue(.deactivation).schedule(id.bytes, at: max(at, round), in: &state)
        case .emergencyRevoke(let id):
            let model = try model(id)
            guard model.status != .revoked else { throw reject(.executionTargetWrongStatus, "already Revoked") }
            _ = try transition(model, to: .revoked)
        case .changeFeeSchedule(let op, let schedule):
            var current: Parameters = try load(StateKey.parameters) ?? params
            if let error = current.feeTable.schedule(for: op).validateChange(to: schedule, maxChangeBps: 2_000) {
                throw reject(.invalidFeeScheduleChange, "\(error)")
            }
            current.feeTable = current.feeTable.replacing(op, with: schedule)
            guard current.isValid else { throw reject(.invalidFeeScheduleChange, "table") }
            store(StateKey.parameters, current)
            emit(.feeScheduleChanged(op))
        case .changeParameter(let pid, let value):
            let current: Parameters = try load(StateKey.parameters) ?? params
            guard let updated = current.setting(pid, to: value) else { throw reject(.parameterOutOfBounds, pid.name) }
            store(StateKey.parameters, updated)
            emit(.parameterChanged(pid, value: value))
        case .text:
            break
        }
    }
}
