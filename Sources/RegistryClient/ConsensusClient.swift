import Foundation
import RegistryCore
import Wire
import ZMQ

/// A blocking client of the plugin's consensus endpoint (one DEALER socket): what a host node, the
/// round driver, the tests and the benchmark use to send Info, InitChain, CheckTx, ApplyRound and
/// PreviewRound, one request at a time.
///
/// Every call waits at most `timeout` and either returns the decoded response or throws a
/// `RegistryClientError` (transport, timeout, the server's typed error, malformed reply). Replies are
/// matched by request id, so a late reply to a timed-out request is never mistaken for the next one.
///
/// Not `Sendable`: use a client from one thread at a time (make one per thread or per replica).
public final class ConsensusClient {
    /// The protocol version this client speaks.
    public static let protocolVersion: UInt32 = 1
    /// The default time a call waits for its reply.
    public static let defaultTimeout: Duration = .seconds(10)

    /// The endpoint the client is connected to.
    public var endpoint: String { channel.endpoint }
    /// The protocol version put in requests (tests may set an unsupported one).
    public var protocolVersion: UInt32 = ConsensusClient.protocolVersion
    private let channel: RequestChannel

    /// Connects to `endpoint` (`ipc://…` or `tcp://…`); the connection is made in the background.
    ///
    /// - Parameters:
    ///   - curve: the server's public key and this client's key pair, when the endpoint uses CurveZMQ.
    ///   - timeout: how long a call waits to send and for its reply.
    ///   - maxReplyBytes: the largest reply frame accepted (`ZMQ_MAXMSGSIZE`; a larger one drops the
    ///     connection and the call times out).
    ///   - context: the ZeroMQ context; nil shares one process-wide context between clients.
    public init(endpoint: String, curve: CurveCredentials? = nil, timeout: Duration = ConsensusClient.defaultTimeout,
                maxReplyBytes: Int64 = 256 << 20, context: Context? = nil) throws(RegistryClientError) {
        channel = try RequestChannel(context: context, endpoint: endpoint, curve: curve, timeout: timeout, maxReplyBytes: maxReplyBytes)
    }

    /// Closes the socket; later calls fail with a transport error.
    public func close() { channel.close() }

    // MARK: Requests

    /// The last committed round and root, versions and the retention window.
    public func info() throws(RegistryClientError) -> AiRegistry_V1_InfoResponse {
        let response = try call(.info(AiRegistry_V1_InfoRequest()), operation: "info")
        guard case .info(let info)? = response.response else { throw unexpected(response, "info") }
        return info
    }

    /// Commits the genesis state (only on an empty store).
    public func initChain(_ request: AiRegistry_V1_InitChainRequest) throws(RegistryClientError) -> AiRegistry_V1_InitChainResponse {
        let response = try call(.initChain(request), operation: "init_chain")
        guard case .initChain(let result)? = response.response else { throw unexpected(response, "init_chain") }
        return result
    }

    /// Checks a transaction against committed state (no writes).
    public func checkTx(_ tx: [UInt8]) throws(RegistryClientError) -> AiRegistry_V1_CheckTxResponse {
        var request = AiRegistry_V1_CheckTxRequest()
        request.tx = Data(tx)
        let response = try call(.checkTx(request), operation: "check_tx")
        guard case .checkTx(let result)? = response.response else { throw unexpected(response, "check_tx") }
        return result
    }

    /// Executes and commits a round; a committed round comes back with `replayed` (D9).
    public func applyRound(_ request: AiRegistry_V1_ApplyRoundRequest, timeout: Duration? = nil) throws(RegistryClientError) -> AiRegistry_V1_RoundResult {
        let response = try call(.applyRound(request), operation: "apply_round", timeout: timeout)
        guard case .applyRound(let result)? = response.response else { throw unexpected(response, "apply_round") }
        return result
    }

    /// Executes a round over the committed state and discards it.
    public func previewRound(_ request: AiRegistry_V1_ApplyRoundRequest, timeout: Duration? = nil) throws(RegistryClientError) -> AiRegistry_V1_RoundResult {
        var preview = AiRegistry_V1_PreviewRoundRequest()
        preview.round = request
        let response = try call(.previewRound(preview), operation: "preview_round", timeout: timeout)
        guard case .previewRound(let result)? = response.response else { throw unexpected(response, "preview_round") }
        return result
    }

    // MARK: Lower level

    /// Sends `request` (the client sets the protocol version and a fresh request id) and waits for its
    /// reply; an error reply is thrown as `.errorReply`.
    public func call(_ request: AiRegistry_V1_ConsensusRequest.OneOf_Request, operation: String, timeout: Duration? = nil) throws(RegistryClientError) -> AiRegistry_V1_ConsensusResponse {
        let id = try send(request, operation: operation)
        let response = try receive(requestID: id, operation: operation, timeout: timeout)
        if let error = response.replyError { throw .errorReply(operation: operation, ServerError(error)) }
        return response
    }

    /// Sends `request` without waiting; returns its request id for `receive(requestID:)`. (The crash
    /// test sends an ApplyRound and kills the server before the reply.)
    @discardableResult
    public func send(_ request: AiRegistry_V1_ConsensusRequest.OneOf_Request, operation: String) throws(RegistryClientError) -> UInt64 {
        var message = AiRegistry_V1_ConsensusRequest()
        message.protocolVersion = protocolVersion
        message.requestID = channel.nextRequestID()
        message.request = request
        try channel.send(message, operation: operation)
        return message.requestID
    }

    /// Waits for the reply to `requestID` (error replies are returned, not thrown).
    public func receive(requestID: UInt64, operation: String, timeout: Duration? = nil) throws(RegistryClientError) -> AiRegistry_V1_ConsensusResponse {
        try channel.receive(AiRegistry_V1_ConsensusResponse.self, requestID: requestID, timeout: timeout, operation: operation)
    }

    /// Sends raw frames as they are (fuzzing, tools) and returns the next message received within
    /// `timeout`, or nil.
    public func exchangeRaw(_ frames: [[UInt8]], timeout: Duration) throws(RegistryClientError) -> [[UInt8]]? {
        try channel.sendRaw(frames, operation: "raw")
        return try channel.receiveRaw(timeout: timeout)
    }

    private func unexpected(_ response: AiRegistry_V1_ConsensusResponse, _ operation: String) -> RegistryClientError {
        let kind: String
        switch response.response {
        case nil: kind = "none"
        case .error: kind = "error"
        case .info: kind = "info"
        case .initChain: kind = "init_chain"
        case .checkTx: kind = "check_tx"
        case .applyRound: kind = "apply_round"
        case .previewRound: kind = "preview_round"
        }
        return .malformedReply(operation: operation, reason: "unexpected response kind \(kind)")
    }
}
