import Sodium
import Testing
@testable import RegistryCore

private func hexOf<T: CanonicalEncodable>(_ value: T) -> String { Hex.encode(value.canonicalBytes()) }

private func decode<T: CanonicalDecodable>(_ hex: String, as type: T.Type) throws -> T {
    let bytes = try #require(Hex.decode(hex))
    return try T(canonicalBytes: bytes)
}

private func decodeError<T: CanonicalDecodable>(_ hex: String, as type: T.Type) -> CodecError? {
    guard let bytes = Hex.decode(hex) else { return nil }
    do {
        _ = try T(canonicalBytes: bytes)
        return nil
    } catch {
        return error
    }
}

private func schedule(_ method: FeeMethod, _ minimum: Amount = 0, _ maximum: Amount = FeeSchedule.amountCap) -> FeeSchedule {
    FeeSchedule(method: method, minimum: minimum, maximum: maximum)
}

private let threeTiers: [FeeTier] = [
    FeeTier(upToUnits: 10, amount: 100), FeeTier(upToUnits: 100, amount: 500), FeeTier(upToUnits: 1_000, amount: 2_000),
]

/// Fee methods, clamping, overflow, validation, the ±20 % rule and the canonical codec (Docs/spec/fees.md).
@Suite("Fee schedules")
struct FeeScheduleTests {
    // MARK: Formulas (F-3 … F-5)

