/// A key and its value, copied out of the database.
public struct Entry: Hashable, Sendable, CustomStringConvertible {
    public var key: [UInt8]
    public var value: [UInt8]

    public init(key: [UInt8], value: [UInt8]) {
        self.key = key
        self.value = value
    }

    init(_ raw: (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)) {
        self.init(key: [UInt8](raw.key), value: [UInt8](raw.value))
    }

    public var description: String { "\(hexString(key)) => \(value.count) bytes" }
}

func hexString(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
}

/// Contiguous bytes the wrappers pass to LMDB: an array, or a slice of a larger one (a node encoding in
/// a batch's buffer, ADR 0029). Both already have this method.
protocol ContiguousByteStorage {
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension Array: ContiguousByteStorage where Element == UInt8 {}
extension ArraySlice: ContiguousByteStorage where Element == UInt8 {}

/// `withUnsafeBytes` with a body that throws `LMDBError` (the standard one is untyped `rethrows`).
@inline(__always)
func withBytes<Bytes: ContiguousByteStorage, R>(
    _ bytes: Bytes, _ body: (UnsafeRawBufferPointer) throws(LMDBError) -> R
) throws(LMDBError) -> R {
    let result: Result<R, LMDBError> = bytes.withUnsafeBytes { raw in
        do throws(LMDBError) { return .success(try body(raw)) } catch { return .failure(error) }
    }
    return try result.get()
}
