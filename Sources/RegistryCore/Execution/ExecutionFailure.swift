/// Why a step of execution stopped: a rejection (a value in the result, D5) or an infrastructure
/// failure of the state reader (thrown out of `execute`, the plugin stops).
enum ExecutionFailure: Error {
    case reject(ResultCode, String)
    case infrastructure(StateError)
}

/// Shorthand for a rejection.
@inline(__always)
func reject(_ code: ResultCode, _ log: String) -> ExecutionFailure { .reject(code, log) }
