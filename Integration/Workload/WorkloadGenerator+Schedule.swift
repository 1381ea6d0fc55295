import RegistryCore
import Sodium

/// The shadow of the end-of-round scheduler (SCH-2): activations, deactivations, tallies, expiries
/// and rent, in the executor's order (queue number, then item bytes).
extension WorkloadGenerator {
    mutating func schedule(_ item: ShadowDue, at dueRound: Round) {
        due[dueRound, default: []].append(item)
    }

    mutating func cancel(_ item: ShadowDue, at dueRound: Round) {
        guard var items = due[dueRound] else { return }
        items.removeAll { itemBytes($0) == itemBytes(item) && $0.queue == item.queue }
        due[dueRound] = items
    }

    /// The queue item bytes of a due item (model id, or proposal id as u64 BE).
    func itemBytes(_ item: ShadowDue) -> [UInt8] {
        switch item {
        case .activation(let m), .deactivation(let m), .rent(let m): return models[m].id.bytes
        case .tally(let id), .expiry(let id):
            var writer = CanonicalWriter(capacity: 8)
            writer.write(id)
            return writer.bytes
        }
    }

    /// Fires the items due this round, as the executor does after the transactions.
    mutating func closeRound() {
        guard var items = due.removeValue(forKey: round) else { return }
        // One queue key per (round, item): a duplicate is one entry.
        var unique: [ShadowDue] = []
        for item in items where !unique.contains(where: { $0.queue == item.queue && itemBytes($0) == itemBytes(item) }) {
            unique.append(item)
        }
        items = unique.sorted { a, b in
            if a.queue != b.queue { return a.queue < b.queue }
            return itemBytes(a).lexicographicallyPrecedes(itemBytes(b))
        }
        if UInt64(items.count) > params.maxScheduledItemsPerRound {
            // The executor carries the rest over (D7); the generator stops predicting.
            isTracking = false
        }
        for item in items { fire(item) }
    }

    mutating func fire(_ item: ShadowDue) {
        switch item {
        case .activation(let m):
            transition(m, to: .active)
        case .deactivation(let m):
            transition(m, to: .deprecated)
            models[m].removalInFlight = false
        case .tally(let id):
            tally(id)
        case .expiry(let id):
            let index = Int(id) - 1
            if proposals[index].status == .passed {
                proposals[index].status = .expired
                passedProposals.removeAll { $0 == id }
                settle(proposals[index])
            }
        case .rent(let m):
            collectRent(m)
        }
    }

    mutating func tally(_ id: ProposalID) {
        let index = Int(id) - 1
        let p = proposals[index]
        guard p.status == .voting else { return }
        let threshold = p.kind.isEmergency ? params.emergencyThresholdBps : params.thresholdBps
        let rules = TallyRules(quorumBps: UInt32(params.quorumBps), thresholdBps: UInt32(threshold), vetoBps: UInt32(params.vetoBps))
        switch TallyMath.tally(p.tally, totalEligible: p.totalEligible, rules: rules) {
        case .passed:
            proposals[index].status = .passed
            proposals[index].neglected = rng.below(10) == 0
            passedProposals.append(id)
            schedule(.expiry(id), at: p.executionDeadline + 1)
        case .rejectedQuorum: proposals[index].status = .rejectedQuorum
        case .rejectedThreshold: proposals[index].status = .rejected
        case .vetoed: proposals[index].status = .vetoed
        }
        if proposals[index].status != .passed { settle(p) }
        openProposals.removeAll { $0 == id }
        accounts[p.proposer].openProposals -= 1
    }

    /// Rent of an Active model (ADR 0006): paid from the owner's fee account, then due a period later.
    /// An owner whose balance the generator cannot guarantee makes the status unknown.
    mutating func collectRent(_ m: Int) {
        guard models[m].status == .active else {
            if models[m].status == nil { isTracking = false }
            return
        }
        let rounds = max(1, round - models[m].rentPaidThrough)
        let units = FeeOperation.rentUnits(roundsElapsed: rounds, modelSizeBytes: models[m].registration.sizeBytes) ?? UInt64.max
        let fee: Amount
        switch params.feeTable.fee(for: .rent, units: units) {
        case .success(let amount): fee = amount
        case .failure: setStatus(m, nil); isTracking = false; return
        }
        let owner = models[m].owner
        guard accounts[owner].balanceFloor >= fee else { setStatus(m, nil); isTracking = false; return }
        accounts[owner].balanceFloor -= fee
        models[m].rentPaidThrough = round
        schedule(.rent(m), at: round + params.rentPeriodRounds)
    }
}