    @Test("F-3 fixed ignores units")
    func fixed() {
        let fee = schedule(.fixed(1_234))
        for units: UInt64 in [0, 1, 1_000_000, .max] { #expect(fee.fee(units: units) == .success(1_234)) }
    }

    @Test("F-3 linear is base + perUnit · units at 0, 1 and large units")
    func linear() {
        let fee = schedule(.linear(base: 1_000, perUnit: 7))
        #expect(fee.fee(units: 0) == .success(1_000))
        #expect(fee.fee(units: 1) == .success(1_007))
        #expect(fee.fee(units: 1_000_000_000) == .success(7_000_001_000))
        let unbounded = FeeSchedule(method: .linear(base: 0, perUnit: 1), minimum: 0, maximum: .max)
        #expect(unbounded.fee(units: .max) == .success(.max))
    }

    @Test("F-3/F-6 linear overflow is refused, naming the term, never wrapped or clamped")
    func linearOverflow() {
        #expect(schedule(.linear(base: 0, perUnit: .max)).fee(units: 2) == .failure(.overflow(field: .perUnit, units: 2)))
        #expect(schedule(.linear(base: .max, perUnit: 1)).fee(units: 1) == .failure(.overflow(field: .base, units: 1)))
        // A maximum far below the overflowing value does not rescue it.
        let capped = FeeSchedule(method: .linear(base: 0, perUnit: .max), minimum: 0, maximum: 10)
        #expect(capped.fee(units: 2) == .failure(.overflow(field: .perUnit, units: 2)))
        #expect(capped.fee(units: 1) == .success(10))
    }

    @Test("F-4 logarithmic is base + ⌊coefficient · log2Q16(1 + units) / 2^16⌋")
    func logarithmic() {
        let fee = schedule(.logarithmic(base: 10_000, coefficient: 100_000))
        #expect(fee.fee(units: 0) == .success(10_000))  // log2(1) = 0
        #expect(fee.fee(units: 1) == .success(110_000))  // log2(2) = 1
        #expect(fee.fee(units: 3) == .success(210_000))  // log2(4) = 2
        #expect(fee.fee(units: 1_023) == .success(1_010_000))  // log2(1024) = 10
        #expect(fee.fee(units: .max) == .success(6_410_000))  // log2(2^64) = 64, no overflow of 1 + units
        // log2(3) = 103,872 / 65,536 ≈ 1.585: 3 · 103,872 = 311,616 → ⌊311,616 / 65,536⌋ = 4 (4.75 rounds down).
        #expect(schedule(.logarithmic(base: 0, coefficient: 3)).fee(units: 2) == .success(4))
        // log2(1001) in Q.16 = 653,212 (exact floor, computed offline): ⌊100,000 · 653,212 / 65,536⌋ = 996,722.
        #expect(FixedPointLog.log2Q16(1_001) == 653_212)
        #expect(fee.fee(units: 1_000) == .success(1_006_722))
    }

    @Test("F-4 logarithmic overflow is refused")
    func logarithmicOverflow() {
        let fee = schedule(.logarithmic(base: 0, coefficient: .max), 0, .max)
        #expect(fee.fee(units: 1) == .success(.max))  // max · 1.0 fits exactly
        #expect(fee.fee(units: 3) == .failure(.overflow(field: .coefficient, units: 3)))
        #expect(schedule(.logarithmic(base: .max, coefficient: 1), 0, .max).fee(units: 1) == .failure(.overflow(field: .base, units: 1)))
        #expect(schedule(.logarithmic(base: .max, coefficient: 1), 0, .max).fee(units: 0) == .success(.max))
    }

    @Test("F-5 step takes the first tier whose upToUnits ≥ units, the last tier beyond")
    func step() {
        let fee = schedule(.step(tiers: threeTiers))
        let expected: [(UInt64, Amount)] = [
            (0, 100), (1, 100), (10, 100), (11, 500), (100, 500), (101, 2_000), (1_000, 2_000), (1_001, 2_000), (.max, 2_000),
        ]
        for (units, amount) in expected { #expect(fee.fee(units: units) == .success(amount), "units \(units)") }
        #expect(schedule(.step(tiers: [FeeTier(upToUnits: 0, amount: 9)])).fee(units: 5) == .success(9))
    }

    @Test("F-5 a step method without tiers is not computable")
    func emptyStep() {
        #expect(schedule(.step(tiers: [])).fee(units: 1) == .failure(.invalidSchedule(.tierCount(count: 0))))
    }

    // MARK: Clamping (F-6)

    @Test("F-6 the fee is clamped to [minimum, maximum]")
    func clamping() {
        let fee = schedule(.linear(base: 0, perUnit: 10), 50, 1_000)
        #expect(fee.fee(units: 0) == .success(50))
        #expect(fee.fee(units: 5) == .success(50))
        #expect(fee.fee(units: 6) == .success(60))
        #expect(fee.fee(units: 100) == .success(1_000))
        #expect(fee.fee(units: 101) == .success(1_000))
        #expect(schedule(.fixed(0), 7, 7).fee(units: 0) == .success(7))
    }

    @Test("F-6 minimum above maximum is not computable")
    func invertedBounds() {
        #expect(schedule(.fixed(5), 10, 9).fee(units: 0) == .failure(.invalidSchedule(.minimumAboveMaximum(minimum: 10, maximum: 9))))
    }

    // MARK: Validation (F-7)

    @Test("F-7 validate accepts sane schedules and names the offending field")
    func validate() {
        #expect(schedule(.step(tiers: threeTiers), 0, 10_000).validate() == nil)
        #expect(schedule(.fixed(1), 3, 2).validate() == .minimumAboveMaximum(minimum: 3, maximum: 2))
        let overCap = FeeSchedule.amountCap + 1
        #expect(schedule(.fixed(1), 0, overCap).validate() == .exceedsCap(field: .maximum, value: overCap, cap: FeeSchedule.amountCap))
        #expect(schedule(.fixed(1), 0, FeeSchedule.amountCap).validate() == nil)
        #expect(schedule(.linear(base: 0, perUnit: overCap)).validate() == .exceedsCap(field: .perUnit, value: overCap, cap: FeeSchedule.amountCap))
        #expect(schedule(.logarithmic(base: overCap, coefficient: 1)).validate()?.field == .base)
        #expect(schedule(.logarithmic(base: 1, coefficient: overCap)).validate()?.field == .coefficient)
        var tiers = threeTiers
        tiers[2].amount = overCap
        #expect(schedule(.step(tiers: tiers)).validate()?.field == .tierAmount(index: 2))
    }

    @Test("F-7 step tiers: 1 … 16, strictly increasing")
    func validateTiers() {
        #expect(schedule(.step(tiers: [])).validate() == .tierCount(count: 0))
        let sixteen = (1...16).map { FeeTier(upToUnits: UInt64($0), amount: 1) }
        #expect(schedule(.step(tiers: sixteen)).validate() == nil)
        let seventeen = (1...17).map { FeeTier(upToUnits: UInt64($0), amount: 1) }
        #expect(schedule(.step(tiers: seventeen)).validate() == .tierCount(count: 17))
        let equal = [FeeTier(upToUnits: 5, amount: 1), FeeTier(upToUnits: 5, amount: 2)]
        #expect(schedule(.step(tiers: equal)).validate() == .tiersNotIncreasing(index: 1))
        let decreasing = [FeeTier(upToUnits: 5, amount: 1), FeeTier(upToUnits: 6, amount: 1), FeeTier(upToUnits: 4, amount: 1)]
        #expect(schedule(.step(tiers: decreasing)).validate()?.field == .tierUpToUnits(index: 2))
    }

    // MARK: Governance change bound (F-8)

    @Test("F-8 ±20 %: exactly 20 % is accepted, one base unit more is refused")
    func twentyPercent() {
        let current = schedule(.linear(base: 1_000_000, perUnit: 50_000), 100_000, 10_000_000)
        func with(base: UInt64) -> FeeSchedule { schedule(.linear(base: base, perUnit: 50_000), 100_000, 10_000_000) }
        #expect(current.validateChange(to: with(base: 1_200_000)) == nil)
        #expect(current.validateChange(to: with(base: 800_000)) == nil)
        #expect(current.validateChange(to: with(base: 1_200_001))
                == .changeTooLarge(field: .base, current: 1_000_000, proposed: 1_200_001, allowedDelta: 200_000))
        #expect(current.validateChange(to: with(base: 799_999))?.field == .base)
        #expect(current.validateChange(to: current) == nil)
    }

    @Test("F-8 the 20 % allowance rounds down")
    func roundingDown() {
        let current = schedule(.fixed(1_000_003))
        // 20 % of 1,000,003 is 200,000.6 → 200,000.
        #expect(current.validateChange(to: schedule(.fixed(1_200_003))) == nil)
        #expect(current.validateChange(to: schedule(.fixed(1_200_004)))
                == .changeTooLarge(field: .amount, current: 1_000_003, proposed: 1_200_004, allowedDelta: 200_000))
    }

