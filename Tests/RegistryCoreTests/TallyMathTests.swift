import Sodium
import Testing
@testable import RegistryCore

private let standard = TallyRules(quorumBps: 3_340, thresholdBps: 6_667, vetoBps: 3_340)

private func counts(yes: UInt64 = 0, no: UInt64 = 0, abstain: UInt64 = 0, veto: UInt64 = 0) -> TallyCounts {
    TallyCounts(yes: yes, no: no, abstain: abstain, veto: veto)
}

/// Tally arithmetic in Cosmos x/gov semantics (Docs/spec/tally.md T-1…T-5).
@Suite("Tally math")
struct TallyMathTests {
    @Test("T-1 quorum is inclusive at exactly 3,340 bps")
    func quorumBoundary() {
        #expect(TallyMath.tally(counts(yes: 3_340), totalEligible: 10_000, rules: standard) == .passed)
        #expect(TallyMath.tally(counts(yes: 3_339), totalEligible: 10_000, rules: standard) == .rejectedQuorum)
        // 3,340 bps of 1,000,003 is 334,001.002: 334,002 reaches it, 334,001 does not.
        #expect(TallyMath.tally(counts(yes: 334_002), totalEligible: 1_000_003, rules: standard) == .passed)
        #expect(TallyMath.tally(counts(yes: 334_001), totalEligible: 1_000_003, rules: standard) == .rejectedQuorum)
        // Abstentions count towards quorum.
        #expect(TallyMath.tally(counts(yes: 1, abstain: 3_339), totalEligible: 10_000, rules: standard) == .passed)
    }

    @Test("T-1 zero eligible stake never reaches quorum, even with a zero quorum")
    func zeroEligible() {
        #expect(TallyMath.tally(counts(yes: 10), totalEligible: 0, rules: standard) == .rejectedQuorum)
        let noQuorum = TallyRules(quorumBps: 0, thresholdBps: 5_000, vetoBps: 3_340)
        #expect(TallyMath.tally(counts(), totalEligible: 0, rules: noQuorum) == .rejectedQuorum)
        #expect(TallyMath.tally(counts(), totalEligible: 1, rules: noQuorum) == .rejectedThreshold)
    }

    @Test("T-2 veto must exceed 3,340 bps of all votes, strictly")
    func vetoBoundary() {
        #expect(TallyMath.tally(counts(yes: 6_660, veto: 3_340), totalEligible: 10_000, rules: standard) == .rejectedThreshold)
        #expect(TallyMath.tally(counts(yes: 6_659, veto: 3_341), totalEligible: 10_000, rules: standard) == .vetoed)
        // Abstain is part of the veto denominator: 3,341 · 10,000 = 33,410,000 is not above
        // 3,340 · 10,003 = 33,410,020, so three abstentions turn the veto above into no veto.
        #expect(TallyMath.tally(counts(yes: 6_659, abstain: 3, veto: 3_341), totalEligible: 10_003, rules: standard) == .rejectedThreshold)
    }

    @Test("T-3 yes must exceed 6,667 bps of non-abstaining votes, strictly")
    func thresholdBoundary() {
        #expect(TallyMath.tally(counts(yes: 6_667, no: 3_333), totalEligible: 10_000, rules: standard) == .rejectedThreshold)
        #expect(TallyMath.tally(counts(yes: 6_668, no: 3_332), totalEligible: 10_000, rules: standard) == .passed)
        // Abstentions do not dilute the threshold.
        #expect(TallyMath.tally(counts(yes: 6_668, no: 3_332, abstain: 9_000), totalEligible: 20_000, rules: standard) == .passed)
        // Veto counts in the non-abstaining denominator: 6,668 of 6,668 + 3,000 + 332 = 10,000.
        #expect(TallyMath.tally(counts(yes: 6_668, no: 3_000, veto: 332), totalEligible: 10_000, rules: standard) == .passed)
        #expect(TallyMath.tally(counts(yes: 6_667, no: 3_000, veto: 333), totalEligible: 10_000, rules: standard) == .rejectedThreshold)
    }

