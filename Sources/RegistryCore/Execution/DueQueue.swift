/// A queue of items due at a round, stored under `0x20 ‖ queue ‖ round(BE) ‖ item` so "everything due at
/// or before round R" is one ascending range scan (D4). Processing is bounded per round (D7): the
/// caller takes at most `limit` entries; the rest stay and are taken in later rounds, oldest first, so
/// skipped rounds catch up in a deterministic order.
public struct DueQueue: Sendable {
    /// Queue identifiers (the byte after the table). Never renumbered.
    public enum Kind: UInt8, Sendable, CaseIterable {
        case activation = 1
        case deactivation = 2
        case proposalTally = 3
        case proposalExpiry = 4
        case rentCollection = 5
    }

    /// An entry that is due.
    public struct Entry: Equatable, Sendable {
        public let round: Round
        public let item: [UInt8]
        public let value: [UInt8]
        /// The full state key, to delete the entry once processed.
        public let key: [UInt8]
    }

    public let kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    /// The state key of `item` due at `round`.
    public func key(round: Round, item: [UInt8]) -> [UInt8] { StateKey.dueQueue(kind.rawValue, round, item) }

    /// Schedules `item` at `round` with a payload.
    public func schedule(_ item: [UInt8], at round: Round, value: [UInt8] = [], in state: inout StateOverlay) {
        state.put(key(round: round, item: item), value)
    }

    /// Removes `item` scheduled at `round`.
    public func cancel(_ item: [UInt8], at round: Round, in state: inout StateOverlay) {
        state.delete(key(round: round, item: item))
    }

    /// At most `limit` entries due at or before `round`, oldest round first, then by item bytes.
    public func due(atOrBefore round: Round, limit: Int, in state: StateOverlay) throws(StateError) -> [Entry] {
        let lower = StateKey.dueQueue(kind.rawValue, 0, [])
        let upper: [UInt8]
        if round == Round.max {
            upper = StateKey.prefixEnd([StateKey.Table.dueQueue.rawValue, kind.rawValue])
        } else {
            upper = StateKey.dueQueue(kind.rawValue, round + 1, [])
        }
        return try state.scan(from: lower, to: upper, limit: limit).map { row in
            // Key layout: table(1) kind(1) round(8) item(rest).
            var entryRound: Round = 0
            for byte in row.key[2..<10] { entryRound = entryRound << 8 | Round(byte) }
            return Entry(round: entryRound, item: Array(row.key[10...]), value: row.value, key: row.key)
        }
    }
}
