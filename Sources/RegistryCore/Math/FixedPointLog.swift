/// A deterministic integer base-2 logarithm in unsigned fixed point Q.16 (D3: no floating point).
///
/// The result `r` represents `r / 65,536`. The algorithm is the classic one: the integer part is the
/// index of the highest set bit; the fraction is produced one bit at a time by squaring the mantissa
/// (normalised to [1, 2) in Q1.63, 128-bit products, truncating) and taking a bit whenever the square
/// reaches 2. Results are exact for powers of two and otherwise equal to ⌊65,536·log2 x⌋ or one less
/// (truncation only ever lowers the mantissa). The function is pure integer code, so every machine
/// computes the same bits; Docs/spec/fees.md (F-4) pins them with test vectors.
public enum FixedPointLog {
    /// The number of fractional bits of every result.
    public static let fractionBits = 16
    /// `1.0` in Q.16.
    public static let one: UInt64 = 1 << 16

    /// Fractional bits of the normalised mantissa (Q1.63: values in [2^63, 2^64)).
    private static let mantissaBits = 63

    /// `log2(x)` in Q.16 for `x ≥ 1`; `log2Q16(1) == 0`. By convention `log2Q16(0) == 0` (never traps).
    public static func log2Q16(_ x: UInt64) -> UInt64 {
        log2Q16(wide: UInt128(x))
    }

    /// `log2(1 + units)` in Q.16, defined for every `units` including `UInt64.max` (then exactly 64.0).
    public static func log2OnePlusQ16(_ units: UInt64) -> UInt64 {
        log2Q16(wide: UInt128(units) + 1)
    }

    /// The common implementation over a 128-bit argument (`x` ≤ 2^64 in practice).
    static func log2Q16(wide x: UInt128) -> UInt64 {
        guard x > 1 else { return 0 }
        let integerPart = UInt128.bitWidth - 1 - x.leadingZeroBitCount
        // The mantissa x / 2^integerPart in Q1.63, i.e. in [2^63, 2^64).
        var mantissa: UInt128
        if integerPart <= mantissaBits {
            mantissa = x << UInt128(mantissaBits - integerPart)
        } else {
            mantissa = x >> UInt128(integerPart - mantissaBits)
        }
        var result = UInt64(integerPart) << UInt64(fractionBits)
        let two: UInt128 = 1 << UInt128(mantissaBits + 1)
        var bit: UInt64 = one >> 1
        while bit > 0 {
            // mantissa < 2^64, so its square < 2^128 fits; the shifted square is in [2^63, 2^65).
            mantissa = (mantissa * mantissa) >> UInt128(mantissaBits)
            if mantissa >= two {
                mantissa >>= 1
                result |= bit
            }
            bit >>= 1
        }
        return result
    }
}
