import RegistryCore
import Sodium

/// What the plugin stores per committed round (the StateStore round-record blob) so that a re-delivered
/// round can be answered with its original result (D9) and queries can return past results: the hash
/// of the round's canonical input, and the outcome without its writes (results, events, fees, write count).
///
/// Encoding (canonical codec): `0x01` (format version) ‖ round u64 ‖ input hash 32 ‖ timestamp u64 ‖
/// write count u32 ‖ results ‖ events ‖ fees.
public struct RoundRecord: Equatable, Sendable, CanonicalCodable {
    /// The format version byte; a different value is refused when decoding.
    public static let formatVersion: UInt8 = 1

    public var round: Round
    /// BLAKE2b-256 of `RoundInput.canonicalBytes()` of the applied round.
    public var inputHash: Digest256
    /// The round's timestamp from the host.
    public var timestampMillis: UInt64
    /// The number of state writes of the round.
    public var writeCount: UInt32
    public var results: [TransactionResult]
    public var events: [RegistryEvent]
    public var fees: RoundFeeSummary

    public init(round: Round, inputHash: Digest256, timestampMillis: UInt64, writeCount: UInt32,
                results: [TransactionResult], events: [RegistryEvent], fees: RoundFeeSummary) {
        self.round = round; self.inputHash = inputHash; self.timestampMillis = timestampMillis
        self.writeCount = writeCount; self.results = results; self.events = events; self.fees = fees
    }

    /// The record of an executed round.
    public init(input: RoundInput, outcome: RoundOutcome) {
        self.init(round: outcome.round, inputHash: Self.inputHash(input), timestampMillis: input.timestampMillis,
                  writeCount: UInt32(clamping: outcome.writes.count), results: outcome.results,
                  events: outcome.events, fees: outcome.fees)
    }

    /// BLAKE2b-256 of the canonical encoding of a round input (the D9 identity of a round).
    public static func inputHash(_ input: RoundInput) -> Digest256 {
        Blake2b.hash256(input.canonicalBytes())
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(Self.formatVersion)
        writer.write(round); writer.write(inputHash); writer.write(timestampMillis); writer.write(writeCount)
        writer.write(results); writer.write(events); writer.write(fees)
    }

    public init(from reader: inout CanonicalReader) throws(CodecError) {
        let version = try reader.readUInt8("round record version")
        guard version == Self.formatVersion else {
            throw .unknownDiscriminant(field: "round record version", value: UInt64(version))
        }
        round = try reader.readUInt64("round")
        inputHash = try reader.readDigest("input hash")
        timestampMillis = try reader.readUInt64("timestamp")
        writeCount = try reader.readUInt32("write count")
        results = try reader.readArray("results", limit: 1 << 20)
        events = try reader.readArray("events", limit: 1 << 24)
        fees = try RoundFeeSummary(from: &reader)
    }
}
