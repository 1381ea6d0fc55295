import RegistryCore

/// The result code a harness should see for a generated transaction.
public enum ExpectedCode: Equatable, Sendable, CustomStringConvertible {
    /// Exactly this code.
    case exactly(ResultCode)
    /// The generator cannot predict the outcome; any code is accepted.
    case any

    /// Whether `code` satisfies the expectation.
    public func matches(_ code: ResultCode) -> Bool {
        switch self {
        case .exactly(let expected): return expected == code
        case .any: return true
        }
    }

    public var description: String {
        switch self {
        case .exactly(let code): return "\(code.name)(\(code.rawValue))"
        case .any: return "any"
        }
    }
}

/// What the generator meant a transaction to do, and the code it expects.
public struct TransactionExpectation: Equatable, Sendable {
    /// What the transaction exercises.
    public let kind: WorkloadKind
    /// The code the executor should return.
    public let expected: ExpectedCode

    public init(kind: WorkloadKind, expected: ExpectedCode) { self.kind = kind; self.expected = expected }
}

/// One generated round: the input to execute and one expectation per transaction, in order.
public struct WorkloadRound: Sendable {
    /// The round to execute (host updates, then transactions).
    public let input: RoundInput
    /// One expectation per transaction of `input`, in order.
    public let expectations: [TransactionExpectation]

    public init(input: RoundInput, expectations: [TransactionExpectation]) {
        self.input = input; self.expectations = expectations
    }
}

/// A transaction whose actual code did not match the generator's expectation.
public struct ExpectationMismatch: Equatable, Sendable, CustomStringConvertible {
    public let round: Round
    /// The transaction's index in the round.
    public let index: Int
    public let kind: WorkloadKind
    public let expected: ExpectedCode
    /// The executor's code.
    public let actual: ResultCode
    /// The executor's log for the transaction.
    public let log: String

    public init(round: Round, index: Int, kind: WorkloadKind, expected: ExpectedCode, actual: ResultCode, log: String) {
        self.round = round; self.index = index; self.kind = kind; self.expected = expected; self.actual = actual; self.log = log
    }

    public var description: String {
        "round \(round) tx \(index) \(kind.rawValue): expected \(expected), got \(actual.name)(\(actual.rawValue)) \"\(log)\""
    }
}

extension WorkloadRound {
    /// The transactions whose result code does not match the expectation (a count mismatch reports
    /// every missing result).
    public func mismatches(in outcome: RoundOutcome) -> [ExpectationMismatch] {
        var found: [ExpectationMismatch] = []
        for (index, expectation) in expectations.enumerated() {
            guard index < outcome.results.count else {
                found.append(ExpectationMismatch(round: input.round, index: index, kind: expectation.kind,
                                                 expected: expectation.expected, actual: .malformedTransaction, log: "no result"))
                continue
            }
            let result = outcome.results[index]
            if !expectation.expected.matches(result.code) {
                found.append(ExpectationMismatch(round: input.round, index: index, kind: expectation.kind,
                                                 expected: expectation.expected, actual: result.code, log: result.log))
            }
        }
        return found
    }
}
