/// The signed part of a transaction (ADR 0004), tag `0x0C`.
public struct TransactionBody: Equatable, Sendable, CanonicalCodable {
    public var chainID: String
    public var nonce: UInt64
    /// The most the sender agrees to pay for this transaction (TX-6).
    public var maxFee: Amount
    public var action: Action

    public init(chainID: String, nonce: UInt64, maxFee: Amount, action: Action) {
        self.chainID = chainID; self.nonce = nonce; self.maxFee = maxFee; self.action = action
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(TypeTag.transactionBody.rawValue)
        writer.write(chainID); writer.write(nonce); writer.write(maxFee); writer.write(action)
    }

    public init(from reader: inout CanonicalReader) throws(CodecError) {
        try reader.expectTag(.transactionBody)
        chainID = try reader.readString("chain id", limit: Limits.maxChainIDLength)
        nonce = try reader.readUInt64("nonce")
        maxFee = try reader.readUInt64("max fee")
        action = try Action(from: &reader)
    }
}
