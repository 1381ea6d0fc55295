/// A failure reported by libsodium or by an argument check of this wrapper.
public struct SodiumError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Equatable, Sendable {
        /// A key, seed, signature or tag had the wrong length.
        case invalidLength(expected: Int, actual: Int)
        /// The C function returned a non-zero status.
        case failed(status: Int32)
    }

    public let code: Code
    /// The libsodium function (or wrapper operation) that failed, e.g. `crypto_sign_ed25519_detached`.
    public let operation: String

    public init(code: Code, operation: String) {
        self.code = code
        self.operation = operation
    }

    public var description: String {
        switch code {
        case .invalidLength(let expected, let actual):
            return "\(operation): expected \(expected) bytes, got \(actual)"
        case .failed(let status):
            return "\(operation) failed with status \(status)"
        }
    }
}

@inline(__always)
func checkLength(_ count: Int, _ expected: Int, _ operation: String) throws(SodiumError) {
    if count != expected {
        throw SodiumError(code: .invalidLength(expected: expected, actual: count), operation: operation)
    }
}
