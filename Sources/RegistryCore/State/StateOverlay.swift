/// The pending writes of a round over the committed state, with a nested layer per transaction so a
/// rejected transaction leaves nothing behind (D5).
///
/// Reads see the transaction layer, then the round layer, then the base. Scans merge the layers in key
/// order. `sortedWrites()` is the round's change set in key order, the input of the state tree.
///
/// The round layer is partitioned by table byte so a scan only visits the pending writes of the tables
/// it covers (a vote's stake-checkpoint scan does not walk the round's account writes): no quadratic
/// work per round.
public struct StateOverlay {
    private let base: any StateReader
    private var roundLayer: [UInt8: [HashedKey: [UInt8]?]] = [:]
    private var transactionLayer: [HashedKey: [UInt8]?] = [:]
    private var inTransaction = false

    public init(base: any StateReader) { self.base = base }

    /// The current value of `key`.
    public func value(for key: [UInt8]) throws(StateError) -> [UInt8]? {
        let hashed = HashedKey(key)
        if inTransaction, let pending = transactionLayer[hashed] { return pending }
        if let pending = roundLayer[key.first ?? 0]?[hashed] { return pending }
        return try base.value(for: key)
    }

    /// Stores `value` under `key`.
    public mutating func put(_ key: [UInt8], _ value: [UInt8]) {
        if inTransaction { transactionLayer[HashedKey(key)] = .some(value) } else { roundLayer[key.first ?? 0, default: [:]][HashedKey(key)] = .some(value) }
    }

    /// Deletes `key`.
    public mutating func delete(_ key: [UInt8]) {
        if inTransaction { transactionLayer[HashedKey(key)] = .some(nil) } else { roundLayer[key.first ?? 0, default: [:]][HashedKey(key)] = .some(nil) }
    }

    /// Starts a transaction layer; writes go there until `commitTransaction` or `discardTransaction`.
    public mutating func beginTransaction() {
        transactionLayer.removeAll(keepingCapacity: true)
        inTransaction = true
    }

    /// Moves the transaction layer's writes into the round.
    public mutating func commitTransaction() {
        for (key, value) in transactionLayer { roundLayer[key.bytes.first ?? 0, default: [:]][key] = .some(value) }
        transactionLayer.removeAll(keepingCapacity: true)
        inTransaction = false
    }

    /// Drops the transaction layer's writes.
    public mutating func discardTransaction() {
        transactionLayer.removeAll(keepingCapacity: true)
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
        if inTransaction {
            for (key, value) in transactionLayer where StateKey.inRange(key.bytes, lower, upper) { pending[key.bytes] = value }
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
