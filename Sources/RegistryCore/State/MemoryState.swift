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
            if ByteOrder.precedes(sortedKeys[mid], key) { low = mid + 1 } else { high = mid }
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
        // Whether each touched key existed before the batch.
        var existedBefore: [HashedKey: Bool] = [:]
        for write in writes {
            let key = HashedKey(write.key)
            if existedBefore[key] == nil { existedBefore[key] = table[key] != nil }
            if let value = write.value { table[key] = value } else { table.removeValue(forKey: key) }
        }
        var added: [[UInt8]] = [], removed: [[UInt8]] = []
        // Dictionary order is discarded: both lists are sorted before use (D2).
        for (key, existed) in existedBefore {
            let exists = table[key] != nil
            if exists && !existed { added.append(key.bytes) } else if !exists && existed { removed.append(key.bytes) }
        }
        guard !added.isEmpty || !removed.isEmpty else { return }
        added.sort { ByteOrder.precedes($0, $1) }
        removed.sort { ByteOrder.precedes($0, $1) }
        var merged: [[UInt8]] = []
        merged.reserveCapacity(sortedKeys.count + added.count - removed.count)
        var i = 0, j = 0, r = 0
        while i < sortedKeys.count || j < added.count {
            if j == added.count || (i < sortedKeys.count && ByteOrder.precedes(sortedKeys[i], added[j])) {
                let key = sortedKeys[i]
                i += 1
                while r < removed.count && ByteOrder.precedes(removed[r], key) { r += 1 }
                if r < removed.count && removed[r] == key { r += 1; continue }
                merged.append(key)
            } else {
                merged.append(added[j]); j += 1
            }
        }
        sortedKeys = merged
    }
}
