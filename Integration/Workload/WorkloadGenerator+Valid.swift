import RegistryCore
import Sodium

/// Valid traffic: one builder per category; each returns false when the state offers no candidate.
extension WorkloadGenerator {
    mutating func addValid(_ category: WorkloadKind.Category) -> Bool {
        switch category {
        case .registration:
            if !families.isEmpty && rng.below(10) < 3 { return addRegisterVersion() }
            return addRegister()
        case .metadataUpdate: return addUpdate()
        case .transfer: return addTransfer()
        case .proposal: return addProposal()
        case .vote: return addVote()
        case .execution: return addExecution()
        case .usage: return addUsage()
        case .withdrawal: return addWithdrawal()
        case .ownerDeprecation: return addOwnerDeprecation()
        case .invalid: return false
        }
    }

    mutating func registerModel(_ registration: ModelRegistration, by sender: Int, kind: WorkloadKind) {
        let tx = factory.registerModel(registration, by: keys[sender], maxFee: configuration.maxFee)
        let id = ModelID(name: registration.name, version: registration.version)
        let index = models.count
        models.append(ShadowModel(id: id, name: registration.name, version: registration.version,
                                  registration: registration, owner: sender, status: nil))
        modelIndex[id] = index
        byStatus[Self.unknownBucket].insert(index)
        setStatus(index, .pending)
        admitted(sender, tx)
        emit(tx, kind, .ok, stateDependent: false)
    }

    mutating func addRegister() -> Bool {
        guard let sender = pickFunded() else { return false }
        serial += 1
        let name = "\(ModelCatalog.pick(ModelCatalog.families, &rng))-\(serial)"
        let registration = ModelCatalog.registration(name: name, version: "1.0", &rng)
        families.append((name: name, versions: 1, lastModel: models.count))
        registerModel(registration, by: sender, kind: .register)
        return true
    }

    mutating func addRegisterVersion() -> Bool {
        let family = Int(rng.below(UInt64(families.count)))
        let owner = models[families[family].lastModel].owner
        guard let sender = canSend(owner) ? owner : pickFunded() else { return false }
        let version = "\(families[family].versions + 1).0"
        let registration = ModelCatalog.registration(name: families[family].name, version: version, &rng)
        families[family].versions += 1
        families[family].lastModel = models.count
        registerModel(registration, by: sender, kind: .registerVersion)
        return true
    }

    mutating func addUpdate() -> Bool {
        guard let model = pickModel(Self.notRevoked, where: { [me = self] in me.canSend($0.owner) }) else { return false }
        var update = ModelCatalog.openUpdate(&rng)
        if models[model].status == .pending && rng.below(4) == 0 { update.format = ModelCatalog.pick(ModelCatalog.formats, &rng) }
        let owner = models[model].owner
        let tx = factory.updateModel(models[model].id, update, by: keys[owner], maxFee: configuration.maxFee)
        admitted(owner, tx)
        emit(tx, .updateMetadata, .ok)
        return true
    }

    mutating func addTransfer() -> Bool {
        guard let model = pickModel(Self.notRevoked, where: { [me = self] in me.canSend($0.owner) }) else { return false }
        let owner = models[model].owner
        guard let newOwner = pickFunded(excluding: owner) else { return false }
        let tx = factory.transferModel(models[model].id, to: accounts[newOwner].id, by: keys[owner], maxFee: configuration.maxFee)
        models[model].owner = newOwner
        admitted(owner, tx)
        emit(tx, .transferOwnership, .ok)
        return true
    }

    mutating func addUsage() -> Bool {
        // A busy client (the first user) records much of the usage, so it runs into the rate limit.
        let busy = configuration.stakers
        let preferBusy = configuration.users > 0 && canSend(busy) && rng.below(10) < 3
        guard let model = pickModel([.active]), let sender = preferBusy ? busy : pickFunded() else { return false }
        let units = 1 + rng.below(rng.below(8) == 0 ? 1_000_000 : 1_000)
        let tx = factory.recordUsage(models[model].id, units: units, by: keys[sender], maxFee: configuration.maxFee)
        admitted(sender, tx)
        emit(tx, .usage, .ok)
        return true
    }

    mutating func addWithdrawal() -> Bool {
        guard let sender = pickFunded() else { return false }
        let amount = 1 + rng.below(1_000_000)
        let tx = factory.withdraw(amount, by: keys[sender], maxFee: configuration.maxFee)
        admitted(sender, tx, extra: amount)
        emit(tx, .withdraw, .ok, stateDependent: false)
        return true
    }

    /// Owners retire Active models only while enough stay Active for usage traffic.
    mutating func addOwnerDeprecation() -> Bool {
        guard mayRetireActiveModel, let model = pickModel([.active, .suspended], where: { [me = self] in me.canSend($0.owner) }) else { return false }
        let owner = models[model].owner
        let tx = factory.deprecateModel(models[model].id, by: keys[owner], maxFee: configuration.maxFee)
        transition(model, to: .deprecated)
        admitted(owner, tx)
        emit(tx, .deprecateOwn, .ok)
        return true
    }

    /// Moves a model along the transition table as the executor would (LC-2); an unknown status stays
    /// unknown. Returns whether the transition happened (false when unknown or not allowed).
    @discardableResult
    mutating func transition(_ model: Int, to next: ModelStatus) -> Bool {
        guard let status = models[model].status else { return false }
        guard status.canTransition(to: next) else { return false }
        setStatus(model, next)
        if next == .active {
            models[model].rentPaidThrough = round
            schedule(.rent(model), at: round + params.rentPeriodRounds)
        }
        return true
    }
}
