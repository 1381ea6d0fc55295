import Sodium
import Testing

@Suite("Hex")
struct HexTests {
    @Test("round trip of every byte value")
    func roundTrip() {
        let all = (0...255).map { UInt8($0) }
        let text = Hex.encode(all)
        #expect(text.count == 512)
        #expect(text.hasPrefix("000102"))
        #expect(text.hasSuffix("fdfeff"))
        #expect(Hex.decode(text) == all)
        #expect(Hex.decode(text.uppercased()) == all)
    }

    @Test("empty input")
    func empty() {
        #expect(Hex.encode([UInt8]()) == "")
        #expect(Hex.decode("") == [])
    }

    @Test("mixed case decodes")
    func mixedCase() {
        #expect(Hex.decode("aBcD") == [0xAB, 0xCD])
    }

    @Test("bad hex is rejected", arguments: ["0", "abc", "0g", "g0", "zz", " 00", "00 ", "0x00", "-1", "é0", "１２"])
    func rejects(text: String) {
        #expect(Hex.decode(text) == nil)
    }
}

@Suite("ConstantTime")
struct ConstantTimeTests {
    @Test("equal arrays compare equal")
    func equal() {
        #expect(ConstantTime.equals([], []))
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        let big = (0..<1000).map { UInt8(truncatingIfNeeded: $0) }
        #expect(ConstantTime.equals(big, big))
    }

    @Test("differences anywhere compare unequal")
    func unequal() {
        let base = (0..<64).map { UInt8($0) }
        for index in base.indices {
            #expect(!ConstantTime.equals(base, flipped(base, at: index)))
        }
    }

    @Test("different lengths compare unequal")
    func lengths() {
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(!ConstantTime.equals([], [0]))
    }

    @Test("wipe zeroes the bytes")
    func wipe() {
        var secret: [UInt8] = [1, 2, 3, 4]
        ConstantTime.wipe(&secret)
        #expect(secret == [0, 0, 0, 0])
    }
}
