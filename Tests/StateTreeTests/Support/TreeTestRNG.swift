import RegistryWorkload

/// SplitMix64: a small seeded deterministic generator for the property tests (no system randomness).
/// The words come from the project's `SplitMix64`; this type keeps its own `below` (rejection of the
/// biased tail) and byte-per-word `bytes`, so the kept regression seeds replay the same histories.
struct TreeTestRNG {
    private var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { generator.next() }

    /// A value in 0..<bound (bound > 0), by rejection of the biased tail.
    mutating func below(_ bound: Int) -> Int {
        let b = UInt64(bound)
        let limit = UInt64.max - UInt64.max % b
        while true {
            let x = next()
            if x < limit { return Int(x % b) }
        }
    }

    mutating func bytes(count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }

    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    /// The elements of `array` in a random order (Fisher–Yates).
    mutating func shuffled<T>(_ array: [T]) -> [T] {
        var copy = array
        var i = copy.count - 1
        while i > 0 {
            let j = below(i + 1)
            copy.swapAt(i, j)
            i -= 1
        }
        return copy
    }
}