    @Test("F-8 every parameter is bounded: perUnit, coefficient, minimum, maximum, tier amounts")
    func everyParameter() {
        let linear = schedule(.linear(base: 1_000, perUnit: 10_000), 1_000, 1_000_000)
        #expect(linear.validateChange(to: schedule(.linear(base: 1_000, perUnit: 12_001), 1_000, 1_000_000))?.field == .perUnit)
        #expect(linear.validateChange(to: schedule(.linear(base: 1_000, perUnit: 10_000), 1_000, 1_200_000)) == nil)
        #expect(linear.validateChange(to: schedule(.linear(base: 1_000, perUnit: 10_000), 1_000, 1_200_001))?.field == .maximum)
        #expect(linear.validateChange(to: schedule(.linear(base: 1_000, perUnit: 10_000), 1_200, 1_000_000)) == nil)
        #expect(linear.validateChange(to: schedule(.linear(base: 1_000, perUnit: 10_000), 1_201, 1_000_000))?.field == .minimum)
        let log = schedule(.logarithmic(base: 1_000, coefficient: 100_000))
        #expect(log.validateChange(to: schedule(.logarithmic(base: 1_000, coefficient: 80_000))) == nil)
        #expect(log.validateChange(to: schedule(.logarithmic(base: 1_000, coefficient: 79_999)))?.field == .coefficient)
        let tiered = schedule(.step(tiers: [FeeTier(upToUnits: 10, amount: 1_000), FeeTier(upToUnits: 20, amount: 5_000)]))
        let raised = schedule(.step(tiers: [FeeTier(upToUnits: 10, amount: 1_100), FeeTier(upToUnits: 20, amount: 6_000)]))
        #expect(tiered.validateChange(to: raised) == nil)
        let tooHigh = schedule(.step(tiers: [FeeTier(upToUnits: 10, amount: 1_100), FeeTier(upToUnits: 20, amount: 6_001)]))
        #expect(tiered.validateChange(to: tooHigh)?.field == .tierAmount(index: 1))
    }

