/// Checked integer arithmetic on amounts and ratios (D3).
///
/// Every operation returns `nil` instead of wrapping or trapping; products are taken in 128 bits
/// before dividing, so `a·b/c` is exact whenever the quotient fits in `UInt64`.
public enum CheckedMath {
    /// How `mulDiv` rounds a quotient that is not exact.
    public enum Rounding: Sendable, Equatable {
        /// Toward zero (floor).
        case down
        /// Away from zero (ceiling).
        case up
    }

    /// The denominator of basis points: 10,000 bps = 100 %.
    public static let basisPointsDenominator: UInt64 = 10_000
    /// The denominator of parts per million: 1,000,000 ppm = 100 %.
    public static let ppmDenominator: UInt64 = 1_000_000

    /// `a + b`, or nil on overflow.
    @inlinable
    public static func add(_ a: UInt64, _ b: UInt64) -> UInt64? {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : sum
    }

    /// `a − b`, or nil when `b > a`.
    @inlinable
    public static func subtract(_ a: UInt64, _ b: UInt64) -> UInt64? {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? nil : difference
    }

    /// `a · b`, or nil on overflow.
    @inlinable
    public static func multiply(_ a: UInt64, _ b: UInt64) -> UInt64? {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : product
    }

    /// The sum of all values, or nil on overflow.
    public static func sum<S: Sequence>(_ values: S) -> UInt64? where S.Element == UInt64 {
        var total: UInt64 = 0
        for value in values {
            guard let next = add(total, value) else { return nil }
            total = next
        }
        return total
    }

    /// `a · b / c` with a 128-bit intermediate product, rounded as asked.
    ///
    /// - Returns: nil when `c` is 0 or when the rounded quotient exceeds `UInt64.max`.
    public static func mulDiv(_ a: UInt64, _ b: UInt64, _ c: UInt64, rounding: Rounding = .down) -> UInt64? {
        guard c != 0 else { return nil }
        let product = UInt128(a) * UInt128(b)  // < 2^128: cannot overflow
        let divisor = UInt128(c)
        var quotient = product / divisor
        if rounding == .up && product % divisor != 0 { quotient += 1 }  // quotient < 2^128 − 1 here
        return narrow(quotient)
    }

    /// `amount · bps / 10,000`, rounded down; nil on overflow (possible only for `bps > 10,000`).
    public static func basisPoints(_ amount: UInt64, _ bps: UInt32) -> UInt64? {
        mulDiv(amount, UInt64(bps), basisPointsDenominator, rounding: .down)
    }

    /// `amount · ppm / 1,000,000`, rounded down; nil on overflow (possible only for `ppm > 1,000,000`).
    public static func ppm(_ amount: UInt64, _ ppm: UInt32) -> UInt64? {
        mulDiv(amount, UInt64(ppm), ppmDenominator, rounding: .down)
    }

    /// A 128-bit value as `UInt64`, or nil when it does not fit.
    @inlinable
    public static func narrow(_ value: UInt128) -> UInt64? {
        value > UInt128(UInt64.max) ? nil : UInt64(truncatingIfNeeded: value)
    }
}
