import RegistryCore
import Sodium

/// Transactions built to fail, each with its exact expected code. Envelope failures (codes 1–12)
/// advance nothing; the others pass admission, advance the nonce and pay the failedTransaction fee.
extension WorkloadGenerator {
    /// Builds one invalid transaction of `kind`; false when the state offers no candidate.
    mutating func addInvalid(_ kind: WorkloadKind) -> Bool {
        let maxFee = configuration.maxFee
        switch kind {
        // MARK: Envelope
        case .badSignature:
            guard let s = pickAny() else { return false }
            emit(factory.badlySigned(.withdraw(amount: marker()), by: keys[s], maxFee: maxFee), kind, .invalidSignature, stateDependent: false)
        case .wrongChainID:
            guard let s = pickAny() else { return false }
            let tx = factory.signed(.withdraw(amount: marker()), by: keys[s], nonce: factory.nonce(of: accounts[s].id),
                                    maxFee: maxFee, chainID: configuration.chainID + "-fork")
            emit(tx, kind, .wrongChainID, stateDependent: false)
        case .staleNonce:
            guard let s = pickAny(where: { [me = self] in me.factory.nonce(of: me.accounts[$0].id) > 0 }) else { return false }
            let nonce = factory.nonce(of: accounts[s].id)
            let tx = factory.signed(.withdraw(amount: marker()), by: keys[s], nonce: nonce - 1 - rng.below(min(nonce, 3)), maxFee: maxFee)
            emit(tx, kind, .staleNonce, stateDependent: false)
        case .futureNonce:
            guard let s = pickAny() else { return false }
            let tx = factory.signed(.withdraw(amount: marker()), by: keys[s], nonce: factory.nonce(of: accounts[s].id) + 1 + rng.below(3),
                                    maxFee: maxFee)
            emit(tx, kind, .futureNonce, stateDependent: false)
        case .oversizeField:
            guard let s = pickAny() else { return false }
            var r = ModelCatalog.registration(name: "x", version: "1.0", &rng)
            r.name = String(repeating: "n", count: Limits.maxNameLength + 1 + Int(rng.below(32)))
            let tx = factory.signed(.registerModel(r), by: keys[s], nonce: factory.nonce(of: accounts[s].id), maxFee: maxFee)
            emit(tx, kind, .malformedBody, stateDependent: false)
        case .tooLarge:
            guard let s = pickAny() else { return false }
            var r = ModelCatalog.registration(name: "big-\(marker())", version: "1.0", &rng)
            r.description = String(repeating: "d", count: Int(params.maxTransactionBytes) + 1)
            let tx = factory.signed(.registerModel(r), by: keys[s], nonce: factory.nonce(of: accounts[s].id), maxFee: maxFee)
            emit(tx, kind, .transactionTooLarge, stateDependent: false)
        case .garbage:
            emit([0xFF] + rng.bytes(40 + Int(rng.below(100))), kind, .malformedTransaction, stateDependent: false)
        case .duplicateInRound:
            guard !roundTransactions.isEmpty else { return false }
            emit(roundTransactions[Int(rng.below(UInt64(roundTransactions.count)))], kind, .duplicateTransaction, stateDependent: false)
        case .replay:
            guard let s = pickAny(where: { [me = self] in me.accounts[$0].replayable != nil && me.accounts[$0].replayableRound < me.round }),
                  let tx = accounts[s].replayable else { return false }
            accounts[s].replayable = nil
            emit(tx, kind, .staleNonce, stateDependent: false)
        case .feeLimit:
            guard let s = pickFunded(), case .success(let fee) = params.feeTable.fee(for: .withdrawal, units: 1), fee > 0 else { return false }
            let tx = factory.signed(.withdraw(amount: marker()), by: keys[s], nonce: factory.nonce(of: accounts[s].id), maxFee: fee - 1)
            emit(tx, kind, .feeLimitExceeded, stateDependent: false)
        case .insufficientFeeBalance:
            guard configuration.unfunded > 0, case .success(let fee) = params.feeTable.fee(for: .withdrawal, units: 1),
                  fee > 0, fee <= maxFee else { return false }
            let s = fundedCount + Int(rng.below(UInt64(configuration.unfunded)))
            let tx = factory.signed(.withdraw(amount: marker()), by: keys[s], nonce: factory.nonce(of: accounts[s].id), maxFee: maxFee)
            emit(tx, kind, .insufficientFeeBalance, stateDependent: false)

        case .rateLimited:
            // An account at its budget for the current window (RL-2); nothing advances.
            guard let s = pickAny(where: { [me = self] in me.isRateLimited($0) }) ?? (isRateLimited(configuration.stakers) ? configuration.stakers : nil)
            else { return false }
            let tx = factory.signed(.withdraw(amount: marker()), by: keys[s], nonce: factory.nonce(of: accounts[s].id), maxFee: maxFee)
            emit(tx, kind, .rateLimited, stateDependent: false)

        // MARK: Models
        case .notOwnerUpdate, .notOwnerTransfer, .notOwnerDeprecate:
            guard !models.isEmpty else { return false }
            let m = Int(rng.below(UInt64(models.count)))
            guard let s = pickFunded(excluding: models[m].owner) else { return false }
            let action: Action
            switch kind {
            case .notOwnerUpdate: action = .updateModelMetadata(models[m].id, ModelCatalog.openUpdate(&rng))
            case .notOwnerTransfer: action = .transferModelOwnership(models[m].id, newOwner: accounts[s].id)
            default: action = .deprecateModel(models[m].id)
            }
            admit(action, by: s, kind, .notModelOwner)
        case .unknownModel:
            guard let s = pickFunded() else { return false }
            let id = ModelID(Digest256(bytes: rng.bytes(32))!)
            let action: Action = rng.below(2) == 0 ? .recordUsage(id, units: 1 + rng.below(100))
                                                   : .updateModelMetadata(id, ModelCatalog.openUpdate(&rng))
            admit(action, by: s, kind, .unknownModel, stateDependent: false)
        case .usageNotActive:
            guard let m = pickModel(Self.allKnown.filter { $0 != .active }), let s = pickFunded() else { return false }
            admit(.recordUsage(models[m].id, units: 1 + rng.below(100)), by: s, kind, .modelNotActive)
        case .duplicateRegistration:
            guard !models.isEmpty, let s = pickFunded() else { return false }
            let m = Int(rng.below(UInt64(models.count)))
            admit(.registerModel(models[m].registration), by: s, kind, .modelAlreadyExists)
        case .invalidName, .invalidSourceURI, .invalidTags:
            guard let s = pickFunded() else { return false }
            var r = ModelCatalog.registration(name: "bad-\(marker())", version: "1.0", &rng)
            let code: ResultCode
            switch kind {
            case .invalidName: r.name = "Bad name \(serial)"; code = .invalidModelName
            case .invalidSourceURI: r.sourceURI = "ftp://models.example.org/\(r.name)"; code = .invalidSourceURI
            default: r.tags = ["Vision", "cnn"]; code = .invalidTags
            }
            admit(.registerModel(r), by: s, kind, code, stateDependent: false)
        case .frozenField:
            guard let m = pickModel(Self.allKnown.filter { $0 != .pending && $0 != .revoked }, where: { [me = self] in me.canSend($0.owner) }) else { return false }
            admit(.updateModelMetadata(models[m].id, MetadataUpdate(format: "gguf")), by: models[m].owner, kind, .modelFieldFrozen)
        case .emptyUpdate:
            guard let m = pickModel(Self.notRevoked, where: { [me = self] in me.canSend($0.owner) }) else { return false }
            admit(.updateModelMetadata(models[m].id, MetadataUpdate()), by: models[m].owner, kind, .emptyUpdate)
        case .transferToSelf:
            guard let m = pickModel(Self.notRevoked, where: { [me = self] in me.canSend($0.owner) }) else { return false }
            let owner = models[m].owner
            admit(.transferModelOwnership(models[m].id, newOwner: accounts[owner].id), by: owner, kind, .sameOwner)
        case .withdrawZero:
            guard let s = pickFunded() else { return false }
            admit(.withdraw(amount: 0), by: s, kind, .invalidWithdrawalAmount, stateDependent: false)
        case .invalidUsageUnits:
            guard !models.isEmpty, let s = pickFunded() else { return false }
            let m = Int(rng.below(UInt64(models.count)))
            let units: UInt64 = rng.below(2) == 0 ? 0 : Limits.maxUsageUnits + 1
            admit(.recordUsage(models[m].id, units: units), by: s, kind, .invalidUsageUnits, stateDependent: false)
        case .resumeNotSuspended:
            guard let m = pickModel(Self.allKnown.filter { $0 != .suspended }, where: { [me = self] in me.canSend($0.owner) }) else { return false }
            admit(.resumeModel(models[m].id), by: models[m].owner, kind, .modelNotSuspended)
        case .deprecateNotActive:
            guard let m = pickModel(Self.allKnown.filter { $0 != .active && $0 != .suspended }, where: { [me = self] in me.canSend($0.owner) })
            else { return false }
            admit(.deprecateModel(models[m].id), by: models[m].owner, kind, .invalidStatusTransition)

        // MARK: Governance
        case .voteUnknownProposal:
            guard let s = pickFunded() else { return false }
            admit(.vote(ProposalID(proposals.count) + 1_000 + rng.below(1_000), .yes), by: s, kind, .unknownProposal, stateDependent: false)
        case .voteClosed:
            guard let p = pickProposal(where: { [now = round] in $0.votingEnd < now }), let s = pickFunded() else { return false }
            admit(.vote(p, .no), by: s, kind, .votingClosed)
        case .voteNoPower:
            guard let p = openProposals.isEmpty ? nil : openProposals[Int(rng.below(UInt64(openProposals.count)))],
                  let s = pickSender(configuration.stakers..<fundedCount) else { return false }
            admit(.vote(p, .yes), by: s, kind, .noVotingPower)
        case .proposeNoStake:
            guard let s = pickSender(configuration.stakers..<fundedCount) else { return false }
            admit(.submitProposal(.text("No stake \(marker())")), by: s, kind, .insufficientProposerStake)
        case .feeChangeTooLarge:
            guard let s = pickProposer() else { return false }
            let current = params.feeTable.schedule(for: .registration)
            admit(.submitProposal(.changeFeeSchedule(.registration, Self.scaled(current, bps: 5_000, up: true))), by: s, kind,
                  .invalidFeeScheduleChange)
        case .parameterOutOfBounds:
            guard let s = pickProposer() else { return false }
            let kindOfChange: ProposalKind = rng.below(2) == 0 ? .changeParameter(.quorumBps, 10_001 + rng.below(100))
                                                              : .changeParameter(.maxTransactionBytes, rng.below(1_024))
            admit(.submitProposal(kindOfChange), by: s, kind, .parameterOutOfBounds)
        case .proposeTargetInvalid:
            guard let s = pickProposer() else { return false }
            if let m = pickModel([.revoked]), rng.below(2) == 0 {
                admit(.submitProposal(.emergencyRevoke(models[m].id)), by: s, kind, .proposalTargetInvalid)
            } else if let m = pickModel(Self.allKnown.filter { $0 != .pending }) {
                admit(.submitProposal(.approveModel(models[m].id, activationRound: round)), by: s, kind, .proposalTargetInvalid)
            } else { return false }
        case .executeEarly:
            guard !openProposals.isEmpty, let s = pickFunded() else { return false }
            admit(.executeProposal(openProposals[Int(rng.below(UInt64(openProposals.count)))]), by: s, kind, .proposalNotTallied)
        case .executeRejected:
            guard let p = pickProposal(where: { [.rejected, .rejectedQuorum, .vetoed].contains($0.status) }),
                  let s = pickFunded() else { return false }
            admit(.executeProposal(p), by: s, kind, .proposalNotPassed)
        case .executeTwice:
            guard let p = pickProposal(where: { $0.status == .executed || $0.status == .executionFailed }),
                  let s = pickFunded() else { return false }
            admit(.executeProposal(p), by: s, kind, .proposalAlreadyExecuted)
        case .executeExpired:
            guard let p = pickProposal(where: { [now = round] in $0.status == .expired || ($0.status == .passed && now > $0.executionDeadline) }),
                  let s = pickFunded() else { return false }
            let code: ResultCode = proposals[Int(p) - 1].status == .expired ? .proposalExpired : .executionDeadlinePassed
            admit(.executeProposal(p), by: s, kind, code)
        case .executeUnknown:
            guard let s = pickFunded() else { return false }
            admit(.executeProposal(ProposalID(proposals.count) + 1_000 + rng.below(1_000)), by: s, kind, .unknownProposal,
                  stateDependent: false)
        default:
            return false
        }
        return true
    }

