/// Model actions and the one place that writes models with their indexes and statistics (LC-*).
extension ExecutionContext {
    /// Writes `new`, keeping the status/owner/category/tag/name indexes and `RegistryStatistics` in step
    /// with the change from `old` (nil for a registration).
    mutating func putModel(old: Model?, new: Model) throws(ExecutionFailure) {
        store(StateKey.model(new.id), new)
        var stats = try statistics()
        if let old {
            if old.status != new.status {
                state.delete(StateKey.modelsByStatus(old.status.rawValue, old.id))
                state.put(StateKey.modelsByStatus(new.status.rawValue, new.id), [])
                let o = Int(old.status.rawValue) - 1, n = Int(new.status.rawValue) - 1
                stats.countsByStatus[o] = try sub(stats.countsByStatus[o], 1, "status count")
                stats.countsByStatus[n] = try add(stats.countsByStatus[n], 1, "status count")
            }
            if old.owner != new.owner {
                state.delete(StateKey.modelsByOwner(old.owner, old.id))
                state.put(StateKey.modelsByOwner(new.owner, new.id), [])
            }
            if old.category != new.category {
                state.delete(StateKey.modelsByCategory(old.category, old.id))
                state.put(StateKey.modelsByCategory(new.category, new.id), [])
            }
            if old.tags != new.tags {
                for tag in old.tags where !new.tags.contains(tag) { state.delete(StateKey.modelsByTag(tag, old.id)) }
                for tag in new.tags where !old.tags.contains(tag) { state.put(StateKey.modelsByTag(tag, new.id), []) }
            }
            stats.totalSizeBytes = try add(try sub(stats.totalSizeBytes, old.sizeBytes, "total size"), new.sizeBytes, "total size")
            stats.totalParameters = try add(try sub(stats.totalParameters, old.parameterCount, "total parameters"),
                                            new.parameterCount, "total parameters")
        } else {
            state.put(StateKey.modelByName(name: new.name, version: new.version), new.id.canonicalBytes())
            state.put(StateKey.modelsByStatus(new.status.rawValue, new.id), [])
            state.put(StateKey.modelsByOwner(new.owner, new.id), [])
            state.put(StateKey.modelsByCategory(new.category, new.id), [])
            for tag in new.tags { state.put(StateKey.modelsByTag(tag, new.id), []) }
            let n = Int(new.status.rawValue) - 1
            stats.countsByStatus[n] = try add(stats.countsByStatus[n], 1, "status count")
            stats.totalSizeBytes = try add(stats.totalSizeBytes, new.sizeBytes, "total size")
            stats.totalParameters = try add(stats.totalParameters, new.parameterCount, "total parameters")
            stats.registrations = try add(stats.registrations, 1, "registrations")
        }
        store(StateKey.registryStatistics, stats)
    }

    /// Moves a model along the transition table (LC-2), or rejects with `invalidStatusTransition`.
    mutating func transition(_ model: Model, to next: ModelStatus) throws(ExecutionFailure) -> Model {
        guard model.status.canTransition(to: next) else {
            throw reject(.invalidStatusTransition, "\(model.status.name) -> \(next.name)")
        }
        var new = model
        new.status = next
        new.updatedAt = round
        if next == .active {
            if new.activatedAt == nil { new.activatedAt = round }
            new.rentPaidThrough = round
            new.rentGraceEnds = nil
            DueQueue(.rentCollection).schedule(new.id.bytes, at: try add(round, params.rentPeriodRounds, "rent round"), in: &state)
        }
        try putModel(old: model, new: new)
        emit(.modelStatus(model.id, from: model.status, to: next))
        return new
    }

    func ownedModel(_ id: ModelID, by sender: AccountID) throws(ExecutionFailure) -> Model {
        let model = try model(id)
        guard model.owner == sender else { throw reject(.notModelOwner, "owner") }
        return model
    }

    mutating func registerModel(_ r: ModelRegistration, sender: AccountID) throws(ExecutionFailure) {
        if let (code, log) = Validation.check(r) { throw reject(code, log) }
        let id = ModelID(name: r.name, version: r.version)
        guard try raw(StateKey.modelByName(name: r.name, version: r.version)) == nil, try raw(StateKey.model(id)) == nil else {
            throw reject(.modelAlreadyExists, "\(r.name)@\(r.version)")
        }
        let model = Model(id: id, name: r.name, version: r.version, owner: sender, weightsHash: r.weightsHash,
                          sizeBytes: r.sizeBytes, parameterCount: r.parameterCount, architecture: r.architecture,
                          format: r.format, category: r.category, license: r.license, sourceURI: r.sourceURI,
                          description: r.description, tags: r.tags, inputShape: r.inputShape, outputShape: r.outputShape,
                          status: .pending, registeredAt: round, updatedAt: round)
        try putModel(old: nil, new: model)
        emit(.modelRegistered(id, owner: sender, name: r.name, version: r.version))
    }