    @Test("F-8 a method change is refused")
    func methodChange() {
        let current = schedule(.linear(base: 1_000, perUnit: 10))
        #expect(current.validateChange(to: schedule(.logarithmic(base: 1_000, coefficient: 10)))
                == .methodChanged(from: .linear, to: .logarithmic))
        #expect(schedule(.fixed(0)).validateChange(to: schedule(.step(tiers: [FeeTier(upToUnits: 1, amount: 0)])))
                == .methodChanged(from: .fixed, to: .step))
    }

    @Test("F-8 step tier boundaries and count must stay the same")
    func tierBoundaries() {
        let current = schedule(.step(tiers: threeTiers))
        var moved = threeTiers
        moved[1].upToUnits = 101
        #expect(current.validateChange(to: schedule(.step(tiers: moved))) == .tierBoundaryChanged(index: 1, from: 100, to: 101))
        #expect(current.validateChange(to: schedule(.step(tiers: Array(threeTiers.prefix(2))))) == .tierCountChanged(from: 3, to: 2))
    }

    @Test("F-8 zero and tiny parameters may move by the minimum step of 100 base units")
    func minimumStep() {
        let zero = schedule(.fixed(0), 0, 1_000_000)
        #expect(zero.validateChange(to: schedule(.fixed(100), 0, 1_000_000)) == nil)
        #expect(zero.validateChange(to: schedule(.fixed(101), 0, 1_000_000))
                == .changeTooLarge(field: .amount, current: 0, proposed: 101, allowedDelta: 100))
        #expect(schedule(.fixed(1)).validateChange(to: schedule(.fixed(101))) == nil)
        #expect(schedule(.fixed(1)).validateChange(to: schedule(.fixed(0))) == nil)
        // With a minimum step of 0 a zero parameter must stay zero.
        #expect(zero.validateChange(to: schedule(.fixed(1), 0, 1_000_000), minimumStep: 0)?.field == .amount)
        // 500 is where 20 % equals the step; above it the proportional bound decides.
        #expect(schedule(.fixed(500)).validateChange(to: schedule(.fixed(600))) == nil)
        #expect(schedule(.fixed(500)).validateChange(to: schedule(.fixed(601)))?.field == .amount)
    }

    @Test("F-8 a proposal must itself be valid, and other bounds than 20 % can be asked for")
    func proposedValidity() {
        let current = schedule(.fixed(1_000), 0, 10_000)
        #expect(current.validateChange(to: schedule(.fixed(1_000), 10_000, 9_000)) == .minimumAboveMaximum(minimum: 10_000, maximum: 9_000))
        #expect(current.validateChange(to: schedule(.fixed(1_000), 0, 11_000), maxChangeBps: 1_000) == nil)
        #expect(current.validateChange(to: schedule(.fixed(1_000), 0, 11_001), maxChangeBps: 1_000)?.field == .maximum)
        #expect(FeeSchedule.allowedDelta(current: .max, maxChangeBps: UInt32.max, minimumStep: 0) == .max)
    }

    // MARK: Canonical codec (F-11, F-12)

    static let golden: [(FeeSchedule, String)] = [
        (schedule(.fixed(1_000_000), 0, 100_000_000),
         "0100000000000f424000000000000000000000000005f5e100"),
        (schedule(.linear(base: 10_000_000, perUnit: 1_000_000), 10_000_000, 1_000_000_000),
         "02000000000098968000000000000f42400000000000989680000000003b9aca00"),
        (schedule(.logarithmic(base: 10_000, coefficient: 100_000), 10_000, 10_000_000),
         "03000000000000271000000000000186a000000000000027100000000000989680"),
        (schedule(.step(tiers: threeTiers), 50, 5_000),
         "0400000003000000000000000a0000000000000064000000000000006400000000000001f4"
         + "00000000000003e800000000000007d000000000000000320000000000001388"),
    ]

    @Test("F-12 golden hex vectors of a schedule of each method, and round trips")
    func goldenVectors() throws {
        for (value, hex) in Self.golden {
            #expect(hexOf(value) == hex)
            #expect(try decode(hex, as: FeeSchedule.self) == value)
        }
    }

    @Test("F-11/F-12 decoders reject trailing bytes, unknown discriminants, bad tiers, inverted bounds, truncation")
    func decoderRejections() {
        let fixedHex = Self.golden[0].1
        #expect(decodeError(fixedHex + "00", as: FeeSchedule.self) == .trailingBytes(count: 1))
        #expect(decodeError("00" + fixedHex.dropFirst(2), as: FeeSchedule.self) == .unknownDiscriminant(field: "fee method", value: 0))
        #expect(decodeError("05" + fixedHex.dropFirst(2), as: FeeSchedule.self) == .unknownDiscriminant(field: "fee method", value: 5))
        #expect(decodeError(String(fixedHex.dropLast(2)), as: FeeSchedule.self) == .truncated(field: "fee schedule maximum"))
        // minimum 2 > maximum 1.
        let inverted = "01" + String(repeating: "0", count: 16) + "0000000000000002" + "0000000000000001"
        if case .invalidValue(let field, _)? = decodeError(inverted, as: FeeSchedule.self) {
            #expect(field == "fee schedule minimum")
        } else {
            Issue.record("inverted bounds decoded")
        }
        // Unsorted tiers (100 then 10), equal tiers, no tier, 17 tiers.
        let tier = { (up: UInt64, amount: UInt64) in hexOf(FeeTier(upToUnits: up, amount: amount)) }
        let bounds = "0000000000000000" + "00000000000003e8"
        let unsorted = "04" + "00000002" + tier(100, 1) + tier(10, 1) + bounds
        let equal = "04" + "00000002" + tier(10, 1) + tier(10, 1) + bounds
        let none = "04" + "00000000" + bounds
        let tooMany = "04" + "00000011" + (1...17).map { tier(UInt64($0), 1) }.joined() + bounds
        for bad in [unsorted, equal, none] {
            guard case .invalidValue? = decodeError(bad, as: FeeSchedule.self) else {
                Issue.record("accepted \(bad)")
                continue
            }
        }
        #expect(decodeError(tooMany, as: FeeSchedule.self) == .lengthExceedsLimit(field: "fee method tiers", length: 17, limit: 16))
        #expect(decodeError("04" + "00000002" + tier(10, 1) + tier(11, 1) + bounds, as: FeeSchedule.self) == nil)
    }

    @Test("F-11 every method round-trips through FeeMethod's own codec")
    func methodRoundTrip() throws {
        let methods: [FeeMethod] = [
            .fixed(0), .fixed(.max), .linear(base: .max, perUnit: 0), .logarithmic(base: 1, coefficient: .max),
            .step(tiers: [FeeTier(upToUnits: .max, amount: .max)]), .step(tiers: threeTiers),
        ]
        for method in methods {
            #expect(try FeeMethod(canonicalBytes: method.canonicalBytes()) == method)
            #expect(method.canonicalBytes().first == method.kind.rawValue)
        }
    }
}

