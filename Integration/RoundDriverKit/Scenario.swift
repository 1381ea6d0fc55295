import RegistryCore

/// A scripted run (Integration/scenarios/*.json, format in Integration/README.md): named accounts,
/// parameter overrides, then steps at rounds relative to the scenario's start, each with actions from a
/// fixed vocabulary (transactions and host updates) and expectations checked after the round.
public struct Scenario: Sendable, Equatable {
    /// A named account of the scenario: its key is derived from the scenario seed and its index.
    public struct Account: Sendable, Equatable {
        public var name: String
        public var stake: Amount
        public var balance: Amount
    }

    /// One round of the scenario.
    public struct Step: Sendable, Equatable {
        /// The round, relative to the scenario's start (1 = the scenario's first round).
        public var round: Round
        /// A short description printed with the round.
        public var note: String
        public var actions: [ScenarioAction]
        public var expectations: [ScenarioExpectation]
    }

    public var name: String
    public var description: String
    /// The seed of the accounts' keys.
    public var seed: UInt64
    /// Numeric parameter overrides (ParameterID names), applied over `WorkloadConfiguration.shortPeriods`.
    public var parameterOverrides: [(ParameterID, UInt64)]
    public var accounts: [Account]
    /// Steps in strictly increasing round order.
    public var steps: [Step]

    /// The scenario's length in rounds (the last step's round).
    public var length: Round { steps.last?.round ?? 0 }

    /// The index of an account name.
    public func accountIndex(_ name: String) -> Int? { accounts.firstIndex { $0.name == name } }

    /// Every expectation of every step and transaction, counted.
    public var expectationCount: Int {
        steps.reduce(0) { total, step in
            total + step.expectations.count + step.actions.reduce(0) { $0 + ($1.isTransaction ? 1 : 0) }
        }
    }

    public static func == (a: Scenario, b: Scenario) -> Bool {
        a.name == b.name && a.description == b.description && a.seed == b.seed && a.accounts == b.accounts
            && a.steps == b.steps && a.parameterOverrides.map(\.0) == b.parameterOverrides.map(\.0)
            && a.parameterOverrides.map(\.1) == b.parameterOverrides.map(\.1)
    }
}

/// What a transaction of a scenario expects: a result code and optionally the exact fee charged.
public struct TransactionOutcomeExpectation: Sendable, Equatable {
    public var code: ResultCode
    public var fee: Amount?

    public init(code: ResultCode = .ok, fee: Amount? = nil) {
        self.code = code
        self.fee = fee
    }
}

/// How a scenario transaction is deliberately broken (to check envelope result codes).
public enum Corruption: String, Sendable, Equatable, CaseIterable {
    /// One bit of the signature flipped: `invalidSignature`.
    case signature
    /// Signed for another chain id: `wrongChainID`.
    case chainID
    /// The nonce below the account's: `staleNonce` (needs a previous transaction of the account).
    case staleNonce
    /// The nonce above the account's: `futureNonce`.
    case futureNonce
}

/// A vote choice by name.
extension VoteChoice {
    static func named(_ name: String) -> VoteChoice? {
        switch name {
        case "yes": return .yes
        case "no": return .no
        case "abstain": return .abstain
        case "veto": return .veto
        default: return nil
        }
    }
}

/// The fixed vocabulary of scenario actions.
public enum ScenarioAction: Sendable, Equatable {
    /// A signed transaction from a named account.
    case transaction(from: String, ScenarioTransaction, expect: TransactionOutcomeExpectation, maxFee: Amount?, corrupt: Corruption?)
    /// Host update: set a named account's stake.
    case setStake(account: String, amount: Amount)
    /// Host update: credit a named account's fee account.
    case deposit(account: String, amount: Amount)

    public var isTransaction: Bool { if case .transaction = self { return true } else { return false } }
}

/// The transactions a scenario can send; models and proposals are named by aliases.
public enum ScenarioTransaction: Sendable, Equatable {
    case register(model: String, ModelRegistration)
    case updateMetadata(model: String, MetadataUpdate)
    case transfer(model: String, to: String)
    case propose(proposal: String, ScenarioProposal)
    case vote(proposal: String, VoteChoice)
    case execute(proposal: String)
    case usage(model: String, units: UInt64)
    /// `nil`: everything the fee account holds minus the withdrawal fee.
    case withdraw(amount: Amount?)
    case deprecate(model: String)
    case resume(model: String)

    /// The vocabulary word.
    public var word: String {
        switch self {
        case .register: return "register"
        case .updateMetadata: return "updateMetadata"
        case .transfer: return "transfer"
        case .propose: return "propose"
        case .vote: return "vote"
        case .execute: return "execute"
        case .usage: return "usage"
        case .withdraw: return "withdraw"
        case .deprecate: return "deprecate"
        case .resume: return "resume"
        }
    }
}

/// A proposal of a scenario; rounds are relative to the scenario's start.
public enum ScenarioProposal: Sendable, Equatable {
    case approve(model: String, activationRound: Round)
    case reject(model: String)
    case deprecate(model: String, round: Round)
    case revoke(model: String)
    case feeSchedule(FeeOperation, FeeSchedule)
    case parameter(ParameterID, UInt64)
    case text(String)
}

/// A check after a step's round, made on the reference replica and on every plugin replica (state
/// values read with proofs verified against the round's root).
public enum ScenarioExpectation: Sendable, Equatable, CustomStringConvertible {
    case modelStatus(model: String, ModelStatus)
    /// The model does not exist (e.g. a refused registration left nothing).
    case modelAbsent(model: String)
    case proposalStatus(proposal: String, ProposalStatus)
    case balance(account: String, Comparison)
    case stake(account: String, Amount)
    case parameter(ParameterID, UInt64)
    case feeSchedule(FeeOperation, FeeSchedule)
    /// The round's events with `topic`: `count` exactly, or at least one when nil.
    case event(topic: String, count: Int?)

    /// An amount comparison.
    public enum Comparison: Sendable, Equatable, CustomStringConvertible {
        case equal(Amount)
        case atLeast(Amount)
        case atMost(Amount)

        public func holds(_ value: Amount) -> Bool {
            switch self {
            case .equal(let v): return value == v
            case .atLeast(let v): return value >= v
            case .atMost(let v): return value <= v
            }
        }

        public var description: String {
            switch self {
            case .equal(let v): return "= \(v)"
            case .atLeast(let v): return ">= \(v)"
            case .atMost(let v): return "<= \(v)"
            }
        }
    }

    /// Whether the check reads state (and so is checked on the replicas too) rather than the round's result.
    public var readsState: Bool { if case .event = self { return false } else { return true } }

    public var description: String {
        switch self {
        case .modelStatus(let m, let s): return "model \(m) status \(s.name)"
        case .modelAbsent(let m): return "model \(m) absent"
        case .proposalStatus(let p, let s): return "proposal \(p) status \(s.name)"
        case .balance(let a, let c): return "account \(a) balance \(c)"
        case .stake(let a, let v): return "account \(a) stake = \(v)"
        case .parameter(let id, let v): return "parameter \(id.name) = \(v)"
        case .feeSchedule(let op, _): return "fee schedule of \(op) as given"
        case .event(let topic, let count): return count.map { "\($0) event(s) \(topic)" } ?? "event \(topic)"
        }
    }
}
