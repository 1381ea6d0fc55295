/// A request the plugin answers with an `Error` reply: the code, a message that names the problem,
/// and the offending field path when one is to blame (e.g. `apply_round.host_updates[3].deposit.account`).
public struct WireError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The error code sent to the client.
    public var code: AiRegistry_V1_ErrorCode
    /// A one-line explanation (which field, which limit).
    public var message: String
    /// The field path, empty when no field is to blame.
    public var field: String
    /// For ROUND_GAP: the round the plugin expects next.
    public var expectedRound: UInt64
    /// For RATE_LIMITED: when to retry.
    public var retryAfterMillis: UInt64

    public init(_ code: AiRegistry_V1_ErrorCode, _ message: String, field: String = "", expectedRound: UInt64 = 0,
                retryAfterMillis: UInt64 = 0) {
        self.code = code
        self.message = message
        self.field = field
        self.expectedRound = expectedRound
        self.retryAfterMillis = retryAfterMillis
    }

    /// INVALID_ARGUMENT naming `field`.
    public static func invalid(_ field: String, _ message: String) -> WireError {
        WireError(.invalidArgument, "\(field): \(message)", field: field)
    }

    /// MALFORMED_REQUEST naming `field` (a required field is missing, or the frame does not decode).
    public static func malformed(_ message: String, field: String = "") -> WireError {
        WireError(.malformedRequest, message, field: field)
    }

    /// The `Error` message of the reply; UNSUPPORTED_VERSION lists the supported versions.
    public var proto: AiRegistry_V1_Error {
        var error = AiRegistry_V1_Error()
        error.code = code
        error.message = message
        error.field = field
        error.expectedRound = expectedRound
        error.retryAfterMillis = retryAfterMillis
        if code == .unsupportedVersion { error.supportedVersions = WireProtocol.supportedVersions }
        return error
    }

    /// The proto enum name of the code, e.g. `ROUND_GAP` (for logs, metrics and audit records).
    public var codeName: String { code.name }

    public var description: String {
        field.isEmpty ? "\(code.name): \(message)" : "\(code.name) [\(field)]: \(message)"
    }
}

extension AiRegistry_V1_ErrorCode {
    /// The name without the `ERROR_CODE_` prefix, e.g. `FRAME_TOO_LARGE`.
    public var name: String {
        switch self {
        case .unspecified: return "UNSPECIFIED"
        case .malformedRequest: return "MALFORMED_REQUEST"
        case .unsupportedVersion: return "UNSUPPORTED_VERSION"
        case .frameTooLarge: return "FRAME_TOO_LARGE"
        case .unauthorized: return "UNAUTHORIZED"
        case .rateLimited: return "RATE_LIMITED"
        case .wrongState: return "WRONG_STATE"
        case .roundGap: return "ROUND_GAP"
        case .roundConflict: return "ROUND_CONFLICT"
        case .notFound: return "NOT_FOUND"
        case .roundPruned: return "ROUND_PRUNED"
        case .invalidArgument: return "INVALID_ARGUMENT"
        case .wrongEndpoint: return "WRONG_ENDPOINT"
        case .internal: return "INTERNAL"
        case .unavailable: return "UNAVAILABLE"
        case .UNRECOGNIZED(let value): return "UNRECOGNIZED(\(value))"
        }
    }
}

extension AiRegistry_V1_Error {
    /// An `Error` message from its parts.
    public init(_ error: WireError) {
        self = error.proto
    }
}

extension AiRegistry_V1_ConsensusResponse {
    /// An error reply to consensus request `requestID`.
    public static func failure(_ error: WireError, requestID: UInt64) -> AiRegistry_V1_ConsensusResponse {
        var response = AiRegistry_V1_ConsensusResponse()
        response.protocolVersion = WireProtocol.version
        response.requestID = requestID
        response.error = error.proto
        return response
    }
}

extension AiRegistry_V1_QueryResponse {
    /// An error reply to query request `requestID`.
    public static func failure(_ error: WireError, requestID: UInt64) -> AiRegistry_V1_QueryResponse {
        var response = AiRegistry_V1_QueryResponse()
        response.protocolVersion = WireProtocol.version
        response.requestID = requestID
        response.error = error.proto
        return response
    }
}
