/// Why a fee schedule, or a proposed change of one, is refused (Docs/spec/fees.md, F-7 and F-8).
public enum FeeScheduleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `minimum > maximum`.
    case minimumAboveMaximum(minimum: Amount, maximum: Amount)
    /// A parameter above `FeeSchedule.amountCap`.
    case exceedsCap(field: FeeField, value: UInt64, cap: UInt64)
    /// A step method with fewer than 1 or more than `FeeMethod.maxTiers` tiers.
    case tierCount(count: Int)
    /// `tiers[index].upToUnits` is not strictly greater than `tiers[index − 1].upToUnits`.
    case tiersNotIncreasing(index: Int)
    /// A change would replace the method kind (refused: parameters of different kinds are not comparable).
    case methodChanged(from: FeeMethod.Kind, to: FeeMethod.Kind)
    /// A change would alter the number of step tiers.
    case tierCountChanged(from: Int, to: Int)
    /// A change would move a step tier boundary.
    case tierBoundaryChanged(index: Int, from: UInt64, to: UInt64)
    /// A change moves `field` by more than `allowedDelta` (the ±20 % bound or the small-value step).
    case changeTooLarge(field: FeeField, current: UInt64, proposed: UInt64, allowedDelta: UInt64)

    /// The offending field.
    public var field: FeeField {
        switch self {
        case .minimumAboveMaximum: return .minimum
        case .exceedsCap(let field, _, _): return field
        case .tierCount, .tierCountChanged, .methodChanged: return .tiers
        case .tiersNotIncreasing(let index): return .tierUpToUnits(index: index)
        case .tierBoundaryChanged(let index, _, _): return .tierUpToUnits(index: index)
        case .changeTooLarge(let field, _, _, _): return field
        }
    }

    public var description: String {
        switch self {
        case .minimumAboveMaximum(let minimum, let maximum):
            return "fee minimum \(minimum) is above maximum \(maximum)"
        case .exceedsCap(let field, let value, let cap): return "fee \(field) \(value) exceeds the cap \(cap)"
        case .tierCount(let count): return "step fee has \(count) tiers, expected 1…\(FeeMethod.maxTiers)"
        case .tiersNotIncreasing(let index): return "step fee tiers[\(index)].upToUnits is not increasing"
        case .methodChanged(let from, let to): return "fee method change from \(from) to \(to) is not allowed"
        case .tierCountChanged(let from, let to): return "step fee tier count change from \(from) to \(to) is not allowed"
        case .tierBoundaryChanged(let index, let from, let to):
            return "step fee tiers[\(index)].upToUnits change from \(from) to \(to) is not allowed"
        case .changeTooLarge(let field, let current, let proposed, let allowedDelta):
            return "fee \(field) change from \(current) to \(proposed) exceeds the allowed ±\(allowedDelta)"
        }
    }
}
