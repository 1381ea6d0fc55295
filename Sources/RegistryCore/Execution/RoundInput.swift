/// A host-originated change carried in the round (not a signed transaction), applied first, in order.
public enum HostUpdate: Equatable, Sendable, CanonicalCodable {
    /// Sets an account's stake to an absolute amount.
    case setStake(AccountID, Amount)
    /// Credits an account's fee account.
    case deposit(AccountID, Amount)

    public func encode(to writer: inout CanonicalWriter) {
        switch self {
        case .setStake(let a, let v): writer.write(UInt8(1)); writer.write(a); writer.write(v)
        case .deposit(let a, let v): writer.write(UInt8(2)); writer.write(a); writer.write(v)
        }
    }

    public init(from reader: inout CanonicalReader) throws(CodecError) {
        let tag = try reader.readUInt8("host update")
        switch tag {
        case 1: self = .setStake(try AccountID(from: &reader), try reader.readUInt64("stake"))
        case 2: self = .deposit(try AccountID(from: &reader), try reader.readUInt64("amount"))
        default: throw .unknownDiscriminant(field: "host update", value: UInt64(tag))
        }
    }
}

/// Everything a round executes (D1): the round number and timestamp come from the host.
public struct RoundInput: Equatable, Sendable, CanonicalCodable {
    public var round: Round
    public var timestampMillis: UInt64
    public var hostUpdates: [HostUpdate]
    /// Transactions as transmitted, in consensus order.
    public var transactions: [[UInt8]]

    public init(round: Round, timestampMillis: UInt64, hostUpdates: [HostUpdate] = [], transactions: [[UInt8]] = []) {
        self.round = round; self.timestampMillis = timestampMillis; self.hostUpdates = hostUpdates; self.transactions = transactions
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(round); writer.write(timestampMillis); writer.write(hostUpdates)
        writer.write(UInt32(transactions.count))
        for tx in transactions { writer.writeBytes(tx) }
    }

    public init(from reader: inout CanonicalReader) throws(CodecError) {
        round = try reader.readUInt64("round")
        timestampMillis = try reader.readUInt64("timestamp")
        hostUpdates = try reader.readArray("host updates", limit: 1 << 20)
        let count = try reader.readCount("transactions", limit: 1 << 20)
        var txs: [[UInt8]] = []
        for _ in 0..<count { txs.append(try reader.readBytes("transaction", limit: 1 << 20)) }
        transactions = txs
    }
}
