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
    /// Pending writes of the round, partitioned by table byte: `.some(value)` or `.some(nil)` (deleted).
    private var roundLayer: [UInt8: [HashedKey: [UInt8]?]] = [:]
    /// The open transaction's undo journal: each write's key and the round layer's entry before it
    /// (nil when the key had no pending write). Writes go straight to the round layer; discarding
    /// replays the journal backwards, committing just forgets it (no re-hashing of the transaction's keys).
    private var journal: [(key: HashedKey, previous: [UInt8]??)] = []
    private var inTransaction = false

    public init(base: any StateReader) { self.base = base }

    /// The current value of `key`.
    public func value(for key: [UInt8]) throws(StateError) -> [UInt8]? {
        if let pending = roundLayer[key.first ?? 0]?[HashedKey(key)] { return pending }
        return try base.value(for: key)
    }

    /// Stores `value` under `key`.
    public mutating func put(_ key: [UInt8], _ value: [UInt8]) { write(key, value) }

    /// Deletes `key`.
    public mutating func delete(_ key: [UInt8]) { write(key, nil) }

    private mutating func write(_ key: [UInt8], _ entry: [UInt8]?) {
        let hashed = HashedKey(key)
        let table = key.first ?? 0
        if inTransaction { journal.append((hashed, roundLayer[table]?[hashed])) }
        roundLayer[table, default: [:]][hashed] = .some(entry)
    }

    /// Starts a transaction; its writes can be discarded until `commitTransaction`.
    public mutating func beginTransaction() {
        journal.removeAll(keepingCapacity: true)
        inTransaction = true
    }

    /// Keeps the transaction's writes in the round.
    public mutating func commitTransaction() {
        journal.removeAll(keepingCapacity: true)
        inTransaction = false
    }

    /// Undoes the transaction's writes.
    public mutating func discardTransaction() {
        for (key, previous) in journal.reversed() {
            let table = key.bytes.first ?? 0
            if let previous {
                roundLayer[table, default: [:]][key] = .some(previous)
            } else {
                roundLayer[table]?.removeValue(forKey: key)
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
                guard let partition = roundLayer[UInt8(table)] else { continue }
                for (key, value) in partition where StateKey.inRange(key.bytes, lower, upper) { pending[key.bytes] = value }
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
        keys.sort { reverse ? $1.lexicographicallyPrecedes($0) : $0.lexicographicallyPrecedes($1) }
        // Base rows beyond the last base key returned may exist: cut the merged list there.
        if baseRows.count == baseLimit, let lastBase = baseRows.last?.key {
            keys.removeAll { reverse ? $0.lexicographicallyPrecedes(lastBase) : lastBase.lexicographicallyPrecedes($0) }
        }
        return keys.prefix(limit).map { KeyValue(key: $0, value: merged[$0]!) }
    }

    /// The round's writes, sorted by key (the transaction layer must be closed).
    public func sortedWrites() -> [StateWrite] {
        var writes: [StateWrite] = []
        for partition in roundLayer.values { for (key, value) in partition { writes.append(StateWrite(key: key.bytes, value: value)) } }
        writes.sort { $0.key.lexicographicallyPrecedes($1.key) }
        return writes
    }
}
