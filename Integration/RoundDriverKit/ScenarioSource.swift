import RegistryCore
import RegistryWorkload
import Sodium

/// Rounds from a `Scenario`: each step's actions become host updates and signed transactions (nonces
/// read from the reference replica's state), rounds without a step are empty, and each step's
/// expectations become `StateCheck`s after its round. Proposal ids are learnt from the reference
/// outcome (`proposal.submitted` events).
public struct ScenarioSource: RoundSource {
    public let scenario: Scenario
    /// The round before the scenario's first (scenario round r is chain round `baseRound + r`).
    public let baseRound: Round
    public let chainID: String
    public let parameters: Parameters
    /// True: the accounts are genesis allocations; false: host updates of the scenario's first round.
    public let accountsAtGenesis: Bool
    public let keys: KeyRing
    private var modelIDs: [String: ModelID] = [:]
    private var proposalIDs: [String: ProposalID] = [:]
    /// Proposals submitted in the round being planned: transaction index → alias.
    private var submitted: [(index: Int, alias: String)] = []
    private var currentStep: Scenario.Step?

    /// The chain parameters of a scenario: `WorkloadConfiguration.shortPeriods` with its overrides.
    public static func parameters(of scenario: Scenario) throws(DriverError) -> Parameters {
        var parameters = WorkloadConfiguration.shortPeriods
        for (id, value) in scenario.parameterOverrides {
            guard let next = parameters.setting(id, to: value) else {
                throw .planning("scenario \(scenario.name): parameter \(id.name) = \(value) is refused with the other parameters")
            }
            parameters = next
        }
        return parameters
    }

    public init(scenario: Scenario, baseRound: Round = 0, chainID: String? = nil, parameters: Parameters, accountsAtGenesis: Bool = true) {
        self.scenario = scenario
        self.baseRound = baseRound
        self.chainID = chainID ?? "scenario-\(scenario.name)"
        self.parameters = parameters
        self.accountsAtGenesis = accountsAtGenesis
        keys = KeyRing(seed: scenario.seed, count: scenario.accounts.count)
    }

    public var length: Round { scenario.length }

    public var genesis: Genesis {
        guard accountsAtGenesis else { return Genesis(chainID: chainID, parameters: parameters) }
        var stakes: [Genesis.Allocation] = []
        var balances: [Genesis.Allocation] = []
        for (index, account) in scenario.accounts.enumerated() {
            if account.stake > 0 { stakes.append(.init(keys.accounts[index], account.stake)) }
            if account.balance > 0 { balances.append(.init(keys.accounts[index], account.balance)) }
        }
        return Genesis(chainID: chainID, parameters: parameters, stakes: stakes, balances: balances)
    }

    /// The account of a scenario name.
    public func account(_ name: String) -> AccountID? { scenario.accountIndex(name).map { keys.accounts[$0] } }

    /// The id learnt for a proposal alias.
    public func proposalID(_ alias: String) -> ProposalID? { proposalIDs[alias] }

    /// The id of a model alias (known once its registration was planned).
    public func modelID(_ alias: String) -> ModelID? { modelIDs[alias] }

    public mutating func plan(round: Round, timestampMillis: UInt64, reference: ReferenceReplica) throws -> PlannedRound {
        guard round > baseRound else { throw DriverError.planning("scenario round \(round) is before its base \(baseRound)") }
        let relative = round - baseRound
        var hostUpdates: [HostUpdate] = []
        if relative == 1 && !accountsAtGenesis {
            for (index, account) in scenario.accounts.enumerated() {
                if account.stake > 0 { hostUpdates.append(.setStake(keys.accounts[index], account.stake)) }
                if account.balance > 0 { hostUpdates.append(.deposit(keys.accounts[index], account.balance)) }
            }
        }
        submitted = []
        currentStep = scenario.steps.first { $0.round == relative }
        guard let step = currentStep else {
            return PlannedRound(input: RoundInput(round: round, timestampMillis: timestampMillis, hostUpdates: hostUpdates), transactions: [])
        }
        let currentParameters = (try? RoundExecutor.parameters(in: reference.state)) ?? parameters
        var nonces = [UInt64](repeating: 0, count: scenario.accounts.count)
        for index in nonces.indices {
            nonces[index] = reference.decode(Account.self, StateKey.account(keys.accounts[index]))?.nonce ?? 0
        }
        var transactions: [[UInt8]] = []
        var plans: [PlannedTransaction] = []
        for action in step.actions {
            switch action {
            case .setStake(let name, let amount):
                hostUpdates.append(.setStake(try accountID(name), amount))
            case .deposit(let name, let amount):
                hostUpdates.append(.deposit(try accountID(name), amount))
            case .transaction(let from, let transaction, let expect, let maxFee, let corrupt):
                guard let sender = scenario.accountIndex(from) else { throw DriverError.planning("unknown account \(from)") }
                let action = try makeAction(transaction, sender: sender, round: round, reference: reference, parameters: currentParameters)
                if case .propose(let alias, _) = transaction { submitted.append((transactions.count, alias)) }
                let advances = corrupt == nil && !expect.code.isEnvelopeFailure
                let tx = try sign(action, key: keys[sender], nonce: nonces[sender], maxFee: maxFee ?? ScenarioParser.defaultMaxFee, corrupt: corrupt)
                if advances { nonces[sender] += 1 }
                transactions.append(tx)
                plans.append(PlannedTransaction(label: "\(from) \(transaction.word)", expected: .exactly(expect.code), fee: expect.fee,
                                                isInvalid: expect.code != .ok))
            }
        }
        let input = RoundInput(round: round, timestampMillis: timestampMillis, hostUpdates: hostUpdates, transactions: transactions)
        return PlannedRound(input: input, transactions: plans, note: step.note, isScripted: true)
    }

