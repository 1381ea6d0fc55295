/// One row of a `FeeTable`: the schedule of one operation.
public struct FeeTableEntry: CanonicalCodable, Equatable, Hashable, Sendable {
    public var operation: FeeOperation
    public var schedule: FeeSchedule

    public init(operation: FeeOperation, schedule: FeeSchedule) {
        self.operation = operation
        self.schedule = schedule
    }

    /// `operation` (u8) ‖ `schedule`. F-13.
    public func encode(to writer: inout CanonicalWriter) {
        writer.write(operation.rawValue)
        writer.write(schedule)
    }

    public init(from reader: inout CanonicalReader) throws(CodecError) {
        let raw = try reader.readUInt8("fee table operation")
        guard let operation = FeeOperation(rawValue: raw) else {
            throw .unknownDiscriminant(field: "fee table operation", value: UInt64(raw))
        }
        self.operation = operation
        schedule = try FeeSchedule(from: &reader)
    }
}
