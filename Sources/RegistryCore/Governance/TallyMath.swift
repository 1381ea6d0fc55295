/// Stake-weighted vote totals of one proposal.
public struct TallyCounts: CanonicalCodable, Equatable, Hashable, Sendable {
    public var yes: UInt64
    public var no: UInt64
    public var abstain: UInt64
    public var veto: UInt64

    /// A vote option as counted (raw values equal `VoteChoice`'s: 1 yes, 2 no, 3 abstain, 4 veto).
    public enum Option: UInt8, CaseIterable, Sendable {
        case yes = 1, no = 2, abstain = 3, veto = 4
    }

    /// No votes.
    public static let zero = TallyCounts(yes: 0, no: 0, abstain: 0, veto: 0)

    public init(yes: UInt64, no: UInt64, abstain: UInt64, veto: UInt64) {
        self.yes = yes
        self.no = no
        self.abstain = abstain
        self.veto = veto
    }

    /// The count of `option`.
    public func count(of option: Option) -> UInt64 {
        switch option {
        case .yes: return yes
        case .no: return no
        case .abstain: return abstain
        case .veto: return veto
        }
    }

    /// These counts with `weight` added to `option`; nil on overflow.
    public func adding(option: Option, weight: UInt64) -> TallyCounts? {
        guard let value = CheckedMath.add(count(of: option), weight) else { return nil }
        return setting(option, to: value)
    }

    /// These counts with `weight` removed from `option` (a replaced vote); nil on underflow.
    public func removing(option: Option, weight: UInt64) -> TallyCounts? {
        guard let value = CheckedMath.subtract(count(of: option), weight) else { return nil }
        return setting(option, to: value)
    }

    /// yes + no + abstain + veto, exact in 128 bits.
    public var voted: UInt128 { UInt128(yes) + UInt128(no) + UInt128(abstain) + UInt128(veto) }

    private func setting(_ option: Option, to value: UInt64) -> TallyCounts {
        var copy = self
        switch option {
        case .yes: copy.yes = value
        case .no: copy.no = value
        case .abstain: copy.abstain = value
        case .veto: copy.veto = value
        }
        return copy
    }

    /// yes ‖ no ‖ abstain ‖ veto, each u64 BE (Docs/spec/tally.md, T-5).
    public func encode(to writer: inout CanonicalWriter) {
        writer.write(yes)
        writer.write(no)
        writer.write(abstain)
        writer.write(veto)
    }

    public init(from reader: inout CanonicalReader) throws(CodecError) {
        yes = try reader.readUInt64("tally yes")
        no = try reader.readUInt64("tally no")
        abstain = try reader.readUInt64("tally abstain")
        veto = try reader.readUInt64("tally veto")
    }
}

/// Quorum, pass threshold and veto threshold in basis points (10,000 = 100 %).
public struct TallyRules: CanonicalCodable, Equatable, Hashable, Sendable {
    /// The least share of eligible stake that must vote (inclusive): e.g. 3,340.
    public var quorumBps: UInt32
    /// The share of non-abstaining votes that yes must exceed (strictly): e.g. 6,667 (7,500 emergency).
    public var thresholdBps: UInt32
    /// The share of all votes that veto must exceed (strictly) to veto: e.g. 3,340.
    public var vetoBps: UInt32

    public init(quorumBps: UInt32, thresholdBps: UInt32, vetoBps: UInt32) {
        self.quorumBps = quorumBps
        self.thresholdBps = thresholdBps
        self.vetoBps = vetoBps
    }

    /// Whether every ratio is at most 10,000 bps.
    public var isValid: Bool { quorumBps <= 10_000 && thresholdBps <= 10_000 && vetoBps <= 10_000 }

    /// quorumBps ‖ thresholdBps ‖ vetoBps, each u32 BE (Docs/spec/tally.md, T-5).
    public func encode(to writer: inout CanonicalWriter) {
        writer.write(quorumBps)
        writer.write(thresholdBps)
        writer.write(vetoBps)
    }

    public init(from reader: inout CanonicalReader) throws(CodecError) {
        quorumBps = try reader.readUInt32("tally quorumBps")
        thresholdBps = try reader.readUInt32("tally thresholdBps")
        vetoBps = try reader.readUInt32("tally vetoBps")
    }
}

/// The result of a tally. Raw values are stable (they may be stored or sent) and never renumbered.
public enum TallyOutcome: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    /// Quorum reached, not vetoed, yes above the threshold.
    case passed = 1
    /// Too little of the eligible stake voted (or none is eligible).
    case rejectedQuorum = 2
    /// Yes did not exceed the threshold of non-abstaining votes (or all voters abstained).
    case rejectedThreshold = 3
    /// Veto exceeded its share of all votes.
    case vetoed = 4

    /// `TallyMath.tally(_:totalEligible:rules:)`.
    public static func tally(_ counts: TallyCounts, totalEligible: UInt64, rules: TallyRules) -> TallyOutcome {
        TallyMath.tally(counts, totalEligible: totalEligible, rules: rules)
    }

    public var description: String {
        switch self {
        case .passed: return "passed"
        case .rejectedQuorum: return "rejectedQuorum"
        case .rejectedThreshold: return "rejectedThreshold"
        case .vetoed: return "vetoed"
        }
    }
}

/// The tally of a proposal in Cosmos x/gov semantics, integer only (D3; Docs/spec/tally.md).
///
/// With `voted = yes + no + abstain + veto` and `nonAbstain = voted − abstain`, all in 128 bits
/// (every product below is < 2^64 · 2^64 = 2^128, so nothing can overflow), checked in this order:
/// 1. T-1 quorum: `totalEligible > 0` and `voted · 10,000 ≥ quorumBps · totalEligible`,
///    else `.rejectedQuorum`;
/// 2. T-2 veto: `veto · 10,000 > vetoBps · voted` → `.vetoed`;
/// 3. T-3 threshold: `nonAbstain > 0` and `yes · 10,000 > thresholdBps · nonAbstain` → `.passed`,
///    else `.rejectedThreshold`.
public enum TallyMath {
    /// The outcome of `counts` against `totalEligible` stake under `rules` (T-1…T-3).
    public static func tally(_ counts: TallyCounts, totalEligible: UInt64, rules: TallyRules) -> TallyOutcome {
        let scale: UInt128 = 10_000
        let voted = counts.voted  // ≤ 4 · (2^64 − 1) < 2^66
        // voted · 10,000 < 2^66 · 2^14 = 2^80; quorumBps · totalEligible < 2^32 · 2^64 = 2^96.
        guard totalEligible > 0, voted * scale >= UInt128(rules.quorumBps) * UInt128(totalEligible) else {
            return .rejectedQuorum
        }
        // veto · 10,000 < 2^78; vetoBps · voted < 2^32 · 2^66 = 2^98.
        if UInt128(counts.veto) * scale > UInt128(rules.vetoBps) * voted { return .vetoed }
        let nonAbstain = voted - UInt128(counts.abstain)  // abstain ≤ voted
        if nonAbstain > 0, UInt128(counts.yes) * scale > UInt128(rules.thresholdBps) * nonAbstain {
            return .passed
        }
        return .rejectedThreshold
    }
}
