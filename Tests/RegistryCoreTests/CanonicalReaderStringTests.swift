import Testing
@testable import RegistryCore

/// `CanonicalReader.readString`: the ASCII fast path and the validating path give the same answers.
@Suite struct CanonicalReaderStringTests {
    private func encoded(_ raw: [UInt8]) -> [UInt8] {
        var writer = CanonicalWriter()
        writer.writeBytes(raw)
        return writer.bytes
    }

    @Test func asciiAndMultiByteStringsDecodeToTheWrittenString() throws {
        for text in ["", "resnet-50", "model ✓ ü 模型 🚀", String(repeating: "a", count: 300)] {
            var writer = CanonicalWriter()
            writer.write(text)
            var reader = CanonicalReader(writer.bytes)
            #expect(try reader.readString("s", limit: 1_000) == text)
            #expect(reader.remaining == 0)
        }
    }

    @Test func invalidUTF8IsRefusedNotRepaired() {
        for raw: [UInt8] in [[0x80], [0x61, 0xFF, 0x62], [0xC3], [0xED, 0xA0, 0x80], [0x61, 0x62, 0xC0, 0xAF]] {
            var reader = CanonicalReader(encoded(raw))
            #expect(throws: CodecError.invalidUTF8(field: "s")) { try reader.readString("s", limit: 100) }
        }
    }

    @Test func lengthLimitAndTruncationAreCheckedBeforeDecoding() {
        var tooLong = CanonicalReader(encoded([0x61, 0x62, 0x63]))
        #expect(throws: CodecError.lengthExceedsLimit(field: "s", length: 3, limit: 2)) {
            try tooLong.readString("s", limit: 2)
        }
        var truncated = CanonicalReader(Array(encoded([0x61, 0x62, 0x63]).dropLast()))
        #expect(throws: CodecError.truncated(field: "s")) { try truncated.readString("s", limit: 10) }
    }
}
