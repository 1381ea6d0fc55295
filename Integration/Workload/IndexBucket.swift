/// A set of small integers with O(1) insert, remove and uniform random pick. The element order depends
/// only on the sequence of operations, never on hashing (D2): the dictionary is for lookup only.
struct IndexBucket: Sendable {
    private(set) var items: [Int] = []
    private var positions: [Int: Int] = [:]

    var count: Int { items.count }
    var isEmpty: Bool { items.isEmpty }

    func contains(_ value: Int) -> Bool { positions[value] != nil }

    mutating func insert(_ value: Int) {
        guard positions[value] == nil else { return }
        positions[value] = items.count
        items.append(value)
    }

    mutating func remove(_ value: Int) {
        guard let position = positions.removeValue(forKey: value) else { return }
        let last = items.removeLast()
        if position < items.count {
            items[position] = last
            positions[last] = position
        }
    }

    /// A uniformly chosen element, or nil when empty.
    func pick(_ rng: inout SplitMix64) -> Int? {
        items.isEmpty ? nil : items[Int(rng.below(UInt64(items.count)))]
    }
}
