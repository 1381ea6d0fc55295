/// A plugin account: nonce, fee-account balance and current stake. Stored under `StateKey.account`.
public struct Account: Equatable, Sendable, CanonicalCodable {
    /// The nonce the next transaction must carry.
    public var nonce: UInt64
    /// The fee account balance, credited by host deposits.
    public var balance: Amount
    /// The current stake, set by the host (absolute). Historic values live in stake checkpoints.
    public var stake: Amount

    public init(nonce: UInt64 = 0, balance: Amount = 0, stake: Amount = 0) {
        self.nonce = nonce; self.balance = balance; self.stake = stake
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(TypeTag.account.rawValue)
        writer.write(nonce); writer.write(balance); writer.write(stake)
    }

    public init(from reader: inout CanonicalReader) throws(CodecError) {
        try reader.expectTag(.account)
        nonce = try reader.readUInt64("nonce")
        balance = try reader.readUInt64("balance")
        stake = try reader.readUInt64("stake")
    }
}
