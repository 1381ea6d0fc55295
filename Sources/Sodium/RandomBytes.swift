/// Unpredictable bytes from the operating system (`randombytes_buf`). Never used in consensus code (D1).
public enum RandomBytes {
    /// `count` random bytes.
    public static func generate(count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: max(0, count))
        bytes.withUnsafeMutableBytes { SodiumC.randomBytes(into: $0) }
        return bytes
    }
}
