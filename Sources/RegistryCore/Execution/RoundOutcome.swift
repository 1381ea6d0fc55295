import Sodium

/// The result of one transaction (D5): a code, the fee charged, its events and a short reason.
public struct TransactionResult: Equatable, Sendable, CanonicalCodable {
    public var txID: Digest256
    public var code: ResultCode
    public var feeCharged: Amount
    /// The index of the transaction's first event in `RoundOutcome.events`.
    public var firstEvent: UInt32
    public var eventCount: UInt32
    /// Names the field or limit that failed; empty on success.
    public var log: String

    public init(txID: Digest256, code: ResultCode, feeCharged: Amount, firstEvent: UInt32, eventCount: UInt32, log: String) {
        self.txID = txID; self.code = code; self.feeCharged = feeCharged
        self.firstEvent = firstEvent; self.eventCount = eventCount; self.log = log
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(txID); writer.write(code); writer.write(feeCharged)
        writer.write(firstEvent); writer.write(eventCount); writer.write(log)
    }

    public init(from reader: inout CanonicalReader) throws(CodecError) {
        txID = try reader.readDigest("tx id"); code = try ResultCode(from: &reader)
        feeCharged = try reader.readUInt64("fee"); firstEvent = try reader.readUInt32("first event")
        eventCount = try reader.readUInt32("event count"); log = try reader.readString("log", limit: 4096)
    }
}

/// What the round moved in fees: the increase of each `FeeTotals` field during the round.
public struct RoundFeeSummary: Equatable, Sendable, CanonicalCodable {
    public var collected: Amount
    public var treasury: Amount
    public var ownerShares: Amount
    public var burned: Amount
    public var withdrawn: Amount
    public var deposited: Amount

    public init(collected: Amount = 0, treasury: Amount = 0, ownerShares: Amount = 0, burned: Amount = 0,
                withdrawn: Amount = 0, deposited: Amount = 0) {
        self.collected = collected; self.treasury = treasury; self.ownerShares = ownerShares
        self.burned = burned; self.withdrawn = withdrawn; self.deposited = deposited
    }

    /// The difference of two totals (fields only grow, except the treasury, which is clamped at 0).
    init(before: FeeTotals, after: FeeTotals) {
        func d(_ a: UInt64, _ b: UInt64) -> UInt64 { b >= a ? b - a : 0 }
        self.init(collected: d(before.collected, after.collected), treasury: d(before.treasury, after.treasury),
                  ownerShares: d(before.ownerShares, after.ownerShares), burned: d(before.burned, after.burned),
                  withdrawn: d(before.withdrawn, after.withdrawn), deposited: d(before.deposited, after.deposited))
    }

    public func encode(to writer: inout CanonicalWriter) {
        for v in [collected, treasury, ownerShares, burned, withdrawn, deposited] { writer.write(v) }
    }

    public init(from reader: inout CanonicalReader) throws(CodecError) {
        collected = try reader.readUInt64("collected"); treasury = try reader.readUInt64("treasury")
        ownerShares = try reader.readUInt64("owner shares"); burned = try reader.readUInt64("burned")
        withdrawn = try reader.readUInt64("withdrawn"); deposited = try reader.readUInt64("deposited")
    }
}

/// Everything a round produced, canonical-encodable so the shell can store it (D9), tag `0x11`.
public struct RoundOutcome: Equatable, Sendable, CanonicalCodable {
    public var round: Round
    /// The change set, sorted by key.
    public var writes: [StateWrite]
    public var results: [TransactionResult]
    /// Host-update events, then transaction events, then scheduled events, in order.
    public var events: [RegistryEvent]
    public var fees: RoundFeeSummary

    public init(round: Round, writes: [StateWrite], results: [TransactionResult], events: [RegistryEvent], fees: RoundFeeSummary) {
        self.round = round; self.writes = writes; self.results = results; self.events = events; self.fees = fees
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(TypeTag.roundSummary.rawValue)
        writer.write(round); writer.write(writes); writer.write(results); writer.write(events); writer.write(fees)
    }

    public init(from reader: inout CanonicalReader) throws(CodecError) {
        try reader.expectTag(.roundSummary)
        round = try reader.readUInt64("round")
        writes = try reader.readArray("writes", limit: 1 << 24)
        results = try reader.readArray("results", limit: 1 << 20)
        events = try reader.readArray("events", limit: 1 << 24)
        fees = try RoundFeeSummary(from: &reader)
    }
}