    public mutating func observe(_ outcome: RoundOutcome, reference: ReferenceReplica) -> [StateCheck] {
        for (index, alias) in submitted where index < outcome.results.count && outcome.results[index].code == .ok {
            let result = outcome.results[index]
            let events = outcome.events.dropFirst(Int(result.firstEvent)).prefix(Int(result.eventCount))
            for event in events {
                if case .proposalSubmitted(let id, _, _) = event { proposalIDs[alias] = id }
            }
        }
        submitted = []
        guard let step = currentStep else { return [] }
        currentStep = nil
        return step.expectations.map { check($0, round: outcome.round, outcome: outcome, reference: reference) }
    }

    // MARK: Building transactions

    private func accountID(_ name: String) throws -> AccountID {
        guard let id = account(name) else { throw DriverError.planning("unknown account \(name)") }
        return id
    }

    private func model(_ alias: String) throws -> ModelID {
        guard let id = modelIDs[alias] else { throw DriverError.planning("model \(alias) was never registered") }
        return id
    }

    private func proposal(_ alias: String) throws -> ProposalID {
        guard let id = proposalIDs[alias] else {
            throw DriverError.planning("proposal \(alias) has no id: its propose transaction did not succeed")
        }
        return id
    }

    private mutating func makeAction(_ transaction: ScenarioTransaction, sender: Int, round: Round, reference: ReferenceReplica,
                                     parameters: Parameters) throws -> Action {
        switch transaction {
        case .register(let alias, let registration):
            modelIDs[alias] = ModelID(name: registration.name, version: registration.version)
            return .registerModel(registration)
        case .updateMetadata(let alias, let update): return .updateModelMetadata(try model(alias), update)
        case .transfer(let alias, let to): return .transferModelOwnership(try model(alias), newOwner: try accountID(to))
        case .propose(_, let proposal):
            switch proposal {
            case .approve(let alias, let activation): return .submitProposal(.approveModel(try model(alias), activationRound: baseRound + activation))
            case .reject(let alias): return .submitProposal(.rejectModel(try model(alias)))
            case .deprecate(let alias, let at): return .submitProposal(.deprecateModel(try model(alias), round: baseRound + at))
            case .revoke(let alias): return .submitProposal(.emergencyRevoke(try model(alias)))
            case .feeSchedule(let operation, let schedule): return .submitProposal(.changeFeeSchedule(operation, schedule))
            case .parameter(let id, let value): return .submitProposal(.changeParameter(id, value))
            case .text(let text): return .submitProposal(.text(text))
            }
        case .vote(let alias, let choice): return .vote(try proposal(alias), choice)
        case .execute(let alias): return .executeProposal(try proposal(alias))
        case .usage(let alias, let units): return .recordUsage(try model(alias), units: units)
        case .withdraw(let amount):
            if let amount { return .withdraw(amount: amount) }
            let balance = reference.decode(Account.self, StateKey.account(keys.accounts[sender]))?.balance ?? 0
            let fee = (try? parameters.feeTable.fee(for: .withdrawal, units: 1).get()) ?? 0
            return .withdraw(amount: balance > fee ? balance - fee : 0)
        case .deprecate(let alias): return .deprecateModel(try model(alias))
        case .resume(let alias): return .resumeModel(try model(alias))
        }
    }

    private func sign(_ action: Action, key: Ed25519.KeyPair, nonce: UInt64, maxFee: Amount, corrupt: Corruption?) throws -> [UInt8] {
        switch corrupt {
        case nil:
            return TransactionFactory.sign(TransactionBody(chainID: chainID, nonce: nonce, maxFee: maxFee, action: action), with: key)
        case .signature:
            var tx = SignedTransaction.sign(body: TransactionBody(chainID: chainID, nonce: nonce, maxFee: maxFee, action: action), with: key)
            tx.signature[0] ^= 0x01
            return tx.canonicalBytes()
        case .chainID:
            return TransactionFactory.sign(TransactionBody(chainID: chainID + "-other", nonce: nonce, maxFee: maxFee, action: action), with: key)
        case .staleNonce:
            guard nonce > 0 else { throw DriverError.planning("corrupt: staleNonce needs an earlier transaction of the account") }
            return TransactionFactory.sign(TransactionBody(chainID: chainID, nonce: nonce - 1, maxFee: maxFee, action: action), with: key)
        case .futureNonce:
            return TransactionFactory.sign(TransactionBody(chainID: chainID, nonce: nonce + 1, maxFee: maxFee, action: action), with: key)
        }
    }

