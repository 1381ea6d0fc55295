import Sodium

/// A naive model of the tree: a sorted array of key/value pairs whose root is recomputed from scratch
/// by a direct recursive reading of the spec (ST-1…ST-8), on plain byte arrays. Shares no code with
/// the StateTree module beyond BLAKE2b.
struct ReferenceMap: Equatable {
    /// Ascending by key, unique keys.
    private(set) var entries: [(key: [UInt8], value: [UInt8])] = []

    static func == (a: ReferenceMap, b: ReferenceMap) -> Bool {
        a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    func value(_ key: [UInt8]) -> [UInt8]? {
        let i = lowerBound(key)
        return i < entries.count && entries[i].key == key ? entries[i].value : nil
    }

    mutating func apply(_ updates: [(key: [UInt8], value: [UInt8]?)]) {
        for update in updates {
            let i = lowerBound(update.key)
            let found = i < entries.count && entries[i].key == update.key
            switch (found, update.value) {
            case (true, .some(let v)): entries[i].value = v
            case (true, .none): entries.remove(at: i)
            case (false, .some(let v)): entries.insert((update.key, v), at: i)
            case (false, .none): break
            }
        }
    }

    private func lowerBound(_ key: [UInt8]) -> Int {
        var lo = 0, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].key.lexicographicallyPrecedes(key) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The root per the spec.
    var root: [UInt8] { ReferenceTree.root(entries) }
}

enum ReferenceTree {
    static func h(_ bytes: [UInt8]) -> [UInt8] { Blake2b.hash256(bytes).bytes }

    /// ST-8
    static var emptyRoot: [UInt8] { h(Array("ai-registry/state-tree/v1/empty".utf8)) }

    static func root(_ entries: [(key: [UInt8], value: [UInt8])]) -> [UInt8] {
        if entries.isEmpty { return emptyRoot }
        let items = entries
            .map { (kh: h($0.key), vh: h($0.value)) }
            .sorted { $0.kh.lexicographicallyPrecedes($1.kh) }
        return subtree(items[...], depth: 0)
    }

    /// ST-3: the nibble at `depth`, high half of the byte first.
    static func nibble(_ bytes: [UInt8], _ depth: Int) -> Int {
        let byte = Int(bytes[depth / 2])
        return depth % 2 == 0 ? byte >> 4 : byte & 0xF
    }

    private static func subtree(_ items: ArraySlice<(kh: [UInt8], vh: [UInt8])>, depth: Int) -> [UInt8] {
        if items.count == 1 { return h([0x00] + items.first!.kh + items.first!.vh) }  // ST-6
        var bitmap = 0
        var childHashes: [UInt8] = []
        for n in 0..<16 {
            let group = items.filter { nibble($0.kh, depth) == n }
            if group.isEmpty { continue }
            bitmap |= 0x8000 >> n
            childHashes += subtree(group[...], depth: depth + 1)
        }
        return h([0x01, UInt8(bitmap >> 8), UInt8(bitmap & 0xFF)] + childHashes)  // ST-7
    }
}
