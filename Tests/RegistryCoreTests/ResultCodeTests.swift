import Testing
@testable import RegistryCore

/// D6: result codes are never renumbered or reused; each sits in its documented range.
@Suite struct ResultCodeTests {
    /// The pinned table (Docs/spec/result-codes.md). A new code is appended here, never changed.
    static let pinned: [(String, UInt32)] = [
        ("ok", 0),
        ("malformedTransaction", 1),
        ("malformedBody", 2),
        ("invalidPublicKey", 3),
        ("invalidSignature", 4),
        ("wrongChainID", 5),
        ("staleNonce", 6),
        ("futureNonce", 7),
        ("transactionTooLarge", 8),
        ("duplicateTransaction", 9),
        ("feeLimitExceeded", 10),
        ("insufficientFeeBalance", 11),
        ("rateLimited", 12),
        ("modelAlreadyExists", 100),
        ("unknownModel", 101),
        ("notModelOwner", 102),
        ("invalidModelName", 103),
        ("invalidModelVersion", 104),
        ("invalidModelSize", 105),
        ("invalidParameterCount", 106),
        ("invalidTextField", 107),
        ("invalidSourceURI", 108),
        ("invalidTags", 109),
        ("invalidShape", 110),
        ("invalidStatusTransition", 111),
        ("modelFieldFrozen", 112),
        ("sameOwner", 113),
        ("modelNotActive", 114),
        ("invalidUsageUnits", 115),
        ("emptyUpdate", 116),
        ("modelNotSuspended", 117),
        ("insufficientProposerStake", 200),
        ("tooManyOpenProposals", 201),
        ("unknownProposal", 202),
        ("votingClosed", 203),
        ("noVotingPower", 204),
        ("proposalNotTallied", 205),
        ("proposalNotPassed", 206),
        ("proposalAlreadyExecuted", 207),
        ("executionDeadlinePassed", 208),
        ("invalidFeeScheduleChange", 209),
        ("parameterOutOfBounds", 210),
        ("invalidProposalText", 211),
        ("invalidScheduleRound", 212),
        ("proposalTargetInvalid", 213),
        ("proposalExpired", 214),
        ("executionTargetWrongStatus", 215),
        ("arithmeticOverflow", 300),
        ("insufficientDepositBalance", 301),
        ("invalidWithdrawalAmount", 302),
        ("insufficientBalance", 303),
        ("feeComputationFailed", 304),
        ("scheduleInPast", 400),
    ]

    @Test func codesArePinned() {
        #expect(ResultCode.allCases.map { $0.name } == Self.pinned.map(\.0))
        #expect(ResultCode.allCases.map(\.rawValue) == Self.pinned.map(\.1))
    }

    @Test func envelopeCodesAreExactlyOneToNinetyNine() {
        for code in ResultCode.allCases {
            #expect(code.isEnvelopeFailure == (code.rawValue >= 1 && code.rawValue <= 99))
            #expect(code.rawValue < 500)
        }
    }
}