/// Fee operations and the fee table (Docs/spec/fees.md F-2, F-9, F-10, F-13).
@Suite("Fee table")
struct FeeTableTests {
    @Test("F-2 operation bytes are pinned")
    func operationBytes() {
        #expect(FeeOperation.allCases.map(\.rawValue) == Array(1...10))
        #expect(FeeOperation.allCases.map(\.description) == [
            "registration", "metadataUpdate", "ownershipTransfer", "proposal", "vote", "usage", "rent", "withdrawal",
            "proposalExecution", "failedTransaction",
        ])
    }

    @Test("F-2 registration units are whole MiB rounded up, at least 1; rent units multiply by rounds")
    func units() {
        let mib = FeeOperation.bytesPerMiB
        #expect(FeeOperation.registrationUnits(modelSizeBytes: 0) == 1)
        #expect(FeeOperation.registrationUnits(modelSizeBytes: 1) == 1)
        #expect(FeeOperation.registrationUnits(modelSizeBytes: mib) == 1)
        #expect(FeeOperation.registrationUnits(modelSizeBytes: mib + 1) == 2)
        #expect(FeeOperation.registrationUnits(modelSizeBytes: 100 * mib) == 100)
        #expect(FeeOperation.registrationUnits(modelSizeBytes: .max) == 1 << 44)
        #expect(FeeOperation.rentUnits(roundsElapsed: 5, modelSizeBytes: 3 * mib - 1) == 15)
        #expect(FeeOperation.rentUnits(roundsElapsed: 0, modelSizeBytes: mib) == 0)
        #expect(FeeOperation.rentUnits(roundsElapsed: .max, modelSizeBytes: 2 * mib) == nil)
    }

    @Test("F-9 one schedule per operation; schedule(for:) and replacing(_:with:)")
    func lookupAndReplace() {
        let table = FeeTable { FeeSchedule(method: .fixed(Amount($0.rawValue) * 10), minimum: 0, maximum: 1_000) }
        for operation in FeeOperation.allCases {
            #expect(table.schedule(for: operation).fee(units: 1) == .success(Amount(operation.rawValue) * 10))
        }
        #expect(table.entries.map(\.operation) == FeeOperation.allCases)
        let replaced = table.replacing(.vote, with: FeeSchedule(method: .fixed(999), minimum: 0, maximum: 1_000))
        #expect(replaced.fee(for: .vote, units: 1) == .success(999))
        #expect(replaced.fee(for: .usage, units: 1) == .success(60))
        #expect(table.fee(for: .vote, units: 1) == .success(50))  // value semantics
        #expect(replaced.schedules.count == FeeOperation.allCases.count)
    }

    @Test("F-9 init(entries:) sorts, and refuses a missing or duplicated operation")
    func entries() {
        let entries = FeeOperation.allCases.reversed().map { FeeTableEntry(operation: $0, schedule: FeeSchedule(method: .fixed(1), minimum: 0, maximum: 1)) }
        #expect(FeeTable(entries: entries)?.entries.map(\.operation) == FeeOperation.allCases)
        #expect(FeeTable(entries: Array(entries.dropFirst())) == nil)
        #expect(FeeTable(entries: entries + [entries[0]]) == nil)
    }

    @Test("F-10 the defaults are valid and charge the documented amounts")
    func defaults() {
        let table = FeeTable.defaults
        #expect(table.validate() == nil)
        #expect(table.fee(for: .registration, units: 1) == .success(11_000_000))
        #expect(table.fee(for: .registration, units: 100) == .success(110_000_000))
        #expect(table.fee(for: .registration, units: 1_000_000) == .success(1_000_000_000))  // clamped to 10 tokens
        #expect(table.fee(for: .vote, units: 1) == .success(0))
        #expect(table.fee(for: .usage, units: 0) == .success(10_000))
        #expect(table.fee(for: .usage, units: 1_023) == .success(1_010_000))
        #expect(table.fee(for: .rent, units: 100 * 432_000) == .success(43_200_000))  // 100 MiB for a day of 200 ms rounds
        #expect(table.fee(for: .failedTransaction, units: 1) == .success(10_000))
        #expect(table.fee(for: .proposal, units: 1) == .success(10_000_000))
    }

    @Test("F-9 validate names the first invalid operation")
    func validate() {
        let bad = FeeTable.defaults.replacing(.usage, with: FeeSchedule(method: .fixed(1), minimum: 5, maximum: 4))
        #expect(bad.validate() == FeeTableError(operation: .usage, error: .minimumAboveMaximum(minimum: 5, maximum: 4)))
        let change = FeeSchedule(method: .fixed(10_000_000), minimum: 0, maximum: 100_000_000)
        #expect(FeeTable.defaults.validateChange(of: .metadataUpdate, to: change)?.field == .amount)
    }

    @Test("F-13 golden first bytes of the defaults, and a round trip")
    func goldenDefaults() throws {
        let bytes = FeeTable.defaults.canonicalBytes()
        let prefix = "0000000a"
            + "01" + "02000000000098968000000000000f42400000000000989680000000003b9aca00"
            + "02" + "0100000000000f424000000000000000000000000005f5e100"
        #expect(Hex.encode(bytes).hasPrefix(prefix))
        #expect(try FeeTable(canonicalBytes: bytes) == FeeTable.defaults)
    }

    @Test("F-13 the decoder refuses wrong counts, unknown or out-of-order operations, trailing bytes")
    func decoderRejections() {
        let entries = FeeTable.defaults.entries
        func encode(_ list: [FeeTableEntry]) -> [UInt8] {
            var writer = CanonicalWriter()
            writer.write(list)
            return writer.bytes
        }
        func error(_ bytes: [UInt8]) -> CodecError? {
            do { _ = try FeeTable(canonicalBytes: bytes); return nil } catch { return error }
        }
        guard case .invalidValue? = error(encode(Array(entries.dropLast()))) else { Issue.record("9 entries accepted"); return }
        #expect(error(encode(entries + [entries[0]])) == .lengthExceedsLimit(field: "fee table entries", length: 11, limit: 10))
        var swapped = entries
        swapped.swapAt(3, 4)
        guard case .invalidValue? = error(encode(swapped)) else { Issue.record("swapped entries accepted"); return }
        var unknown = encode(entries)
        unknown[4] = 0x0B  // the first entry's operation byte
        #expect(error(unknown) == .unknownDiscriminant(field: "fee table operation", value: 11))
        #expect(error(encode(entries) + [0]) == .trailingBytes(count: 1))
    }
}
