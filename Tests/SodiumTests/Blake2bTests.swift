import Sodium
import Testing

/// A small deterministic generator so split points and inputs are reproducible.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) } }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

@Suite("BLAKE2b-256")
struct Blake2bTests {
    @Test("empty input known answer")
    func emptyKnownAnswer() {
        #expect(Blake2b.hash256([]).hex == "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8")
    }

    @Test("\"abc\" known answer")
    func abcKnownAnswer() {
        #expect(Blake2b.hash256(Array("abc".utf8)).hex
            == "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319")
    }

    @Test("the incremental hasher gives the known answers")
    func incrementalKnownAnswers() {
        var empty = Blake2bHasher()
        #expect(empty.finalize().hex == "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8")
        var abc = Blake2bHasher()
        abc.update([UInt8(ascii: "a")])
        abc.update([])
        abc.update(Array("bc".utf8))
        #expect(abc.finalize().hex == "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319")
    }

    @Test("incremental hashing over arbitrary splits equals one-shot", arguments: [0, 1, 127, 128, 129, 1000, 4097])
    func arbitrarySplits(length: Int) {
        var random = SplitMix64(state: UInt64(length) &+ 7)
        let input = random.bytes(length)
        let expected = Blake2b.hash256(input)
        for _ in 0..<20 {
            var hasher = Blake2bHasher()
            var position = 0
            while position < input.count {
                let size = min(input.count - position, random.below(300))
                hasher.update(input[position..<position + size])
                position += size
            }
            #expect(hasher.finalize() == expected)
        }
        #expect(Blake2b.hash256(input[...]) == expected)
        #expect(input.withUnsafeBytes { Blake2b.hash256(raw: $0) } == expected)
    }

    @Test("hash of parts equals hash of the concatenation")
    func parts() {
        let parts: [[UInt8]] = [[], Array("ai-registry".utf8), [0, 1, 2], [], [UInt8](repeating: 0xAB, count: 200)]
        #expect(Blake2b.hash256(parts: parts) == Blake2b.hash256(parts.flatMap { $0 }))
    }

    @Test("copying a hasher forks its state")
    func fork() {
        var a = Blake2bHasher()
        a.update(Array("prefix".utf8))
        var b = a
        a.update(Array("-one".utf8))
        b.update(Array("-two".utf8))
        #expect(a.finalize() == Blake2b.hash256(Array("prefix-one".utf8)))
        #expect(b.finalize() == Blake2b.hash256(Array("prefix-two".utf8)))
    }

    @Test("different inputs give different digests")
    func distinct() {
        #expect(Blake2b.hash256([0]) != Blake2b.hash256([]))
        #expect(Blake2b.hash256([0]) != Blake2b.hash256([0, 0]))
    }
}