    @Test("T-3 all abstain is rejected on the threshold")
    func allAbstain() {
        #expect(TallyMath.tally(counts(abstain: 10_000), totalEligible: 10_000, rules: standard) == .rejectedThreshold)
    }

    @Test("T-4 checks run in order: quorum, then veto, then threshold")
    func order() {
        #expect(TallyMath.tally(counts(veto: 3_000), totalEligible: 10_000, rules: standard) == .rejectedQuorum)
        // With a 50 % threshold, yes 60 % would pass, but veto 40 % > 33.4 % is checked first.
        let simpleMajority = TallyRules(quorumBps: 3_340, thresholdBps: 5_000, vetoBps: 3_340)
        #expect(TallyMath.tally(counts(yes: 6_000, veto: 4_000), totalEligible: 10_000, rules: simpleMajority) == .vetoed)
        #expect(TallyMath.tally(counts(yes: 6_000, no: 4_000), totalEligible: 10_000, rules: simpleMajority) == .passed)
    }

    @Test("T-4 values near UInt64.max never overflow")
    func huge() {
        let max = UInt64.max
        #expect(TallyMath.tally(counts(yes: max, no: max, abstain: max, veto: max), totalEligible: max, rules: standard) == .rejectedThreshold)
        #expect(TallyMath.tally(counts(yes: max), totalEligible: max, rules: standard) == .passed)
        #expect(TallyMath.tally(counts(yes: max, veto: max), totalEligible: max, rules: standard) == .vetoed)
        #expect(TallyMath.tally(counts(yes: max, abstain: max), totalEligible: max, rules: standard) == .passed)
        let strict = TallyRules(quorumBps: 10_000, thresholdBps: 10_000, vetoBps: 10_000)
        #expect(TallyMath.tally(counts(yes: max), totalEligible: max, rules: strict) == .rejectedThreshold)
        #expect(TallyMath.tally(counts(yes: max - 1), totalEligible: max, rules: strict) == .rejectedQuorum)
        let extreme = TallyRules(quorumBps: .max, thresholdBps: .max, vetoBps: .max)
        #expect(TallyMath.tally(counts(yes: max), totalEligible: max, rules: extreme) == .rejectedQuorum)
        #expect(TallyOutcome.tally(counts(yes: max), totalEligible: max, rules: standard) == .passed)
    }

    @Test("adding and removing are checked")
    func addingRemoving() throws {
        let start = counts(yes: 5, no: 6, abstain: 7, veto: 8)
        for option in TallyCounts.Option.allCases {
            let added = try #require(start.adding(option: option, weight: 10))
            #expect(added.count(of: option) == start.count(of: option) + 10)
            #expect(added.removing(option: option, weight: 10) == start)
            #expect(start.adding(option: option, weight: .max) == nil)
            #expect(start.removing(option: option, weight: 100) == nil)
        }
        #expect(TallyCounts.zero.voted == 0)
        #expect(counts(yes: .max, no: .max, abstain: .max, veto: .max).voted == UInt128(UInt64.max) * 4)
        #expect(TallyCounts.Option.allCases.map(\.rawValue) == [1, 2, 3, 4])
        #expect(TallyOutcome.allCases.map(\.rawValue) == [1, 2, 3, 4])
    }

    @Test("T-5 golden encodings of counts and rules, and rules validity")
    func codec() throws {
        let tally = counts(yes: 1, no: 2, abstain: 3, veto: .max)
        let tallyHex = "000000000000000100000000000000020000000000000003ffffffffffffffff"
        #expect(Hex.encode(tally.canonicalBytes()) == tallyHex)
        #expect(try TallyCounts(canonicalBytes: Hex.decode(tallyHex)!) == tally)
        #expect(Hex.encode(standard.canonicalBytes()) == "00000d0c00001a0b00000d0c")
        #expect(try TallyRules(canonicalBytes: standard.canonicalBytes()) == standard)
        #expect(throws: CodecError.trailingBytes(count: 1)) { try TallyRules(canonicalBytes: standard.canonicalBytes() + [0]) }
        #expect(standard.isValid)
        #expect(!TallyRules(quorumBps: 10_001, thresholdBps: 0, vetoBps: 0).isValid)
    }
}
