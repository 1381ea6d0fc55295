/// An in-memory `StateReader` with ordered keys, for tests, previews and the benchmark.
///
/// Point reads use a hash table; scans use a sorted key array that `apply` maintains by merging each
/// round's new keys (its order never depends on hashing, D2).
public struct MemoryState: StateReader, Sendable {
    private var table: [HashedKey: [UInt8]] = [:]
    private var sortedKeys: [[UInt8]] = []

    public init() {}

    /// The number of keys.
    public var count: Int { sortedKeys.count }

    /// Every pair in key order.
    public var pairs: [KeyValue] { sortedKeys.map { KeyValue(key: $0, value: table[HashedKey($0)]!) } }

    private func lowerBound(_ key: [UInt8]) -> Int {
        var low = 0, high = sortedKeys.count
        while low < high {
            let mid = (low + high) / 2
            if sortedKeys[mid].lexicographicallyPrecedes(key) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    public func value(for key: [UInt8]) throws(StateError) -> [UInt8]? { table[HashedKey(key)] }

    public func scan(from lower: [UInt8], to upper: [UInt8], reverse: Bool, limit: Int) throws(StateError) -> [KeyValue] {
        let start = lowerBound(lower), end = lowerBound(upper)
        guard start < end, limit > 0 else { return [] }
        var result: [KeyValue] = []
        if reverse {
            var index = end - 1
            while index >= start && result.count < limit {
                result.append(KeyValue(key: sortedKeys[index], value: table[HashedKey(sortedKeys[index])]!))
                index -= 1
            }
        } else {
            var index = start
            while index < end && result.count < limit {
                result.append(KeyValue(key: sortedKeys[index], value: table[HashedKey(sortedKeys[index])]!))
                index += 1
            }
        }
        return result
    }

    /// Applies a round's writes (in any order; the last write of a key wins).
    public mutating func apply(_ writes: [StateWrite]) {
        var added: [[UInt8]] = []
        var removedAny = false
        for write in writes {
            if let value = write.value {
                if table.updateValue(value, forKey: HashedKey(write.key)) == nil { added.append(write.key) }
            } else if table.removeValue(forKey: HashedKey(write.key)) != nil {
                removedAny = true
            }
        }
        if removedAny { sortedKeys.removeAll { table[HashedKey($0)] == nil } }
        added.removeAll { table[HashedKey($0)] == nil }
        guard !added.isEmpty else { return }
        added.sort { $0.lexicographicallyPrecedes($1) }
        var merged: [[UInt8]] = []
        merged.reserveCapacity(sortedKeys.count + added.count)
        var i = 0, j = 0
        while i < sortedKeys.count || j < added.count {
            if j == added.count || (i < sortedKeys.count && sortedKeys[i].lexicographicallyPrecedes(added[j])) {
                merged.append(sortedKeys[i]); i += 1
            } else {
                merged.append(added[j]); j += 1
            }
        }
        sortedKeys = merged
    }
}
