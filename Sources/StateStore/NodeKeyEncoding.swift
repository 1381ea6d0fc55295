import Sodium
import StateTree

/// The node key bytes of rule ST-9 (`version (u64 BE) ‖ nibble count (u8) ‖ packed nibbles`), appended
/// to a buffer straight from the path's packed words, without the temporary arrays of
/// `NodeKey.append(to:)`. Tests check it equals `NodeKey.encoded` byte for byte.
enum NodeKeyEncoding {
    static func append(_ key: NodeKey, to out: inout [UInt8]) {
        BigEndian.append(key.version, to: &out)
        let count = key.path.count
        out.append(UInt8(truncatingIfNeeded: count))
        let packed = key.path.packed
        for index in 0..<((count + 1) / 2) {
            let word: UInt64
            switch index >> 3 {
            case 0: word = packed.w0
            case 1: word = packed.w1
            case 2: word = packed.w2
            default: word = packed.w3
            }
            out.append(UInt8(truncatingIfNeeded: word >> UInt64(56 - 8 * (index & 7))))
        }
    }

    /// The encoded key.
    static func encode(_ key: NodeKey) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(8 + 1 + (key.path.count + 1) / 2)
        append(key, to: &out)
        return out
    }
}
