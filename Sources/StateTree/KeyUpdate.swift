/// One change in a batch: put `value` under `key`, or delete `key` when `value` is nil (rule ST-20).
public struct KeyUpdate: Equatable, Sendable {
    /// The raw key bytes.
    public let key: [UInt8]
    /// The new value, or nil to delete the key.
    public let value: [UInt8]?

    public init(key: [UInt8], value: [UInt8]?) {
        self.key = key
        self.value = value
    }

    /// Puts `value` under `key`.
    public static func put(_ key: [UInt8], _ value: [UInt8]) -> KeyUpdate { KeyUpdate(key: key, value: value) }

    /// Deletes `key` (a no-op if absent).
    public static func delete(_ key: [UInt8]) -> KeyUpdate { KeyUpdate(key: key, value: nil) }

    /// True when `a` sorts before `b` byte by byte, a proper prefix first (the order of update batches,
    /// `lexicographicallyPrecedes` on bytes), compared through the arrays' buffers.
    public static func keyPrecedes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBufferPointer { left in
            b.withUnsafeBufferPointer { right in
                let common = min(left.count, right.count)
                var index = 0
                while index < common {
                    let x = left[index], y = right[index]
                    if x != y { return x < y }
                    index += 1
                }
                return left.count < right.count
            }
        }
    }
}
