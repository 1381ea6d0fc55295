import Sodium
import Testing

/// Decodes hex that a test wrote by hand; a typo fails the test instead of trapping.
func hex(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [UInt8] {
    try #require(Hex.decode(text), "bad hex literal in test", sourceLocation: sourceLocation)
}

/// A copy of `bytes` with bit 0 of the byte at `index` flipped.
func flipped(_ bytes: [UInt8], at index: Int) -> [UInt8] {
    var copy = bytes
    copy[index] ^= 0x01
    return copy
}