    // MARK: Checks

    /// Whether an event is about the scenario's accounts, models or proposals (or global: parameters,
    /// fee schedules), so event checks ignore what a workload on the same chain does meanwhile.
    func concernsScenario(_ event: RegistryEvent) -> Bool {
        func model(_ id: ModelID) -> Bool { modelIDs.values.contains(id) }
        func proposal(_ id: ProposalID) -> Bool { proposalIDs.values.contains(id) }
        func account(_ id: AccountID) -> Bool { keys.accounts.contains(id) }
        switch event {
        case .stakeSet(let a, _), .deposited(let a, _, _), .hostUpdateRejected(let a, _), .feeCharged(let a, _, _), .withdrawal(let a, _):
            return account(a)
        case .modelRegistered(let m, _, _, _), .modelUpdated(let m), .modelStatus(let m, _, _), .modelTransferred(let m, _, _),
             .modelUsage(let m, _, _, _, _), .rentCharged(let m, _, _, _), .rentOverdue(let m, _):
            return model(m)
        case .proposalSubmitted(let p, _, _), .proposalVote(let p, _, _, _), .proposalTallied(let p, _, _, _, _, _),
             .proposalExecuted(let p, _, _), .proposalExpired(let p), .proposalDeposit(let p, _, _):
            return proposal(p)
        case .scheduleFired(_, _, let item, _):
            if let digest = Digest256(bytes: item), model(ModelID(digest)) { return true }
            if item.count == 8 { return proposal(item.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }) }
            return false
        case .parameterChanged, .feeScheduleChanged:
            return true
        }
    }

    private func check(_ expectation: ScenarioExpectation, round: Round, outcome: RoundOutcome, reference: ReferenceReplica) -> StateCheck {
        var key: [UInt8]? = nil
        var evaluate: @Sendable ([UInt8]?) -> String? = { _ in "not evaluated" }
        switch expectation {
        case .modelStatus(let alias, let status):
            if let id = modelIDs[alias] {
                key = StateKey.model(id)
                evaluate = { bytes in
                    guard let bytes else { return "model absent" }
                    guard let model = try? Model(canonicalBytes: bytes) else { return "undecodable model" }
                    return model.status == status ? nil : "status \(model.status.name)"
                }
            } else {
                evaluate = { _ in "model \(alias) never registered" }
            }
        case .modelAbsent(let alias):
            if let id = modelIDs[alias] {
                key = StateKey.model(id)
                evaluate = { bytes in
                    guard let bytes else { return nil }
                    let status = (try? Model(canonicalBytes: bytes))?.status.name ?? "undecodable"
                    return "model present (status \(status))"
                }
            } else {
                evaluate = { _ in nil }
            }
        case .proposalStatus(let alias, let status):
            if let id = proposalIDs[alias] {
                key = StateKey.proposal(id)
                evaluate = { bytes in
                    guard let bytes else { return "proposal absent" }
                    guard let proposal = try? Proposal(canonicalBytes: bytes) else { return "undecodable proposal" }
                    return proposal.status == status ? nil : "status \(proposal.status.name)"
                }
            } else {
                evaluate = { _ in "proposal \(alias) has no id (not submitted)" }
            }
        case .balance(let name, let comparison):
            key = account(name).map(StateKey.account)
            evaluate = { bytes in
                let balance = bytes.flatMap { try? Account(canonicalBytes: $0) }?.balance ?? 0
                return comparison.holds(balance) ? nil : "balance \(balance)"
            }
        case .stake(let name, let stake):
            key = account(name).map(StateKey.account)
            evaluate = { bytes in
                let value = bytes.flatMap { try? Account(canonicalBytes: $0) }?.stake ?? 0
                return value == stake ? nil : "stake \(value)"
            }
        case .parameter(let id, let value):
            key = StateKey.parameters
            evaluate = { bytes in
                guard let bytes, let parameters = try? Parameters(canonicalBytes: bytes) else { return "no parameters" }
                return parameters.value(of: id) == value ? nil : "\(id.name) = \(parameters.value(of: id))"
            }
        case .feeSchedule(let operation, let schedule):
            key = StateKey.parameters
            evaluate = { bytes in
                guard let bytes, let parameters = try? Parameters(canonicalBytes: bytes) else { return "no parameters" }
                let stored = parameters.feeTable.schedule(for: operation)
                return stored == schedule ? nil : "schedule \(stored)"
            }
        case .event(let topic, let count):
            let found = outcome.events.reduce(0) { $0 + ($1.topic == topic && concernsScenario($1) ? 1 : 0) }
            let verdict: String? = (count.map { found == $0 } ?? (found > 0)) ? nil : "\(found) event(s) \(topic)"
            evaluate = { _ in verdict }
        }
        let referenceFailure = evaluate(key.flatMap { reference.value($0) })
        return StateCheck(round: round, expectation: expectation, key: key, evaluate: evaluate, referenceFailure: referenceFailure)
    }
}
