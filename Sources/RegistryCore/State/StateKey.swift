import Sodium

/// The layout of every key in state (Docs/spec/state-layout.md). The first byte is the table; integers
/// are big-endian so keys sort like their meaning (D4). Table bytes are never renumbered.
public enum StateKey {
    /// Keys longer than this are refused by decoders.
    public static let maxKeyLength = 1024

    /// Table bytes.
    public enum Table: UInt8, Sendable, CaseIterable {
        /// `0x01` → `Parameters` (one key).
        case parameters = 0x01
        /// `0x02 ‖ modelID` → `Model`.
        case model = 0x02
        /// `0x03 ‖ accountID` → `Account`.
        case account = 0x03
        /// `0x04 ‖ name ‖ 0x00 ‖ version` → `ModelID` (duplicate check, name-prefix search).
        case modelByName = 0x04
        /// `0x05 ‖ status ‖ modelID` → empty (search by status).
        case modelsByStatus = 0x05
        /// `0x06 ‖ owner ‖ modelID` → empty (search by owner).
        case modelsByOwner = 0x06
        /// `0x07 ‖ category ‖ 0x00 ‖ modelID` → empty (search by category).
        case modelsByCategory = 0x07
        /// `0x08 ‖ tag ‖ 0x00 ‖ modelID` → empty (search by tag).
        case modelsByTag = 0x08
        /// `0x10 ‖ proposalID` → `Proposal`.
        case proposal = 0x10
        /// `0x11 ‖ proposalID ‖ voter` → `Vote`.
        case vote = 0x11
        /// `0x12 ‖ account ‖ round` → stake from that round on (checkpoints; snapshot = last ≤ round).
        case stakeCheckpoint = 0x12
        /// `0x13 ‖ round` → total stake from that round on.
        case totalStakeCheckpoint = 0x13
        /// `0x14 ‖ proposer ‖ proposalID` → empty (open proposals per proposer).
        case openProposalsByProposer = 0x14
        /// `0x15 ‖ submittedAt ‖ proposalID` → empty (stake snapshots still needed by Voting proposals, GOV-15).
        case votingSnapshot = 0x15
        /// `0x20 ‖ queue ‖ round ‖ item` → entry (due queues: activation, deactivation, tally, expiry, rent).
        case dueQueue = 0x20
        /// `0x21 ‖ queue` → `QueueCursor` (carry-over of bounded processing, D7).
        case queueCursor = 0x21
        /// `0x30 ‖ operation` → `FeeStatistics` by operation type.
        case feeStatsByOperation = 0x30
        /// `0x31 ‖ modelID` → `FeeStatistics` by model.
        case feeStatsByModel = 0x31
        /// `0x32 ‖ accountID` → `FeeStatistics` by account.
        case feeStatsByAccount = 0x32
        /// `0x33` → `FeeTotals` (treasury, burned, collected).
        case feeTotals = 0x33
        /// `0x40 ‖ accountID` → `RateWindow`.
        case rateWindow = 0x40
        /// `0x50` → `RegistryStatistics`.
        case registryStatistics = 0x50
        /// `0x51 ‖ name` → `UInt64` counter (e.g. next proposal id).
        case counter = 0x51
    }

    public static let parameters: [UInt8] = [Table.parameters.rawValue]
    public static let feeTotals: [UInt8] = [Table.feeTotals.rawValue]
    public static let registryStatistics: [UInt8] = [Table.registryStatistics.rawValue]

