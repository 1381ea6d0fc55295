/// The fee of one operation: a method, clamped to `[minimum, maximum]` (Docs/spec/fees.md).
public struct FeeSchedule: CanonicalCodable, Equatable, Hashable, Sendable {
    /// How the fee grows with units.
    public var method: FeeMethod
    /// The least fee charged, in base units (F-6).
    public var minimum: Amount
    /// The most fee charged, in base units (F-6); at most `amountCap` (F-7).
    public var maximum: Amount

    /// The largest value any amount-like parameter may take: 10^15 base units (10,000,000 tokens of
    /// 10^8 base units). F-7.
    public static let amountCap: Amount = 1_000_000_000_000_000
    /// The default bound of a governance change: 2,000 bps = ±20 % (F-8).
    public static let defaultMaxChangeBps: UInt32 = 2_000
    /// The least absolute change always allowed to a parameter, in its own units: 100 (F-8). It lets a
    /// parameter at 0 (or too small for 20 % to be a whole unit) move at all; 100 base units is dust.
    public static let defaultMinimumStep: UInt64 = 100

    public init(method: FeeMethod, minimum: Amount, maximum: Amount) {
        self.method = method
        self.minimum = minimum
        self.maximum = maximum
    }

    /// The fee for `units`: the method's formula (F-3…F-5), then clamped to `[minimum, maximum]` (F-6).
    ///
    /// - Returns: `.overflow` if any term of the formula exceeds `UInt64.max` (never wrapped, never
    ///   silently clamped); `.invalidSchedule` if `minimum > maximum` or a step method has no tier.
    public func fee(units: UInt64) -> Result<Amount, FeeError> {
        guard minimum <= maximum else {
            return .failure(.invalidSchedule(.minimumAboveMaximum(minimum: minimum, maximum: maximum)))
        }
        switch method.unclampedFee(units: units) {
        case .failure(let error): return .failure(error)
        case .success(let raw): return .success(Swift.min(Swift.max(raw, minimum), maximum))
        }
    }

    /// The first broken rule of F-7, checked in this order: the method's structure (tier count, tier
    /// order), each method parameter ≤ `amountCap` (in `FeeMethod.parameters` order),
    /// `minimum ≤ maximum`, `maximum ≤ amountCap`. Nil when valid.
    public func validate() -> FeeScheduleError? {
        if let error = method.structuralError { return error }
        for (field, value) in method.parameters where value > FeeSchedule.amountCap {
            return .exceedsCap(field: field, value: value, cap: FeeSchedule.amountCap)
        }
        if minimum > maximum { return .minimumAboveMaximum(minimum: minimum, maximum: maximum) }
        if maximum > FeeSchedule.amountCap {
            return .exceedsCap(field: .maximum, value: maximum, cap: FeeSchedule.amountCap)
        }
        return nil
    }

    /// Whether governance may replace this schedule by `proposed` (F-8), or the first reason not to.
    ///
    /// `proposed` must be valid (F-7) and keep the method kind and, for a step method, the tier count
    /// and every tier boundary. Every numeric parameter — the method's parameters, then `minimum`, then
    /// `maximum` — may move from its current value `c` by at most `max(⌊c · maxChangeBps / 10,000⌋,
    /// minimumStep)` in either direction: exactly ±20 % is accepted, one base unit more is refused.
    /// A method change is refused because the ±20 % bound compares parameters one by one, and the
    /// parameters of different methods are not comparable (a linear and a logarithmic fee diverge
    /// without bound as units grow), so the bound would not bound anything.
    public func validateChange(
        to proposed: FeeSchedule,
        maxChangeBps: UInt32 = FeeSchedule.defaultMaxChangeBps,
        minimumStep: UInt64 = FeeSchedule.defaultMinimumStep
    ) -> FeeScheduleError? {
        if let error = proposed.validate() { return error }
        guard method.kind == proposed.method.kind else {
            return .methodChanged(from: method.kind, to: proposed.method.kind)
        }
        if case .step(let currentTiers) = method, case .step(let proposedTiers) = proposed.method {
            guard currentTiers.count == proposedTiers.count else {
                return .tierCountChanged(from: currentTiers.count, to: proposedTiers.count)
            }
            for index in currentTiers.indices where currentTiers[index].upToUnits != proposedTiers[index].upToUnits {
                return .tierBoundaryChanged(index: index, from: currentTiers[index].upToUnits,
                                            to: proposedTiers[index].upToUnits)
            }
        }
        var pairs = zip(method.parameters, proposed.method.parameters).map { ($0.field, $0.value, $1.value) }
        pairs.append((.minimum, minimum, proposed.minimum))
        pairs.append((.maximum, maximum, proposed.maximum))
        for (field, current, new) in pairs {
            let allowed = FeeSchedule.allowedDelta(current: current, maxChangeBps: maxChangeBps, minimumStep: minimumStep)
            let delta = new >= current ? new - current : current - new
            if delta > allowed {
                return .changeTooLarge(field: field, current: current, proposed: new, allowedDelta: allowed)
            }
        }
        return nil
    }

    /// `max(⌊current · maxChangeBps / 10,000⌋, minimumStep)` (F-8); saturates at `UInt64.max`.
    public static func allowedDelta(current: UInt64, maxChangeBps: UInt32, minimumStep: UInt64) -> UInt64 {
        let proportional = CheckedMath.basisPoints(current, maxChangeBps) ?? UInt64.max
        return Swift.max(proportional, minimumStep)
    }

    /// `method` ‖ `minimum` (u64 BE) ‖ `maximum` (u64 BE). F-12.
    public func encode(to writer: inout CanonicalWriter) {
        writer.write(method)
        writer.write(minimum)
        writer.write(maximum)
    }

    /// Refuses a structurally invalid method and `minimum > maximum` (F-12); the cap is policy and is
    /// checked by `validate()`, not by the decoder.
    public init(from reader: inout CanonicalReader) throws(CodecError) {
        method = try FeeMethod(from: &reader)
        minimum = try reader.readUInt64("fee schedule minimum")
        maximum = try reader.readUInt64("fee schedule maximum")
        guard minimum <= maximum else {
            throw .invalidValue(field: "fee schedule minimum",
                                reason: "minimum \(minimum) is above maximum \(maximum)")
        }
    }
}