    mutating func updateModel(_ id: ModelID, _ u: MetadataUpdate, sender: AccountID) throws(ExecutionFailure) {
        let old = try ownedModel(id, by: sender)
        guard old.status != .revoked else { throw reject(.invalidStatusTransition, "revoked model is immutable") }
        guard !u.isEmpty else { throw reject(.emptyUpdate, "no field") }
        if let (code, log) = Validation.check(u) { throw reject(code, log) }
        if u.touchesFrozenFields && old.status != .pending { throw reject(.modelFieldFrozen, "frozen after Pending") }
        var new = old
        if let v = u.description { new.description = v }
        if let v = u.license { new.license = v }
        if let v = u.sourceURI { new.sourceURI = v }
        if let v = u.tags { new.tags = v }
        if let v = u.category { new.category = v }
        if let v = u.architecture { new.architecture = v }
        if let v = u.format { new.format = v }
        if let v = u.weightsHash { new.weightsHash = v }
        if let v = u.sizeBytes { new.sizeBytes = v }
        if let v = u.parameterCount { new.parameterCount = v }
        new.updatedAt = round
        try putModel(old: old, new: new)
        emit(.modelUpdated(id))
    }

    mutating func transferModel(_ id: ModelID, to newOwner: AccountID, sender: AccountID) throws(ExecutionFailure) {
        let old = try ownedModel(id, by: sender)
        guard old.status != .revoked else { throw reject(.invalidStatusTransition, "revoked model is immutable") }
        guard newOwner != sender else { throw reject(.sameOwner, "newOwner") }
        var new = old
        new.owner = newOwner
        new.updatedAt = round
        try putModel(old: old, new: new)
        emit(.modelTransferred(id, from: sender, to: newOwner))
    }

    /// The usage fee has been charged to `sender` already; the owner's share moves to the owner (TX-9).
    mutating func recordUsage(_ id: ModelID, units: UInt64, fee: Amount, sender: AccountID) throws(ExecutionFailure) {
        guard units > 0, units <= Limits.maxUsageUnits else { throw reject(.invalidUsageUnits, "units \(units)") }
        let old = try model(id)
        guard old.status == .active else { throw reject(.modelNotActive, "status \(old.status.name)") }
        guard let share = CheckedMath.mulDiv(fee, params.usageOwnerShareBps, 10_000) else {
            throw reject(.arithmeticOverflow, "owner share")
        }
        if share > 0 {
            _ = try credit(old.owner, share)
            var totals = try feeTotals()
            totals.treasury = try sub(totals.treasury, share, "treasury")
            totals.ownerShares = try add(totals.ownerShares, share, "owner shares")
            store(StateKey.feeTotals, totals)
        }
        var new = old
        new.usageCount = try add(new.usageCount, 1, "usage count")
        new.usageUnits = try add(new.usageUnits, units, "usage units")
        new.usageFees = try add(new.usageFees, fee, "usage fees")
        try putModel(old: old, new: new)
        var stats = try statistics()
        stats.usageCount = try add(stats.usageCount, 1, "usage count")
        stats.usageUnits = try add(stats.usageUnits, units, "usage units")
        stats.usageFees = try add(stats.usageFees, fee, "usage fees")
        store(StateKey.registryStatistics, stats)
        emit(.modelUsage(id, user: sender, units: units, fee: fee, ownerShare: share))
    }

    mutating func deprecateOwn(_ id: ModelID, sender: AccountID) throws(ExecutionFailure) {
        let model = try ownedModel(id, by: sender)
        _ = try transition(model, to: .deprecated)
    }

    /// Pays rent for the rounds since `rentPaidThrough` and returns a Suspended model to Active (ADR 0006).
    mutating func resume(_ id: ModelID, sender: AccountID) throws(ExecutionFailure) {
        let model = try ownedModel(id, by: sender)
        guard model.status == .suspended else { throw reject(.modelNotSuspended, "status \(model.status.name)") }
        let rounds = try sub(round, model.rentPaidThrough, "rent rounds")
        let rent = try rentFee(rounds: rounds, sizeBytes: model.sizeBytes)
        try charge(model.owner, .rent, rent, model: id)
        emit(.rentCharged(id, owner: model.owner, amount: rent, rounds: rounds))
        _ = try transition(model, to: .active)
    }

    mutating func withdraw(_ amount: Amount, sender: AccountID) throws(ExecutionFailure) {
        var account = try account(sender)
        guard amount > 0, amount <= account.balance else { throw reject(.invalidWithdrawalAmount, "amount \(amount)") }
        account.balance -= amount
        storeAccount(sender, account)
        var totals = try feeTotals()
        totals.withdrawn = try add(totals.withdrawn, amount, "withdrawn")
        store(StateKey.feeTotals, totals)
        emit(.withdrawal(sender, amount: amount))
    }
}