    /// An invalid action signed with the next nonce: it passes admission, then fails with `code`.
    mutating func admit(_ action: Action, by sender: Int, _ kind: WorkloadKind, _ code: ResultCode, stateDependent: Bool = true) {
        let tx = factory.signed(action, by: keys[sender], maxFee: configuration.maxFee)
        admitted(sender, tx)
        emit(tx, kind, code, stateDependent: stateDependent)
    }

    /// Whether a funded account used its whole budget of the current rate-limit window.
    func isRateLimited(_ index: Int) -> Bool {
        guard index < fundedCount else { return false }
        let account = accounts[index]
        return account.rateWindow == round / params.rateLimitWindowRounds && account.rateCount >= params.rateLimitMaxTransactions
    }

    /// Any funded account (envelope failures do not need the rate limit or the balance).
    mutating func pickAny(where condition: (Int) -> Bool = { _ in true }) -> Int? {
        guard fundedCount > 0 else { return nil }
        for _ in 0..<8 {
            let index = Int(rng.below(UInt64(fundedCount)))
            if condition(index) { return index }
        }
        return nil
    }

    /// The first proposal satisfying `condition` from a random starting point, or nil.
    mutating func pickProposal(where condition: (ShadowProposal) -> Bool) -> ProposalID? {
        guard !proposals.isEmpty else { return nil }
        let start = Int(rng.below(UInt64(proposals.count)))
        for step in 0..<proposals.count {
            let p = proposals[(start + step) % proposals.count]
            if condition(p) { return p.id }
        }
        return nil
    }
}
