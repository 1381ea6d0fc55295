import StateTree
import Testing

/// The byte order of update batches (`KeyUpdate.keyPrecedes`, used by the tree's and the store's order
/// checks) is `lexicographicallyPrecedes` on bytes.
@Suite("Key order")
struct KeyOrderTests {
    @Test("keyPrecedes agrees with lexicographicallyPrecedes: prefixes, empty keys, equal keys, random keys")
    func agreesWithLexicographicOrder() {
        var rng = TreeTestRNG(seed: 0x0030_0001)
        var keys: [[UInt8]] = [[], [0], [0, 0], [1], [0xFF], [0xFF, 0], [1, 2, 3], [1, 2], [1, 2, 4]]
        for _ in 0..<300 { keys.append(rng.bytes(count: rng.below(6))) }
        for a in keys {
            for b in keys {
                #expect(KeyUpdate.keyPrecedes(a, b) == a.lexicographicallyPrecedes(b), "\(a) \(b)")
            }
        }
    }
}
