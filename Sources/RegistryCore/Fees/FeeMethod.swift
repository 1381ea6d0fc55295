/// How a fee grows with the operation's units (Docs/spec/fees.md, F-3 to F-5). All integer (D3).
public enum FeeMethod: CanonicalCodable, Equatable, Hashable, Sendable {
    /// `amount`, whatever the units.
    case fixed(Amount)
    /// `base + perUnit · units`.
    case linear(base: Amount, perUnit: Amount)
    /// `base + ⌊coefficient · log2Q16(1 + units) / 2^16⌋` (integer Q.16 log, `FixedPointLog`).
    case logarithmic(base: Amount, coefficient: Amount)
    /// The amount of the first tier whose `upToUnits ≥ units`; beyond the last tier, the last tier's
    /// amount. Tiers are strictly increasing in `upToUnits`, 1…`maxTiers` of them.
    case step(tiers: [FeeTier])

    /// The most tiers a step method may have.
    public static let maxTiers = 16

    /// The method without its parameters; the raw value is the encoding's discriminant byte.
    public enum Kind: UInt8, CaseIterable, Sendable, CustomStringConvertible {
        case fixed = 1
        case linear = 2
        case logarithmic = 3
        case step = 4

        public var description: String {
            switch self {
            case .fixed: return "fixed"
            case .linear: return "linear"
            case .logarithmic: return "logarithmic"
            case .step: return "step"
            }
        }
    }

    /// The kind of this method.
    public var kind: Kind {
        switch self {
        case .fixed: return .fixed
        case .linear: return .linear
        case .logarithmic: return .logarithmic
        case .step: return .step
        }
    }

    /// The numeric parameters in their fixed order (the order `validate` and `validateChange` check
    /// them in): fixed → amount; linear → base, perUnit; logarithmic → base, coefficient;
    /// step → each tier's amount by index (tier boundaries are structural, see `structuralError`).
    public var parameters: [(field: FeeField, value: UInt64)] {
        switch self {
        case .fixed(let amount): return [(.amount, amount)]
        case .linear(let base, let perUnit): return [(.base, base), (.perUnit, perUnit)]
        case .logarithmic(let base, let coefficient): return [(.base, base), (.coefficient, coefficient)]
        case .step(let tiers): return tiers.enumerated().map { (.tierAmount(index: $0.offset), $0.element.amount) }
        }
    }

    /// The fee before clamping (F-3, F-4, F-5); `.overflow` when any term exceeds `UInt64.max`.
    public func unclampedFee(units: UInt64) -> Result<Amount, FeeError> {
        switch self {
        case .fixed(let amount):
            return .success(amount)
        case .linear(let base, let perUnit):
            guard let variable = CheckedMath.multiply(perUnit, units) else {
                return .failure(.overflow(field: .perUnit, units: units))
            }
            guard let total = CheckedMath.add(base, variable) else {
                return .failure(.overflow(field: .base, units: units))
            }
            return .success(total)
        case .logarithmic(let base, let coefficient):
            let log = FixedPointLog.log2OnePlusQ16(units)  // ≤ 64 · 2^16
            let scaled = (UInt128(coefficient) * UInt128(log)) >> UInt128(FixedPointLog.fractionBits)
            guard let variable = CheckedMath.narrow(scaled) else {
                return .failure(.overflow(field: .coefficient, units: units))
            }
            guard let total = CheckedMath.add(base, variable) else {
                return .failure(.overflow(field: .base, units: units))
            }
            return .success(total)
        case .step(let tiers):
            guard let last = tiers.last else { return .failure(.invalidSchedule(.tierCount(count: 0))) }
            for tier in tiers where tier.upToUnits >= units { return .success(tier.amount) }
            return .success(last.amount)
        }
    }

    /// The first broken structural rule (F-5: tier count 1…16, `upToUnits` strictly increasing), or nil.
    /// Decoders refuse such methods; `FeeSchedule.validate()` reports them.
    public var structuralError: FeeScheduleError? {
        guard case .step(let tiers) = self else { return nil }
        guard (1...FeeMethod.maxTiers).contains(tiers.count) else { return .tierCount(count: tiers.count) }
        for index in tiers.indices.dropFirst() where tiers[index].upToUnits <= tiers[index - 1].upToUnits {
            return .tiersNotIncreasing(index: index)
        }
        return nil
    }

    /// The discriminant byte (`Kind.rawValue`), then the parameters as u64 BE; a step method writes a
    /// u32 BE tier count and each tier (`upToUnits`, `amount`). See Docs/spec/fees.md, F-11.
    public func encode(to writer: inout CanonicalWriter) {
        writer.write(kind.rawValue)
        switch self {
        case .fixed(let amount):
            writer.write(amount)
        case .linear(let base, let perUnit):
            writer.write(base)
            writer.write(perUnit)
        case .logarithmic(let base, let coefficient):
            writer.write(base)
            writer.write(coefficient)
        case .step(let tiers):
            writer.write(tiers)
        }
    }

    public init(from reader: inout CanonicalReader) throws(CodecError) {
        let discriminant = try reader.readUInt8("fee method")
        guard let kind = Kind(rawValue: discriminant) else {
            throw .unknownDiscriminant(field: "fee method", value: UInt64(discriminant))
        }
        switch kind {
        case .fixed:
            self = .fixed(try reader.readUInt64("fee method amount"))
        case .linear:
            let base = try reader.readUInt64("fee method base")
            self = .linear(base: base, perUnit: try reader.readUInt64("fee method perUnit"))
        case .logarithmic:
            let base = try reader.readUInt64("fee method base")
            self = .logarithmic(base: base, coefficient: try reader.readUInt64("fee method coefficient"))
        case .step:
            let tiers = try reader.readArray("fee method tiers", limit: FeeMethod.maxTiers, as: FeeTier.self)
            self = .step(tiers: tiers)
        }
        if let error = structuralError {
            throw .invalidValue(field: "fee method \(error.field)", reason: error.description)
        }
    }
}
