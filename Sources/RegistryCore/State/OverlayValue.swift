/// A pending entry of `StateOverlay`'s round layer: a deletion, stored bytes, or a decoded record whose
/// canonical bytes are produced only when the round's writes (or a raw read, or a scan) need them.
///
/// Keeping the hot records decoded for the round means a record read and rewritten by many
/// transactions (fee statistics, fee totals, registry statistics, accounts, models, proposals) is
/// decoded once and encoded once per round instead of once per access (Docs/benchmarks.md). The bytes
/// are those `canonicalBytes()` gives for the value, so the round's writes are unchanged (D1).
/// A closed enum, not an existential: no boxing or dynamic casts on the hot path.
enum OverlayValue {
    case deleted
    case bytes([UInt8])
    case account(Account)
    case rateWindow(RateWindow)
    case feeStatistics(FeeStatistics)
    indirect case feeTotals(FeeTotals)
    indirect case registryStatistics(RegistryStatistics)
    indirect case model(Model)
    indirect case proposal(Proposal)

    /// The canonical bytes of the entry, nil for a deletion.
    var encoded: [UInt8]? {
        switch self {
        case .deleted: return nil
        case .bytes(let bytes): return bytes
        case .account(let v): return v.canonicalBytes()
        case .rateWindow(let v): return v.canonicalBytes()
        case .feeStatistics(let v): return v.canonicalBytes()
        case .feeTotals(let v): return v.canonicalBytes()
        case .registryStatistics(let v): return v.canonicalBytes()
        case .model(let v): return v.canonicalBytes()
        case .proposal(let v): return v.canonicalBytes()
        }
    }
}

/// A state value the overlay can keep decoded for the round (see `OverlayValue`).
protocol OverlayRecord: CanonicalCodable {
    /// The value as a pending entry.
    var overlayValue: OverlayValue { get }
    /// The value held by `entry`, if it holds this type decoded.
    static func decoded(from entry: OverlayValue) -> Self?
}

extension Account: OverlayRecord {
    var overlayValue: OverlayValue { .account(self) }
    static func decoded(from entry: OverlayValue) -> Account? { if case .account(let v) = entry { return v } else { return nil } }
}

extension RateWindow: OverlayRecord {
    var overlayValue: OverlayValue { .rateWindow(self) }
    static func decoded(from entry: OverlayValue) -> RateWindow? { if case .rateWindow(let v) = entry { return v } else { return nil } }
}

extension FeeStatistics: OverlayRecord {
    var overlayValue: OverlayValue { .feeStatistics(self) }
    static func decoded(from entry: OverlayValue) -> FeeStatistics? {
        if case .feeStatistics(let v) = entry { return v } else { return nil }
    }
}

extension FeeTotals: OverlayRecord {
    var overlayValue: OverlayValue { .feeTotals(self) }
    static func decoded(from entry: OverlayValue) -> FeeTotals? { if case .feeTotals(let v) = entry { return v } else { return nil } }
}

extension RegistryStatistics: OverlayRecord {
    var overlayValue: OverlayValue { .registryStatistics(self) }
    static func decoded(from entry: OverlayValue) -> RegistryStatistics? {
        if case .registryStatistics(let v) = entry { return v } else { return nil }
    }
}

extension Model: OverlayRecord {
    var overlayValue: OverlayValue { .model(self) }
    static func decoded(from entry: OverlayValue) -> Model? { if case .model(let v) = entry { return v } else { return nil } }
}

extension Proposal: OverlayRecord {
    var overlayValue: OverlayValue { .proposal(self) }
    static func decoded(from entry: OverlayValue) -> Proposal? { if case .proposal(let v) = entry { return v } else { return nil } }
}
