import Wire
import ZMQ

/// Why a client call failed. Every case names the operation (`info`, `apply_round`, `get_model`, …).
public enum RegistryClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A socket call failed (invalid endpoint, closed socket, terminated context).
    case transport(operation: String, endpoint: String, error: ZMQError)
    /// The request could not be queued, or no reply with its request id arrived, within the timeout.
    /// The request may still be executed by the server.
    case timeout(operation: String, endpoint: String, milliseconds: Int64)
    /// The server answered with an `Error` (typed code, message, offending field).
    case errorReply(operation: String, ServerError)
    /// The reply could not be decoded, was not the expected kind, or was not one frame.
    case malformedReply(operation: String, reason: String)
    /// The client refused to send: an argument is invalid (e.g. a 31-byte account).
    case invalidRequest(operation: String, field: String, reason: String)

    /// The server's error, when the call failed with an error reply.
    public var serverError: ServerError? {
        if case .errorReply(_, let error) = self { return error }
        return nil
    }

    public var description: String {
        switch self {
        case .transport(let operation, let endpoint, let error): return "\(operation) on \(endpoint): \(error)"
        case .timeout(let operation, let endpoint, let ms): return "\(operation) on \(endpoint): no reply within \(ms) ms"
        case .errorReply(let operation, let error): return "\(operation): \(error)"
        case .malformedReply(let operation, let reason): return "\(operation): malformed reply: \(reason)"
        case .invalidRequest(let operation, let field, let reason): return "\(operation): invalid \(field): \(reason)"
        }
    }
}

/// The typed error a server replied with (`ai_registry.v1.Error`).
public struct ServerError: Sendable, Equatable, CustomStringConvertible {
    public var code: AiRegistry_V1_ErrorCode
    public var message: String
    /// The offending field (e.g. `apply_round.round`), empty when none is to blame.
    public var field: String
    /// For ROUND_GAP: the next round the server expects.
    public var expectedRound: UInt64
    /// For RATE_LIMITED: when to retry.
    public var retryAfterMillis: UInt64
    /// For UNSUPPORTED_VERSION: the versions the server speaks.
    public var supportedVersions: [UInt32]

    public init(_ error: AiRegistry_V1_Error) {
        code = error.code
        message = error.message
        field = error.field
        expectedRound = error.expectedRound
        retryAfterMillis = error.retryAfterMillis
        supportedVersions = error.supportedVersions
    }

    public var description: String {
        var text = "\(code) \(message)"
        if !field.isEmpty { text += " (field \(field))" }
        if code == .roundGap { text += " (expected round \(expectedRound))" }
        return text
    }
}
