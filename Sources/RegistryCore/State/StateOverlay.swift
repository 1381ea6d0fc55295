/// The pending writes of a round over the committed state, with a nested layer per transaction so a
/// rejected transaction leaves nothing behind (D5).
///
/// Reads see the round layer (which includes the open transaction's writes), then the base. Scans merge the layers in key
/// order. `sortedWrites()` is the round's change set in key order, the input of the state tree.
///
/// The round layer is partitioned by table byte so a scan only visits the pending writes of the tables
/// it covers (a vote's stake-checkpoint scan does not walk the round's account writes): no quadratic
/// work per round.
public struct StateOverlay {
    private let base: any StateReader
    /// Pending entries of the round, one hash table per table byte (indexed by it, so no second hash).
    private var roundLayer: [[HashedKey: OverlayValue]] = Array(repeating: [:], count: 256)
    /// The open transaction's undo journal: each write's key and the round layer's entry before it
    /// (nil when the key had no pending write). Writes go straight to the round layer; discarding
    /// replays the journal backwards, committing just forgets it (no re-hashing of the transaction's keys).
    private var journal: [JournalEntry] = []
    private var inTransaction = false

    public init(base: any StateReader) { self.base = base }

    /// The current value of `key`.
    public func value(for key: [UInt8]) throws(StateError) -> [UInt8]? {
        if let pending = roundLayer[Int(key.first ?? 0)][HashedKey(key)] { return pending.encoded }
        return try base.value(for: key)
    }

    /// The current entry of `key`: the pending one (possibly a decoded record or a deletion), else the
    /// base bytes; nil when the key has neither.
    func entry(for key: [UInt8]) throws(StateError) -> OverlayValue? {
        if let pending = roundLayer[Int(key.first ?? 0)][HashedKey(key)] { return pending }
        guard let bytes = try base.value(for: key) else { return nil }
        return .bytes(bytes)
    }

    /// Stores `value` under `key`.
    public mutating func put(_ key: [UInt8], _ value: [UInt8]) { write(key, .bytes(value)) }

    /// Stores a record under `key`, kept decoded until its bytes are needed (identical bytes, D1).
    mutating func put<T: OverlayRecord>(_ key: [UInt8], record: T) { write(key, record.overlayValue) }

    /// Deletes `key`.
    public mutating func delete(_ key: [UInt8]) { write(key, .deleted) }

    private mutating func write(_ key: [UInt8], _ entry: OverlayValue) {
        let hashed = HashedKey(key)
        let table = Int(key.first ?? 0)
        if inTransaction {
            let previous = roundLayer[table].updateValue(entry, forKey: hashed)
            journal.append(JournalEntry(key: hashed, previous: previous))
        } else {
            roundLayer[table][hashed] = entry
        }
    }

    /// Starts a transaction; its writes can be discarded until `commitTransaction`.
    public mutating func beginTransaction() {
        if !journal.isEmpty { journal.removeAll(keepingCapacity: true) }
        inTransaction = true
    }

    /// Keeps the transaction's writes in the round.
    public mutating func commitTransaction() {
        if !journal.isEmpty { journal.removeAll(keepingCapacity: true) }
        inTransaction = false
    }

    /// Undoes the transaction's writes.
    public mutating func discardTransaction() {
        for entry in journal.reversed() {
            let (key, previous) = (entry.key, entry.previous)
            let table = Int(key.bytes.first ?? 0)
            if let previous {
                roundLayer[table][key] = previous
            } else {
                roundLayer[table].removeValue(forKey: key)
            }
        }
        journal.removeAll(keepingCapacity: true)
        inTransaction = false
    }

    /// Pairs with `lower <= key < upper`, merging pending writes over the base, at most `limit`.
    public func scan(from lower: [UInt8], to upper: [UInt8], reverse: Bool = false, limit: Int) throws(StateError) -> [KeyValue] {
        // Pending keys in range, sorted (dictionary order never reaches the result, D2).
        var pending: [[UInt8]: [UInt8]?] = [:]
        let firstTable = Int(lower.first ?? 0), lastTable = Int(upper.first ?? 0xFF)
        if firstTable <= lastTable {
            for table in firstTable...lastTable {
                for (key, value) in roundLayer[table] where StateKey.inRange(key.bytes, lower, upper) {
                    pending[key.bytes] = value.encoded
                }
            }
        }
        if pending.isEmpty { return try base.scan(from: lower, to: upper, reverse: reverse, limit: limit) }
        let deletions = pending.values.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
        // Enough base rows that deleted ones cannot starve the limit (saturating: limit may be Int.max).
        let baseLimit = limit > Int.max - deletions ? Int.max : limit + deletions
        let baseRows = try base.scan(from: lower, to: upper, reverse: reverse, limit: baseLimit)
        var merged: [[UInt8]: [UInt8]] = [:]
        for row in baseRows { merged[row.key] = row.value }
        for (key, value) in pending { merged[key] = value }
        var keys = Array(merged.keys)
        keys.sort { reverse ? ByteOrder.precedes($1, $0) : ByteOrder.precedes($0, $1) }
        // Base rows beyond the last base key returned may exist: cut the merged list there.
        if baseRows.count == baseLimit, let lastBase = baseRows.last?.key {
            keys.removeAll { reverse ? ByteOrder.precedes($0, lastBase) : ByteOrder.precedes(lastBase, $0) }
        }
        return keys.prefix(limit).map { KeyValue(key: $0, value: merged[$0]!) }
    }

    /// The round's writes, sorted by key (the transaction layer must be closed). Decoded records are
    /// encoded here, once per key and round.
    public func sortedWrites() -> [StateWrite] {
        var writes: [StateWrite] = []
        writes.reserveCapacity(roundLayer.reduce(0) { $0 + $1.count })
        for partition in roundLayer { for (key, value) in partition { writes.append(StateWrite(key: key.bytes, value: value.encoded)) } }
        ByteOrder.sort(&writes)
        return writes
    }
}

/// One write of the open transaction: its key and the round layer's entry before it. A struct, not a
/// tuple: clearing the journal then destroys elements through compiled code instead of the runtime's
/// generic tuple destructor (which showed in the profile).
struct JournalEntry {
    let key: HashedKey
    let previous: OverlayValue?
}
