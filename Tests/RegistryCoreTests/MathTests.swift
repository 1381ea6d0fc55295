import Testing
@testable import RegistryCore

/// CheckedMath and FixedPointLog (D3; Docs/spec/fees.md F-1, F-4).
@Suite("Math")
struct MathTests {
    // MARK: CheckedMath (F-1)

    @Test("add, subtract and multiply return nil instead of wrapping")
    func basicOperations() {
        #expect(CheckedMath.add(UInt64.max - 1, 1) == UInt64.max)
        #expect(CheckedMath.add(UInt64.max, 1) == nil)
        #expect(CheckedMath.subtract(5, 5) == 0)
        #expect(CheckedMath.subtract(4, 5) == nil)
        #expect(CheckedMath.multiply(1 << 32, (1 << 32) - 1) == 18_446_744_069_414_584_320)
        #expect(CheckedMath.multiply(1 << 32, 1 << 32) == nil)
        #expect(CheckedMath.multiply(UInt64.max, 0) == 0)
        #expect(CheckedMath.sum([1, 2, 3]) == 6)
        #expect(CheckedMath.sum([UInt64.max, 0]) == UInt64.max)
        #expect(CheckedMath.sum([UInt64.max, 1]) == nil)
        #expect(CheckedMath.sum([]) == 0)
    }

    @Test("mulDiv keeps the 128-bit product and rounds as asked")
    func mulDiv() {
        // (2^64−1)·(2^64−1)/(2^64−1) needs the 128-bit intermediate.
        #expect(CheckedMath.mulDiv(UInt64.max, UInt64.max, UInt64.max) == UInt64.max)
        #expect(CheckedMath.mulDiv(7, 3, 2, rounding: .down) == 10)
        #expect(CheckedMath.mulDiv(7, 3, 2, rounding: .up) == 11)
        #expect(CheckedMath.mulDiv(8, 3, 2, rounding: .up) == 12)  // exact: no rounding up
        #expect(CheckedMath.mulDiv(0, 3, 2, rounding: .up) == 0)
        #expect(CheckedMath.mulDiv(1, 1, 3, rounding: .up) == 1)
        #expect(CheckedMath.mulDiv(1, 1, 3, rounding: .down) == 0)
    }

    @Test("mulDiv returns nil on division by zero and on a quotient above UInt64.max")
    func mulDivRefusals() {
        #expect(CheckedMath.mulDiv(1, 1, 0) == nil)
        #expect(CheckedMath.mulDiv(0, 0, 0, rounding: .up) == nil)
        #expect(CheckedMath.mulDiv(UInt64.max, 2, 1) == nil)
        #expect(CheckedMath.mulDiv(UInt64.max, UInt64.max, UInt64.max - 1) == nil)
        // 31 · b = 2^65 − 1 = 2·(2^64 − 1) + 1: the floor is UInt64.max, the ceiling is one more.
        let b: UInt64 = 1_190_112_520_884_487_201
        #expect(CheckedMath.mulDiv(31, b, 2, rounding: .down) == UInt64.max)
        #expect(CheckedMath.mulDiv(31, b, 2, rounding: .up) == nil)
    }

    @Test("basis points and ppm round down and refuse overflow")
    func ratios() {
        #expect(CheckedMath.basisPoints(1_000_000, 2_000) == 200_000)
        #expect(CheckedMath.basisPoints(9_999, 1) == 0)
        #expect(CheckedMath.basisPoints(10_001, 1) == 1)
        #expect(CheckedMath.basisPoints(1_000_003, 2_000) == 200_000)  // 200,000.6 rounds down
        #expect(CheckedMath.basisPoints(UInt64.max, 10_000) == UInt64.max)
        #expect(CheckedMath.basisPoints(UInt64.max, 10_001) == nil)
        #expect(CheckedMath.basisPoints(UInt64.max, UInt32.max) == nil)
        #expect(CheckedMath.basisPoints(0, UInt32.max) == 0)
        #expect(CheckedMath.ppm(1_000_000, 1) == 1)
        #expect(CheckedMath.ppm(999_999, 1) == 0)
        #expect(CheckedMath.ppm(UInt64.max, 1_000_000) == UInt64.max)
        #expect(CheckedMath.ppm(UInt64.max, 1_000_001) == nil)
        #expect(CheckedMath.ppm(123_456_789, 250_000) == 30_864_197)
    }