    public static func model(_ id: ModelID) -> [UInt8] { digestKey(.model, id.raw) }
    public static func account(_ id: AccountID) -> [UInt8] { digestKey(.account, id.raw) }
    public static func modelByName(name: String, version: String) -> [UInt8] {
        key(.modelByName) { $0.writeRaw(name.utf8); $0.write(UInt8(0)); $0.writeRaw(version.utf8) }
    }
    public static func modelsByStatus(_ status: UInt8, _ id: ModelID) -> [UInt8] {
        key(.modelsByStatus) { $0.write(status); $0.write(id.raw) }
    }
    public static func modelsByOwner(_ owner: AccountID, _ id: ModelID) -> [UInt8] {
        key(.modelsByOwner) { $0.write(owner.raw); $0.write(id.raw) }
    }
    public static func modelsByCategory(_ category: String, _ id: ModelID) -> [UInt8] {
        key(.modelsByCategory) { $0.writeRaw(category.utf8); $0.write(UInt8(0)); $0.write(id.raw) }
    }
    public static func modelsByTag(_ tag: String, _ id: ModelID) -> [UInt8] {
        key(.modelsByTag) { $0.writeRaw(tag.utf8); $0.write(UInt8(0)); $0.write(id.raw) }
    }
    public static func proposal(_ id: ProposalID) -> [UInt8] { integerKey(.proposal, id) }
    public static func vote(_ proposal: ProposalID, _ voter: AccountID) -> [UInt8] {
        key(.vote) { $0.write(proposal); $0.write(voter.raw) }
    }
    public static func stakeCheckpoint(_ account: AccountID, _ round: Round) -> [UInt8] {
        key(.stakeCheckpoint) { $0.write(account.raw); $0.write(round) }
    }
    public static func totalStakeCheckpoint(_ round: Round) -> [UInt8] { key(.totalStakeCheckpoint) { $0.write(round) } }
    public static func openProposal(_ proposer: AccountID, _ id: ProposalID) -> [UInt8] {
        key(.openProposalsByProposer) { $0.write(proposer.raw); $0.write(id) }
    }
    public static func votingSnapshot(_ submittedAt: Round, _ id: ProposalID) -> [UInt8] {
        key(.votingSnapshot) { $0.write(submittedAt); $0.write(id) }
    }
    public static func dueQueue(_ queue: UInt8, _ round: Round, _ item: [UInt8]) -> [UInt8] {
        key(.dueQueue) { $0.write(queue); $0.write(round); $0.writeRaw(item) }
    }
    public static func queueCursor(_ queue: UInt8) -> [UInt8] { key(.queueCursor) { $0.write(queue) } }
    public static func feeStatsByOperation(_ operation: UInt8) -> [UInt8] { key(.feeStatsByOperation) { $0.write(operation) } }
    public static func feeStatsByModel(_ id: ModelID) -> [UInt8] { digestKey(.feeStatsByModel, id.raw) }
    public static func feeStatsByAccount(_ id: AccountID) -> [UInt8] { digestKey(.feeStatsByAccount, id.raw) }
    public static func rateWindow(_ id: AccountID) -> [UInt8] { digestKey(.rateWindow, id.raw) }
    public static func counter(_ name: String) -> [UInt8] { key(.counter) { $0.writeRaw(name.utf8) } }

    /// `[table]` followed by whatever `body` writes.
    public static func key(_ table: Table, _ body: (inout CanonicalWriter) -> Void) -> [UInt8] {
        var writer = CanonicalWriter(capacity: 72)
        writer.write(table.rawValue)
        body(&writer)
        return writer.bytes
    }

    /// `[table] ‖ digest` (33 bytes) written straight into one exactly sized allocation: the same bytes as
    /// `key(table) { $0.write(digest) }`, without the writer's growth checks (the hot keys of execution).
    @inline(__always)
    static func digestKey(_ table: Table, _ digest: Digest256) -> [UInt8] {
        // A 33-element array literal (allocated specialized, exactly sized) overwritten with four word
        // stores: ~130 instructions per key fewer than `reserveCapacity` + `append(contentsOf:)`, whose
        // generic sequence copy and memcpy dominated. `init(unsafeUninitializedCapacity:)` and
        // `init(repeating:count:)` call the runtime's unspecialized buffer allocation (~300 instructions).
        var key: [UInt8] = [
            table.rawValue, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        ]
        key.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: digest.w0.bigEndian, toByteOffset: 1, as: UInt64.self)
            raw.storeBytes(of: digest.w1.bigEndian, toByteOffset: 9, as: UInt64.self)
            raw.storeBytes(of: digest.w2.bigEndian, toByteOffset: 17, as: UInt64.self)
            raw.storeBytes(of: digest.w3.bigEndian, toByteOffset: 25, as: UInt64.self)
        }
        return key
    }

    /// `[table] ‖ big-endian value` (9 bytes), as `key(table) { $0.write(value) }`, in one allocation.
    @inline(__always)
    static func integerKey(_ table: Table, _ value: UInt64) -> [UInt8] {
        var key: [UInt8] = [table.rawValue, 0, 0, 0, 0, 0, 0, 0, 0]
        key.withUnsafeMutableBytes { raw in raw.storeBytes(of: value.bigEndian, toByteOffset: 1, as: UInt64.self) }
        return key
    }

    /// The smallest key greater than every key that starts with `prefix` (the exclusive end of a
    /// prefix scan). For an all-0xFF prefix it returns a key that sorts after all keys of that length.
    public static func prefixEnd(_ prefix: [UInt8]) -> [UInt8] {
        var end = prefix
        while let last = end.last {
            if last < 0xFF { end[end.count - 1] = last + 1; return end }
            end.removeLast()
        }
        return [UInt8](repeating: 0xFF, count: maxKeyLength + 1)
    }

    /// Whether `lower <= key < upper` in byte order.
    @inline(__always)
    public static func inRange(_ key: [UInt8], _ lower: [UInt8], _ upper: [UInt8]) -> Bool {
        !ByteOrder.precedes(key, lower) && ByteOrder.precedes(key, upper)
    }
}
