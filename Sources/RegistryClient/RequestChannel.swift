import Foundation
import SwiftProtobuf
import Wire
import ZMQ

/// A response message of the consensus or query endpoint: it echoes the request id and may carry an error.
protocol EndpointResponse: SwiftProtobuf.Message {
    var requestID: UInt64 { get }
    var protocolVersion: UInt32 { get }
    /// The error the reply carries, if it is an error reply.
    var replyError: AiRegistry_V1_Error? { get }
}

extension AiRegistry_V1_ConsensusResponse: EndpointResponse {
    var replyError: AiRegistry_V1_Error? {
        if case .error(let error)? = response { return error }
        return nil
    }
}

extension AiRegistry_V1_QueryResponse: EndpointResponse {
    var replyError: AiRegistry_V1_Error? {
        if case .error(let error)? = response { return error }
        return nil
    }
}

/// The contexts clients share when the caller passes none: one I/O thread for all of them.
enum SharedContext {
    static let result: Result<Context, ZMQError> = Result { () throws(ZMQError) in try Context(ioThreads: 1) }

    /// `context`, or the shared one.
    static func resolve(_ context: Context?, _ endpoint: String) throws(RegistryClientError) -> Context {
        if let context { return context }
        return try get(endpoint)
    }

    static func get(_ endpoint: String) throws(RegistryClientError) -> Context {
        switch result {
        case .success(let context): return context
        case .failure(let error): throw .transport(operation: "zmq_ctx_new", endpoint: endpoint, error: error)
        }
    }
}

/// One DEALER socket connected to a ROUTER endpoint: sends one-frame requests and receives the
/// one-frame reply with the matching request id, dropping late replies of earlier (timed-out)
/// requests. Not thread-safe: one owner.
final class RequestChannel {
    let endpoint: String
    let timeout: Duration
    private let socket: Socket
    private var lastRequestID: UInt64 = 0

    /// Connects a DEALER to `endpoint` (`ZMQ_IMMEDIATE`: requests are only queued to a completed
    /// connection, so a request never waits in a pipe to be delivered to a later server process).
    init(context: Context?, endpoint: String, curve: CurveCredentials?, timeout: Duration, maxReplyBytes: Int64) throws(RegistryClientError) {
        self.endpoint = endpoint
        self.timeout = timeout
        let context = try SharedContext.resolve(context, endpoint)
        do {
            socket = try Socket(context, .dealer)
            try socket.set(.immediate, true)
            try socket.set(.maxMessageSize, maxReplyBytes)
            try socket.set(.sendTimeout, Int32(clamping: Self.milliseconds(timeout)))
            try socket.set(.reconnectInterval, 50)
            if let curve {
                try socket.makeCurveClient(serverPublicKey: curve.serverPublicKey, keyPair: curve.clientKeyPair)
            }
            try socket.connect(endpoint)
        } catch {
            throw .transport(operation: "connect", endpoint: endpoint, error: error)
        }
    }

    /// The id the next request gets.
    func nextRequestID() -> UInt64 {
        lastRequestID += 1
        return lastRequestID
    }

    /// Sends one frame, waiting at most the timeout for a connection that can take it.
    func send(_ frame: [UInt8], operation: String) throws(RegistryClientError) {
        do {
            try socket.send(frame)
        } catch let error where error.code == .again {
            throw .timeout(operation: operation, endpoint: endpoint, milliseconds: Self.milliseconds(timeout))
        } catch {
            throw .transport(operation: operation, endpoint: endpoint, error: error)
        }
    }

    /// Encodes and sends a request message.
    func send(_ message: some SwiftProtobuf.Message, operation: String) throws(RegistryClientError) {
        let bytes: [UInt8]
        do { bytes = try message.serializedBytes() } catch {
            throw .invalidRequest(operation: operation, field: "request", reason: "cannot encode: \(error)")
        }
        try send(bytes, operation: operation)
    }

    /// Receives the reply to `requestID`, waiting at most `timeout` (the channel's by default). Replies
    /// to other ids (late answers to timed-out requests) are dropped. An error reply is returned, not
    /// thrown: the caller decides.
    func receive<R: EndpointResponse>(_ type: R.Type, requestID: UInt64, timeout: Duration? = nil, operation: String) throws(RegistryClientError) -> R {
        let limit = timeout ?? self.timeout
        let deadline = ContinuousClock.now.advanced(by: limit)
        while true {
            let remaining = deadline - ContinuousClock.now
            let frames: [[UInt8]]?
            do {
                frames = try socket.receiveMultipart(timeout: remaining > .zero ? remaining : .zero)
            } catch {
                throw .transport(operation: operation, endpoint: endpoint, error: error)
            }
            guard let frames else {
                throw .timeout(operation: operation, endpoint: endpoint, milliseconds: Self.milliseconds(limit))
            }
            guard frames.count == 1 else {
                throw .malformedReply(operation: operation, reason: "\(frames.count) frames, expected 1")
            }
            let reply: R
            do { reply = try R(serializedBytes: frames[0]) } catch {
                throw .malformedReply(operation: operation, reason: "undecodable \(R.protoMessageName) (\(frames[0].count) bytes): \(error)")
            }
            if reply.requestID == requestID { return reply }
            // A server answers a request it could not decode (or refused before decoding, e.g. an
            // oversize frame) with request id 0: an error reply with id 0 is taken as the answer.
            if reply.requestID == 0, reply.replyError != nil { return reply }
            if reply.requestID > requestID {
                throw .malformedReply(operation: operation, reason: "reply to request \(reply.requestID), newer than \(requestID)")
            }
        }
    }

    /// Receives the next message (any frames) without interpreting it; nil after `timeout`. For tests
    /// and tools that send raw frames.
    func receiveRaw(timeout: Duration) throws(RegistryClientError) -> [[UInt8]]? {
        do { return try socket.receiveMultipart(timeout: timeout) } catch {
            throw .transport(operation: "receive", endpoint: endpoint, error: error)
        }
    }

    /// Sends a multipart message of raw frames (for tests and tools).
    func sendRaw(_ frames: [[UInt8]], operation: String) throws(RegistryClientError) {
        do {
            try socket.send(frames: frames)
        } catch let error where error.code == .again {
            throw .timeout(operation: operation, endpoint: endpoint, milliseconds: Self.milliseconds(timeout))
        } catch {
            throw .transport(operation: operation, endpoint: endpoint, error: error)
        }
    }

    func close() { socket.close() }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
