/// The fee schedule of every `FeeOperation` — one entry per operation, sorted by operation byte
/// (Docs/spec/fees.md, F-9, F-13). A governance parameter, stored inside `Parameters`.
public struct FeeTable: CanonicalCodable, Equatable, Hashable, Sendable {
    /// One entry per `FeeOperation`, in `FeeOperation.allCases` (operation byte) order. Invariant kept
    /// by every initialiser and by `replacing(_:with:)`.
    public private(set) var entries: [FeeTableEntry]

    /// A table whose schedule for each operation is `make(operation)`.
    public init(_ make: (FeeOperation) -> FeeSchedule) {
        entries = FeeOperation.allCases.map { FeeTableEntry(operation: $0, schedule: make($0)) }
    }

    /// A table from entries in any order; nil unless every operation appears exactly once.
    public init?(entries: [FeeTableEntry]) {
        let sorted = entries.sorted { $0.operation < $1.operation }
        guard sorted.map(\.operation) == FeeOperation.allCases else { return nil }
        self.entries = sorted
    }

    /// The schedules in operation byte order.
    public var schedules: [FeeSchedule] { entries.map(\.schedule) }

    /// The schedule of `operation`.
    public func schedule(for operation: FeeOperation) -> FeeSchedule {
        entries[Self.index(of: operation)].schedule
    }

    /// This table with `operation`'s schedule replaced by `schedule` (not validated: see
    /// `validateChange(of:to:maxChangeBps:)` and `validate()`).
    public func replacing(_ operation: FeeOperation, with schedule: FeeSchedule) -> FeeTable {
        var copy = self
        copy.entries[Self.index(of: operation)].schedule = schedule
        return copy
    }

    /// The fee of `operation` for `units` (its schedule's `fee(units:)`).
    public func fee(for operation: FeeOperation, units: UInt64) -> Result<Amount, FeeError> {
        schedule(for: operation).fee(units: units)
    }

    /// The first invalid schedule (F-7) in operation byte order, or nil.
    public func validate() -> FeeTableError? {
        for entry in entries {
            if let error = entry.schedule.validate() { return FeeTableError(operation: entry.operation, error: error) }
        }
        return nil
    }

    /// Whether governance may replace `operation`'s schedule by `proposed` (F-8).
    public func validateChange(
        of operation: FeeOperation,
        to proposed: FeeSchedule,
        maxChangeBps: UInt32 = FeeSchedule.defaultMaxChangeBps
    ) -> FeeScheduleError? {
        schedule(for: operation).validateChange(to: proposed, maxChangeBps: maxChangeBps)
    }

    /// The position of `operation` in `entries` (its position in `allCases`, which is sorted by byte).
    private static func index(of operation: FeeOperation) -> Int {
        FeeOperation.allCases.firstIndex(of: operation) ?? 0  // every case is in allCases
    }

    /// u32 BE entry count (= the number of operations, 10) ‖ each entry in operation byte order. F-13.
    public func encode(to writer: inout CanonicalWriter) {
        writer.write(entries)
    }

    /// Refuses a count other than the number of operations, an unknown operation byte, and entries
    /// that are not exactly the operations in increasing byte order (F-13).
    public init(from reader: inout CanonicalReader) throws(CodecError) {
        let expected = FeeOperation.allCases.count
        let decoded = try reader.readArray("fee table entries", limit: expected, as: FeeTableEntry.self)
        guard decoded.count == expected else {
            throw .invalidValue(field: "fee table entries", reason: "\(decoded.count) entries, expected \(expected)")
        }
        for (index, operation) in FeeOperation.allCases.enumerated() where decoded[index].operation != operation {
            throw .invalidValue(field: "fee table entries",
                                reason: "entry \(index) is \(decoded[index].operation), expected \(operation)")
        }
        entries = decoded
    }
}
