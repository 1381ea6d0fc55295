/// An input or output tensor shape: up to `Limits.maxShapeDims` dimensions; 0 marks a dynamic dimension.
public struct TensorShape: Equatable, Sendable, CanonicalCodable {
    public var dims: [UInt32]

    public init(_ dims: [UInt32]) { self.dims = dims }

    /// Whether the shape respects the limits (LC-4).
    public var isValid: Bool {
        !dims.isEmpty && dims.count <= Limits.maxShapeDims && dims.allSatisfy { $0 <= Limits.maxShapeDim }
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(UInt32(dims.count))
        for dim in dims { writer.write(dim) }
    }

    public init(from reader: inout CanonicalReader) throws(CodecError) {
        let count = try reader.readCount("shape", limit: Limits.maxShapeDims)
        var dims: [UInt32] = []
        for _ in 0..<count { dims.append(try reader.readUInt32("shape dim")) }
        self.dims = dims
    }
}
