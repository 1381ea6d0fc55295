/// Comparisons whose duration does not depend on where the inputs differ (`sodium_memcmp`).
public enum ConstantTime {
    /// Whether `a` and `b` are equal. Different lengths compare unequal (the length is not secret).
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in SodiumC.memcmp(pa, pb) } } == 0
    }

    /// Overwrites `bytes` with zeros in a way the compiler does not remove (`sodium_memzero`).
    public static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { SodiumC.memzero($0) }
    }
}
