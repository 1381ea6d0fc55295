import Sodium
import StateTree

/// The node key bytes of rule ST-9 (`version (u64 BE) ‖ nibble count (u8) ‖ packed nibbles`), appended
/// to a buffer straight from the path's packed words, without the temporary arrays of
/// `NodeKey.append(to:)`. Tests check it equals `NodeKey.encoded` byte for byte.
enum NodeKeyEncoding {
    static func append(_ key: NodeKey, to out: inout [UInt8]) {
        let count = key.path.count
        let packed = key.path.packed
        // version ‖ count ‖ the packed words (big-endian, w0 first), of which ⌈count/2⌉ bytes are kept.
        withUnsafeTemporaryAllocation(byteCount: 41, alignment: 8) { raw in
            raw.storeBytes(of: key.version.bigEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: UInt8(truncatingIfNeeded: count), toByteOffset: 8, as: UInt8.self)
            packed.store(to: raw.baseAddress! + 9)
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[0..<(9 + (count + 1) / 2)]))
        }
    }

    /// Calls `body` with the encoded key in a stack buffer (no allocation).
    static func withEncoded<R, E: Error>(
        _ key: NodeKey, _ body: (UnsafeRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        let count = key.path.count
        let packed = key.path.packed
        let result: Result<R, E> = withUnsafeTemporaryAllocation(byteCount: 41, alignment: 8) { raw in
            raw.storeBytes(of: key.version.bigEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: UInt8(truncatingIfNeeded: count), toByteOffset: 8, as: UInt8.self)
            packed.store(to: raw.baseAddress! + 9)
            do throws(E) {
                return .success(try body(UnsafeRawBufferPointer(rebasing: raw[0..<(9 + (count + 1) / 2)])))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The encoded key.
    static func encode(_ key: NodeKey) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(8 + 1 + (key.path.count + 1) / 2)
        append(key, to: &out)
        return out
    }
}
