/// Helpers for key ranges in LMDB's default (lexicographic byte) order.
public enum KeyRange {
    /// The smallest key greater than every key that starts with `prefix`: the prefix with trailing
    /// 0xFF bytes removed and its last byte incremented. Nil when no such key exists (an empty
    /// prefix, or all 0xFF), meaning "to the end".
    public static func upperBound(forPrefix prefix: [UInt8]) -> [UInt8]? {
        var bound = prefix
        while let last = bound.last {
            if last == 0xFF {
                bound.removeLast()
            } else {
                bound[bound.count - 1] = last + 1
                return bound
            }
        }
        return nil
    }
}
