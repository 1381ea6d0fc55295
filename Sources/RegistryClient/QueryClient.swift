import Foundation
import RegistryCore
import Wire
import ZMQ

/// A blocking client of the plugin's query endpoint (one DEALER socket): point reads with optional
/// Merkle proofs, lists with cursors, roots, round results, statistics, the schedule.
///
/// Authenticates with a token (`ai-registry token issue`, sent in every request) or with an
/// allow-listed CURVE key (`curve`). Calls wait at most `timeout`; failures are `RegistryClientError`
/// (e.g. `.errorReply` with `RATE_LIMITED` and `retryAfterMillis`). Not `Sendable`: one owner thread.
public final class QueryClient {
    /// The endpoint the client is connected to.
    public var endpoint: String { channel.endpoint }
    /// The token put in every request (empty for none).
    public var token: String
    /// The protocol version put in requests.
    public var protocolVersion: UInt32 = ConsensusClient.protocolVersion
    private let channel: RequestChannel

    /// Connects to `endpoint`; see `ConsensusClient.init` for the parameters.
    public init(endpoint: String, token: String = "", curve: CurveCredentials? = nil,
                timeout: Duration = ConsensusClient.defaultTimeout, maxReplyBytes: Int64 = 256 << 20,
                context: Context? = nil) throws(RegistryClientError) {
        self.token = token
        channel = try RequestChannel(context: context, endpoint: endpoint, curve: curve, timeout: timeout, maxReplyBytes: maxReplyBytes)
    }

    /// Closes the socket; later calls fail with a transport error.
    public func close() { channel.close() }

    /// Sends `request` (with the token, the protocol version and a fresh request id) and waits for the
    /// reply; an error reply is thrown as `.errorReply`.
    public func call(_ request: AiRegistry_V1_QueryRequest.OneOf_Request, operation: String,
                     timeout: Duration? = nil) throws(RegistryClientError) -> AiRegistry_V1_QueryResponse {
        var message = AiRegistry_V1_QueryRequest()
        message.protocolVersion = protocolVersion
        message.requestID = channel.nextRequestID()
        message.token = token
        message.request = request
        try channel.send(message, operation: operation)
        let response = try channel.receive(AiRegistry_V1_QueryResponse.self, requestID: message.requestID, timeout: timeout, operation: operation)
        if let error = response.replyError { throw .errorReply(operation: operation, ServerError(error)) }
        return response
    }

    /// Sends raw frames as they are (fuzzing, tools) and returns the next message received within
    /// `timeout`, or nil.
    public func exchangeRaw(_ frames: [[UInt8]], timeout: Duration) throws(RegistryClientError) -> [[UInt8]]? {
        try channel.sendRaw(frames, operation: "raw")
        return try channel.receiveRaw(timeout: timeout)
    }

    static func readOptions(round: UInt64?, prove: Bool) -> AiRegistry_V1_ReadOptions {
        var options = AiRegistry_V1_ReadOptions()
        if let round { options.round = round }
        options.prove = prove
        return options
    }

    static func unexpected(_ operation: String) -> RegistryClientError {
        .malformedReply(operation: operation, reason: "the reply is not a \(operation) response")
    }
}
