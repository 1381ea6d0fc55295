/// Fee statistics of one operation type, model or account (tables 0x30–0x32, tag `0x09`).
public struct FeeStatistics: Equatable, Sendable, CanonicalCodable {
    /// Number of charges.
    public var count: UInt64
    /// Sum of the charged amounts.
    public var total: Amount

    public init(count: UInt64 = 0, total: Amount = 0) { self.count = count; self.total = total }

    /// Adds one charge; nil on overflow.
    public func adding(_ amount: Amount) -> FeeStatistics? {
        guard let c = CheckedMath.add(count, 1), let t = CheckedMath.add(total, amount) else { return nil }
        return FeeStatistics(count: c, total: t)
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(TypeTag.feeStatistics.rawValue); writer.write(count); writer.write(total)
    }
    public init(from reader: inout CanonicalReader) throws(CodecError) {
        try reader.expectTag(.feeStatistics)
        count = try reader.readUInt64("count"); total = try reader.readUInt64("total")
    }
}

/// Chain-wide fee totals (table 0x33, tag `0x12`).
public struct FeeTotals: Equatable, Sendable, CanonicalCodable {
    /// Every fee charged (operation fees, failed-transaction fees, rent, usage).
    public var collected: Amount
    /// The treasury's share (fees minus owners' usage shares).
    public var treasury: Amount
    /// Burned proposal deposits.
    public var burned: Amount
    /// Usage fees credited to model owners.
    public var ownerShares: Amount
    /// Proposal deposits currently held.
    public var depositsHeld: Amount
    /// Amounts withdrawn to the host.
    public var withdrawn: Amount
    /// Amounts deposited by the host.
    public var deposited: Amount

    public init(collected: Amount = 0, treasury: Amount = 0, burned: Amount = 0, ownerShares: Amount = 0,
                depositsHeld: Amount = 0, withdrawn: Amount = 0, deposited: Amount = 0) {
        self.collected = collected; self.treasury = treasury; self.burned = burned; self.ownerShares = ownerShares
        self.depositsHeld = depositsHeld; self.withdrawn = withdrawn; self.deposited = deposited
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(TypeTag.feeTotals.rawValue)
        for v in [collected, treasury, burned, ownerShares, depositsHeld, withdrawn, deposited] { writer.write(v) }
    }
    public init(from reader: inout CanonicalReader) throws(CodecError) {
        try reader.expectTag(.feeTotals)
        collected = try reader.readUInt64("collected"); treasury = try reader.readUInt64("treasury")
        burned = try reader.readUInt64("burned"); ownerShares = try reader.readUInt64("owner shares")
        depositsHeld = try reader.readUInt64("deposits held"); withdrawn = try reader.readUInt64("withdrawn")
        deposited = try reader.readUInt64("deposited")
    }
}

/// Registry-wide statistics (table 0x50, tag `0x0A`), maintained on every model change.
public struct RegistryStatistics: Equatable, Sendable, CanonicalCodable {
    /// Models per status, indexed by `ModelStatus.rawValue - 1`.
    public var countsByStatus: [UInt64]
    /// Sum of `sizeBytes` over all models.
    public var totalSizeBytes: UInt64
    /// Sum of `parameterCount` over all models.
    public var totalParameters: UInt64
    /// Registrations ever accepted.
    public var registrations: UInt64
    /// Usage records ever accepted.
    public var usageCount: UInt64
    /// Usage units ever recorded.
    public var usageUnits: UInt64
    /// Usage fees ever charged.
    public var usageFees: Amount

    public init() {
        countsByStatus = Array(repeating: 0, count: ModelStatus.allCases.count)
        totalSizeBytes = 0; totalParameters = 0; registrations = 0; usageCount = 0; usageUnits = 0; usageFees = 0
    }

    /// The number of models in `status`.
    public func count(_ status: ModelStatus) -> UInt64 { countsByStatus[Int(status.rawValue) - 1] }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(TypeTag.registryStatistics.rawValue)
        writer.write(UInt32(countsByStatus.count))
        for c in countsByStatus { writer.write(c) }
        for v in [totalSizeBytes, totalParameters, registrations, usageCount, usageUnits, usageFees] { writer.write(v) }
    }
    public init(from reader: inout CanonicalReader) throws(CodecError) {
        try reader.expectTag(.registryStatistics)
        let n = try reader.readCount("counts by status", limit: ModelStatus.allCases.count)
        guard n == ModelStatus.allCases.count else {
            throw .invalidValue(field: "counts by status", reason: "expected \(ModelStatus.allCases.count) entries")
        }
        var counts: [UInt64] = []
        for _ in 0..<n { counts.append(try reader.readUInt64("status count")) }
        countsByStatus = counts
        totalSizeBytes = try reader.readUInt64("total size"); totalParameters = try reader.readUInt64("total parameters")
        registrations = try reader.readUInt64("registrations"); usageCount = try reader.readUInt64("usage count")
        usageUnits = try reader.readUInt64("usage units"); usageFees = try reader.readUInt64("usage fees")
    }
}

/// An account's transaction count in its current rate-limit window (table 0x40, tag `0x0B`, RL-1).
public struct RateWindow: Equatable, Sendable, CanonicalCodable {
    /// `round / rateLimitWindowRounds`.
    public var window: UInt64
    public var count: UInt64

    public init(window: UInt64, count: UInt64) { self.window = window; self.count = count }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(TypeTag.rateWindow.rawValue); writer.write(window); writer.write(count)
    }
    public init(from reader: inout CanonicalReader) throws(CodecError) {
        try reader.expectTag(.rateWindow)
        window = try reader.readUInt64("window"); count = try reader.readUInt64("count")
    }
}

/// A stake value at a checkpoint (tables 0x12, 0x13, tag `0x08`); also used for plain counters (tag 0x10).
public struct StakeCheckpoint: Equatable, Sendable, CanonicalCodable {
    public var amount: Amount
    public init(_ amount: Amount) { self.amount = amount }
    public func encode(to writer: inout CanonicalWriter) { writer.write(TypeTag.stakeCheckpoint.rawValue); writer.write(amount) }
    public init(from reader: inout CanonicalReader) throws(CodecError) {
        try reader.expectTag(.stakeCheckpoint); amount = try reader.readUInt64("stake")
    }
}

/// A named counter (table 0x51, tag `0x10`), e.g. the next proposal id.
public struct Counter: Equatable, Sendable, CanonicalCodable {
    public var value: UInt64
    public init(_ value: UInt64) { self.value = value }
    public func encode(to writer: inout CanonicalWriter) { writer.write(TypeTag.counter.rawValue); writer.write(value) }
    public init(from reader: inout CanonicalReader) throws(CodecError) {
        try reader.expectTag(.counter); value = try reader.readUInt64("counter")
    }
}
