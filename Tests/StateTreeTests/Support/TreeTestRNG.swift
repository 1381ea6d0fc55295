/// SplitMix64: a small seeded deterministic generator for the property tests (no system randomness).
struct TreeTestRNG {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

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
