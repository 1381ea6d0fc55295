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