    @Test("narrow refuses values above UInt64.max")
    func narrow() {
        #expect(CheckedMath.narrow(UInt128(UInt64.max)) == UInt64.max)
        #expect(CheckedMath.narrow(UInt128(UInt64.max) + 1) == nil)
    }

    // MARK: FixedPointLog (F-4)

    @Test("log2Q16 is exact for every power of two")
    func powersOfTwo() {
        for k in 0..<64 {
            #expect(FixedPointLog.log2Q16(UInt64(1) << UInt64(k)) == UInt64(k) << 16, "2^\(k)")
            #expect(FixedPointLog.log2OnePlusQ16((UInt64(1) << UInt64(k)) - 1) == UInt64(k) << 16, "1 + (2^\(k) − 1)")
        }
        #expect(FixedPointLog.log2OnePlusQ16(UInt64.max) == 64 << 16)
        #expect(FixedPointLog.log2Q16(1) == 0)
        #expect(FixedPointLog.log2Q16(0) == 0)  // documented convention, no trap
    }

    /// ⌊65,536 · log2 x⌋, computed exactly offline as `bit_length(x^65536) − 1` with Python integers
    /// (no floating point). The algorithm matches every one of these exactly (its bound is −1 ulp).
    static let pinned: [(x: UInt64, log: UInt64)] = [
        (3, 103_872), (5, 152_169), (6, 169_408), (7, 183_982), (10, 217_705), (100, 435_411),
        (1_000, 653_117), (1_023, 655_267), (1_025, 655_452), (12_345, 890_741), (65_535, 1_048_574),
        (65_537, 1_048_577), (1_000_000, 1_306_235), (1_000_000_000, 1_959_352),
        (4_294_967_295, 2_097_151), (4_294_967_297, 2_097_152), (1_000_000_000_000, 2_612_470),
        (123_456_789_012_345, 3_067_805), (9_007_199_254_740_993, 3_473_408),
        (1_000_000_000_000_000_000, 3_918_705), (9_223_372_036_854_775_807, 4_128_767),
        (9_223_372_036_854_775_809, 4_128_768), (18_446_744_073_709_551_615, 4_194_303),
    ]

    @Test("log2Q16 matches the pinned table of exact floors")
    func pinnedValues() {
        for (x, log) in Self.pinned {
            #expect(FixedPointLog.log2Q16(x) == log, "log2Q16(\(x))")
        }
    }

    @Test("log2Q16 is monotonic and within one ulp of the Double reference on a sweep")
    func referenceBound() {
        var previous: UInt64 = 0
        var x: UInt64 = 1
        while x < 5_000 {
            let value = FixedPointLog.log2Q16(x)
            #expect(value >= previous, "monotonic at \(x)")
            // Double is used only here, as a reference bound (D3 forbids it in the code under test).
            let reference = log2Double(x) * 65_536
            #expect(abs(Double(value) - reference.rounded(.down)) <= 1, "log2Q16(\(x)) = \(value), reference \(reference)")
            previous = value
            x += 1
        }
        var big: UInt64 = 5_000
        while big < UInt64.max / 3 {
            let value = FixedPointLog.log2Q16(big)
            #expect(abs(Double(value) - log2Double(big) * 65_536) <= 2, "log2Q16(\(big))")
            big = big * 3 + 1
        }
    }

    /// log2 in Double (stdlib has no log2 without Foundation), for reference only.
    private func log2Double(_ x: UInt64) -> Double {
        var mantissa = Double(x)
        var exponent = 0.0
        while mantissa >= 2 { mantissa /= 2; exponent += 1 }
        // log2(m) for m in [1, 2) by the series of atanh: ln m = 2·atanh((m−1)/(m+1)).
        let t = (mantissa - 1) / (mantissa + 1)
        var term = t
        var sum = 0.0
        var n = 1.0
        while abs(term) > 1e-18 {
            sum += term / n
            term *= t * t
            n += 2
        }
        return exponent + 2 * sum / 0.693_147_180_559_945_3
    }
}
