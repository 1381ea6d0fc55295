/// A numeric parameter of a fee schedule, named in `FeeError` and `FeeScheduleError`.
public enum FeeField: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// `FeeMethod.fixed(amount:)`.
    case amount
    /// The base of `.linear` or `.logarithmic`.
    case base
    /// `FeeMethod.linear(perUnit:)`.
    case perUnit
    /// `FeeMethod.logarithmic(coefficient:)`.
    case coefficient
    /// `FeeSchedule.minimum`.
    case minimum
    /// `FeeSchedule.maximum`.
    case maximum
    /// The tier list of `.step` as a whole (count, order).
    case tiers
    /// `amount` of the tier at `index` (0-based).
    case tierAmount(index: Int)
    /// `upToUnits` of the tier at `index` (0-based).
    case tierUpToUnits(index: Int)

    public var description: String {
        switch self {
        case .amount: return "amount"
        case .base: return "base"
        case .perUnit: return "perUnit"
        case .coefficient: return "coefficient"
        case .minimum: return "minimum"
        case .maximum: return "maximum"
        case .tiers: return "tiers"
        case .tierAmount(let index): return "tiers[\(index)].amount"
        case .tierUpToUnits(let index): return "tiers[\(index)].upToUnits"
        }
    }
}
