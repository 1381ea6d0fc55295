/// A 32-byte digest (BLAKE2b-256 output) held inline, without a heap allocation.
///
/// The four words hold the bytes in big-endian order, so `<` is the lexicographic order of the
/// bytes, the order the state tree and LMDB use.
public struct Digest256: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var w0: UInt64
    public var w1: UInt64
    public var w2: UInt64
    public var w3: UInt64

    /// The all-zero digest.
    public static let zero = Digest256(w0: 0, w1: 0, w2: 0, w3: 0)

    @inlinable
    public init(w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64) {
        self.w0 = w0; self.w1 = w1; self.w2 = w2; self.w3 = w3
    }

    /// Reads 32 bytes; returns nil when `bytes` does not hold exactly 32.
    @inlinable
    public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
        guard bytes.count == 32 else { return nil }
        if let fast = bytes.withContiguousStorageIfAvailable({ Digest256(unsafeRaw: UnsafeRawPointer($0.baseAddress!)) }) {
            self = fast
            return
        }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var index = 0
        for byte in bytes {
            switch index >> 3 {
            case 0: words.0 = (words.0 << 8) | UInt64(byte)
            case 1: words.1 = (words.1 << 8) | UInt64(byte)
            case 2: words.2 = (words.2 << 8) | UInt64(byte)
            default: words.3 = (words.3 << 8) | UInt64(byte)
            }
            index += 1
        }
        self.init(w0: words.0, w1: words.1, w2: words.2, w3: words.3)
    }

    /// Reads 32 bytes from raw memory (which must hold at least 32 bytes).
    @inlinable
    public init(unsafeRaw pointer: UnsafeRawPointer) {
        w0 = UInt64(bigEndian: pointer.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        w1 = UInt64(bigEndian: pointer.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        w2 = UInt64(bigEndian: pointer.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        w3 = UInt64(bigEndian: pointer.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
    }

    /// Writes the 32 bytes to raw memory (which must have room for 32).
    public func store(to pointer: UnsafeMutableRawPointer) {
        pointer.storeBytes(of: w0.bigEndian, toByteOffset: 0, as: UInt64.self)
        pointer.storeBytes(of: w1.bigEndian, toByteOffset: 8, as: UInt64.self)
        pointer.storeBytes(of: w2.bigEndian, toByteOffset: 16, as: UInt64.self)
        pointer.storeBytes(of: w3.bigEndian, toByteOffset: 24, as: UInt64.self)
    }

    /// The 32 bytes.
    public var bytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { buffer, count in
            store(to: UnsafeMutableRawPointer(buffer.baseAddress!))
            count = 32
        }
    }

    /// Appends the 32 bytes to `array`.
    public func append(to array: inout [UInt8]) {
        withUnsafeBytes(of: w0.bigEndian) { array.append(contentsOf: $0) }
        withUnsafeBytes(of: w1.bigEndian) { array.append(contentsOf: $0) }
        withUnsafeBytes(of: w2.bigEndian) { array.append(contentsOf: $0) }
        withUnsafeBytes(of: w3.bigEndian) { array.append(contentsOf: $0) }
    }

    /// The nibble (4 bits) at `index` in 0..<64, most significant first.
    @inline(__always)
    public func nibble(at index: Int) -> Int {
        let word: UInt64
        switch index >> 4 {
        case 0: word = w0
        case 1: word = w1
        case 2: word = w2
        default: word = w3
        }
        return Int((word >> UInt64(60 - ((index & 15) << 2))) & 0xF)
    }

    /// Lower-case hexadecimal.
    public var hex: String { Hex.encode(bytes) }

    public var description: String { hex }

    public static func < (a: Digest256, b: Digest256) -> Bool {
        if a.w0 != b.w0 { return a.w0 < b.w0 }
        if a.w1 != b.w1 { return a.w1 < b.w1 }
        if a.w2 != b.w2 { return a.w2 < b.w2 }
        return a.w3 < b.w3
    }
}
