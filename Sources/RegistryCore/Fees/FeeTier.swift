/// One tier of a step fee: `amount` applies to every `units ≤ upToUnits` not covered by an earlier tier.
public struct FeeTier: CanonicalCodable, Equatable, Hashable, Sendable {
    /// The largest number of units this tier covers (inclusive).
    public var upToUnits: UInt64
    /// The fee for units in this tier, in base units.
    public var amount: Amount

    public init(upToUnits: UInt64, amount: Amount) {
        self.upToUnits = upToUnits
        self.amount = amount
    }

    /// `upToUnits` (u64 BE) ‖ `amount` (u64 BE).
    public func encode(to writer: inout CanonicalWriter) {
        writer.write(upToUnits)
        writer.write(amount)
    }

    public init(from reader: inout CanonicalReader) throws(CodecError) {
        upToUnits = try reader.readUInt64("fee tier upToUnits")
        amount = try reader.readUInt64("fee tier amount")
    }
}
