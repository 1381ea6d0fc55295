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

/// Why a fee table is invalid: the first invalid schedule, by operation byte.
public struct FeeTableError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The operation whose schedule is invalid.
    public var operation: FeeOperation
    /// What is wrong with it.
    public var error: FeeScheduleError

    public init(operation: FeeOperation, error: FeeScheduleError) {
        self.operation = operation
        self.error = error
    }

    public var description: String { "fee schedule of \(operation): \(error)" }
}
