/// Why a fee could not be computed (Docs/spec/fees.md, F-6). The executor maps it to a result code;
/// it is never wrapped, clamped or ignored.
public enum FeeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An intermediate or final value of the method's formula exceeded `UInt64.max` (`field` is the
    /// term being computed, `units` the input). Clamping to `maximum` does not rescue an overflow.
    case overflow(field: FeeField, units: UInt64)
    /// The schedule is not computable (minimum above maximum, or a step method without tiers).
    case invalidSchedule(FeeScheduleError)

    public var description: String {
        switch self {
        case .overflow(let field, let units): return "fee overflow computing \(field) for \(units) units"
        case .invalidSchedule(let error): return "fee schedule not computable: \(error)"
        }
    }
}
