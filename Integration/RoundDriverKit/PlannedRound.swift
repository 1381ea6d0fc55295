import RegistryCore
import RegistryWorkload

/// What the driver expects of one transaction of a round: a code (or any), optionally an exact fee,
/// and a label for reports (the workload kind or the scenario action).
public struct PlannedTransaction: Sendable, Equatable {
    public var label: String
    public var expected: ExpectedCode
    public var fee: Amount?
    /// Whether the transaction was built to fail (counted as "invalid" in reports).
    public var isInvalid: Bool

    public init(label: String, expected: ExpectedCode, fee: Amount? = nil, isInvalid: Bool) {
        self.label = label
        self.expected = expected
        self.fee = fee
        self.isInvalid = isInvalid
    }
}

/// One round as the driver sends it: the input (timestamp from the driver's round clock) and what
/// it expects of each transaction, plus a note for the per-round summary.
public struct PlannedRound: Sendable {
    public var input: RoundInput
    public var transactions: [PlannedTransaction]
    public var note: String
    /// True for scenario rounds: each transaction's expectation is reported as a scenario check.
    public var isScripted: Bool

    public init(input: RoundInput, transactions: [PlannedTransaction], note: String = "", isScripted: Bool = false) {
        self.input = input
        self.transactions = transactions
        self.note = note
        self.isScripted = isScripted
    }
}

/// A transaction whose result did not match its plan.
public struct ExpectationFailure: Sendable, Equatable, CustomStringConvertible {
    public var round: Round
    public var index: Int
    public var label: String
    public var expected: String
    public var actual: String

    public var description: String { "round \(round) tx \(index) \(label): expected \(expected), got \(actual)" }
}

extension PlannedRound {
    /// The transactions whose code (or fee) differs from the plan.
    public func failures(in outcome: RoundOutcome) -> [ExpectationFailure] {
        var found: [ExpectationFailure] = []
        for (index, plan) in transactions.enumerated() {
            guard index < outcome.results.count else {
                found.append(.init(round: input.round, index: index, label: plan.label, expected: plan.expected.description, actual: "no result"))
                continue
            }
            let result = outcome.results[index]
            if !plan.expected.matches(result.code) {
                let log = result.log.isEmpty ? "" : " \"\(result.log)\""
                found.append(.init(round: input.round, index: index, label: plan.label, expected: plan.expected.description,
                                   actual: "\(result.code.name)(\(result.code.rawValue))\(log)"))
            } else if let fee = plan.fee, fee != result.feeCharged {
                found.append(.init(round: input.round, index: index, label: plan.label, expected: "fee \(fee)", actual: "fee \(result.feeCharged)"))
            }
        }
        return found
    }
}

/// Where the driver's rounds come from: a seeded workload, a scenario, or one after the other.
///
/// The driver asks for rounds strictly in order; `plan` may read the reference replica's state after
/// the previous round (nonces, balances). `observe` is called with the reference outcome of every
/// planned round, in order, before the next `plan`.
public protocol RoundSource {
    /// The genesis the chain starts from.
    var genesis: Genesis { get }
    /// How many rounds the source provides.
    var length: Round { get }
    /// The round after `reference.round` with timestamp `timestampMillis`.
    mutating func plan(round: Round, timestampMillis: UInt64, reference: ReferenceReplica) throws -> PlannedRound
    /// The reference outcome of the round just planned; returns the state checks due after it.
    mutating func observe(_ outcome: RoundOutcome, reference: ReferenceReplica) -> [StateCheck]
}

/// A scenario expectation due after a round, with its result on the reference replica.
public struct StateCheck: Sendable {
    public var round: Round
    public var expectation: ScenarioExpectation
    /// The state key the check reads (nil for checks of the round result).
    public var key: [UInt8]?
    /// Checks the decoded value of `key` (nil when absent); returns nil when it holds, else what was found.
    public var evaluate: @Sendable ([UInt8]?) -> String?
    /// The verdict on the reference replica: nil passes, else what was found.
    public var referenceFailure: String?
}
