import Sodium
import Testing

@Suite("Digest256")
struct Digest256Tests {
    @Test("bytes round trip")
    func roundTrip() throws {
        var random = SplitMix64(state: 42)
        for _ in 0..<50 {
            let bytes = random.bytes(32)
            let digest = try #require(Digest256(bytes: bytes))
            #expect(digest.bytes == bytes)
            #expect(digest.hex == Hex.encode(bytes))
            #expect(digest.description == digest.hex)
            var appended: [UInt8] = [9]
            digest.append(to: &appended)
            #expect(appended == [9] + bytes)
            let fromRaw = bytes.withUnsafeBytes { Digest256(unsafeRaw: $0.baseAddress!) }
            #expect(fromRaw == digest)
            var stored = [UInt8](repeating: 0, count: 32)
            stored.withUnsafeMutableBytes { digest.store(to: $0.baseAddress!) }
            #expect(stored == bytes)
            #expect(Digest256(bytes: bytes[...]) == digest)
        }
    }

    @Test("wrong lengths give nil", arguments: [0, 1, 31, 33, 64])
    func wrongLength(count: Int) {
        #expect(Digest256(bytes: [UInt8](repeating: 7, count: count)) == nil)
    }

    @Test("zero is 32 zero bytes")
    func zero() {
        #expect(Digest256.zero.bytes == [UInt8](repeating: 0, count: 32))
    }

    @Test("ordering equals the lexicographic order of the bytes")
    func ordering() throws {
        var random = SplitMix64(state: 7)
        var samples: [[UInt8]] = []
        for _ in 0..<60 { samples.append(random.bytes(32)) }
        // Pairs differing only late, or only in one word, exercise every word comparison.
        for position in [0, 7, 8, 15, 16, 23, 24, 31] {
            var a = [UInt8](repeating: 0x55, count: 32)
            var b = a
            a[position] = 0x01
            b[position] = 0xF0
            samples.append(a)
            samples.append(b)
        }
        for x in samples {
            for y in samples {
                let dx = try #require(Digest256(bytes: x))
                let dy = try #require(Digest256(bytes: y))
                #expect((dx < dy) == x.lexicographicallyPrecedes(y))
                #expect((dx == dy) == (x == y))
            }
        }
        let sortedDigests = try samples.map { try #require(Digest256(bytes: $0)) }.sorted().map(\.bytes)
        #expect(sortedDigests == samples.sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test("nibble(at:) reads the hex digits most significant first")
    func nibbles() throws {
        var random = SplitMix64(state: 99)
        for _ in 0..<20 {
            let bytes = random.bytes(32)
            let digest = try #require(Digest256(bytes: bytes))
            for index in 0..<64 {
                let byte = bytes[index / 2]
                let expected = index % 2 == 0 ? Int(byte >> 4) : Int(byte & 0xF)
                #expect(digest.nibble(at: index) == expected)
            }
        }
        let known = try #require(Digest256(bytes: try hex(
            "0123456789abcdeffedcba98765432100f1e2d3c4b5a69788796a5b4c3d2e1f0")))
        let hexDigits = Array("0123456789abcdeffedcba98765432100f1e2d3c4b5a69788796a5b4c3d2e1f0")
        for index in 0..<64 {
            #expect(known.nibble(at: index) == Int(String(hexDigits[index]), radix: 16))
        }
    }
}
