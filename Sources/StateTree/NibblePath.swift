import Sodium

/// A path of up to 64 nibbles from the root of the tree (rule ST-3): the first `count` nibbles of a
/// key hash, most significant nibble first.
///
/// Held inline: the nibbles are packed into a `Digest256` whose nibbles at and beyond `count` are zero,
/// so comparing two paths of equal length compares their packed bytes.
public struct NibblePath: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The largest number of nibbles a path can hold (a 256-bit key hash).
    public static let maxCount = 64

    /// The packed nibbles; every nibble at index `count` or above is zero.
    public private(set) var packed: Digest256
    private var length: UInt8

    /// The empty path (the root).
    public init() {
        packed = .zero
        length = 0
    }

    /// The first `count` nibbles of `digest` (`count` is clamped to 0...64).
    public init(prefixOf digest: Digest256, count: Int) {
        let c = max(0, min(count, NibblePath.maxCount))
        packed = Digest256(
            w0: digest.w0 & NibblePath.mask(keepingBits: c * 4),
            w1: digest.w1 & NibblePath.mask(keepingBits: c * 4 - 64),
            w2: digest.w2 & NibblePath.mask(keepingBits: c * 4 - 128),
            w3: digest.w3 & NibblePath.mask(keepingBits: c * 4 - 192)
        )
        length = UInt8(c)
    }

    /// A path from explicit nibbles; nil if there are more than 64 or one is above 15.
    public init?(nibbles: [UInt8]) {
        guard nibbles.count <= NibblePath.maxCount else { return nil }
        self.init()
        for nibble in nibbles {
            guard nibble < 16 else { return nil }
            self = appending(Int(nibble))
        }
    }

    /// The number of nibbles.
    @inline(__always)
    public var count: Int { Int(length) }

    /// True for the root path.
    public var isEmpty: Bool { length == 0 }

    /// The nibble at `index` (0..<count).
    @inline(__always)
    public func nibble(at index: Int) -> Int { packed.nibble(at: index) }

    /// The nibbles, most significant first.
    public var nibbles: [UInt8] { (0..<count).map { UInt8(nibble(at: $0)) } }

    /// This path extended by one nibble. `nibble` is masked to 4 bits; the path must hold fewer than
    /// 64 nibbles (callers check `count < maxCount`; beyond that the path is returned unchanged).
    @inline(__always)
    public func appending(_ nibble: Int) -> NibblePath {
        guard count < NibblePath.maxCount else { return self }
        var copy = self
        let shift = UInt64(60 - ((count & 15) << 2))
        let bits = UInt64(nibble & 0xF) << shift
        switch count >> 4 {
        case 0: copy.packed.w0 |= bits
        case 1: copy.packed.w1 |= bits
        case 2: copy.packed.w2 |= bits
        default: copy.packed.w3 |= bits
        }
        copy.length += 1
        return copy
    }

    /// True when `digest` begins with this path.
    @inline(__always)
    public func isPrefix(of digest: Digest256) -> Bool {
        NibblePath(prefixOf: digest, count: count) == self
    }

    /// Orders by length, then by the nibbles: the order of the encoded bytes (rule ST-9).
    public static func < (a: NibblePath, b: NibblePath) -> Bool {
        if a.length != b.length { return a.length < b.length }
        return a.packed < b.packed
    }

    /// The nibbles in hexadecimal, one character each (`""` for the root).
    public var description: String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: (0..<count).map { digits[nibble(at: $0)] }, as: UTF8.self)
    }

    @inline(__always)
    private static func mask(keepingBits bits: Int) -> UInt64 {
        if bits <= 0 { return 0 }
        if bits >= 64 { return ~0 }
        return ~UInt64(0) << UInt64(64 - bits)
    }
}
