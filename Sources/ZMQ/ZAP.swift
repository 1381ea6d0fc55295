/// The ZeroMQ Authentication Protocol (ZAP, ZeroMQ RFC 27), as pure functions over frames.
///
/// A server socket with CURVE (or PLAIN, or NULL with a ZAP domain) asks the handler bound at
/// `inproc://zeromq.zap.01` in its context about every new client; the handler answers 200
/// (allow) or 400 (deny).
public enum ZAP {
    /// The endpoint libzmq sends ZAP requests to.
    public static let endpoint = "inproc://zeromq.zap.01"
    /// The only protocol version.
    public static let version = "1.0"
}

/// A security mechanism named in a ZAP request.
public enum ZAPMechanism: Sendable, Hashable {
    /// "NULL": no credentials.
    case null
    /// "PLAIN": user name and password.
    case plain
    /// "CURVE": the client's long-term public key.
    case curve
    /// Anything else (refused by `ZAPRequest.parse`).
    case other(String)

    init(name: String) {
        switch name {
        case "NULL": self = .null
        case "PLAIN": self = .plain
        case "CURVE": self = .curve
        default: self = .other(name)
        }
    }

    /// The name on the wire.
    public var name: String {
        switch self {
        case .null: return "NULL"
        case .plain: return "PLAIN"
        case .curve: return "CURVE"
        case .other(let name): return name
        }
    }
}

/// A malformed ZAP request or reply.
public struct ZAPProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was wrong.
    public enum Reason: Equatable, Sendable {
        /// Fewer frames than the protocol requires.
        case tooFewFrames(count: Int)
        /// A version other than "1.0".
        case unsupportedVersion(String)
        /// A text frame (named) that is not UTF-8.
        case invalidText(field: String)
        /// A mechanism other than NULL, PLAIN, CURVE.
        case unknownMechanism(String)
        /// Credentials that do not fit the mechanism (count or length).
        case badCredentials(mechanism: String)
        /// A reply status code other than 200, 300, 400, 500.
        case badStatusCode(String)
    }

    public let reason: Reason
    /// The request id, when the message had one, so that a handler can still answer 500.
    public let requestID: [UInt8]?

    public init(reason: Reason, requestID: [UInt8]?) {
        self.reason = reason
        self.requestID = requestID
    }

    public var description: String { "malformed ZAP message: \(reason)" }
}

/// A ZAP request (RFC 27): version, request id, domain, address, identity, mechanism, credentials.
public struct ZAPRequest: Sendable, Hashable {
    /// The request id, echoed in the reply.
    public var requestID: [UInt8]
    /// The server socket's `zapDomain`.
    public var domain: String
    /// The client's IP address (for TCP), e.g. "127.0.0.1".
    public var address: String
    /// The server socket's routing id ("identity" in RFC 27).
    public var identity: [UInt8]
    /// The security mechanism.
    public var mechanism: ZAPMechanism
    /// The mechanism's credentials: none for NULL, user and password for PLAIN, the 32-byte
    /// public key for CURVE.
    public var credentials: [[UInt8]]

    public init(
        requestID: [UInt8], domain: String, address: String, identity: [UInt8], mechanism: ZAPMechanism,
        credentials: [[UInt8]]
    ) {
        self.requestID = requestID
        self.domain = domain
        self.address = address
        self.identity = identity
        self.mechanism = mechanism
        self.credentials = credentials
    }

    /// The client's CURVE public key (32 bytes), for a CURVE request.
    public var clientPublicKey: [UInt8]? {
        guard mechanism == .curve, credentials.count == 1, credentials[0].count == 32 else { return nil }
        return credentials[0]
    }

    /// Parses the frames of a request, checking the version and the credentials of the mechanism.
    public static func parse(_ frames: [[UInt8]]) throws(ZAPProtocolError) -> ZAPRequest {
        let requestID = frames.count > 1 ? frames[1] : nil
        func fail(_ reason: ZAPProtocolError.Reason) -> ZAPProtocolError {
            ZAPProtocolError(reason: reason, requestID: requestID)
        }
        func text(_ index: Int, _ field: String) throws(ZAPProtocolError) -> String {
            guard let value = utf8String(frames[index]) else {
                throw fail(.invalidText(field: field))
            }
            return value
        }
        guard frames.count >= 6 else { throw fail(.tooFewFrames(count: frames.count)) }
        let version = try text(0, "version")
        guard version == ZAP.version else { throw fail(.unsupportedVersion(version)) }
        let mechanism = ZAPMechanism(name: try text(5, "mechanism"))
        let credentials = Array(frames[6...])
        switch mechanism {
        case .null:
            guard credentials.isEmpty else { throw fail(.badCredentials(mechanism: "NULL")) }
        case .plain:
            guard credentials.count == 2 else { throw fail(.badCredentials(mechanism: "PLAIN")) }
        case .curve:
            guard credentials.count == 1, credentials[0].count == 32 else {
                throw fail(.badCredentials(mechanism: "CURVE"))
            }
        case .other(let name):
            throw fail(.unknownMechanism(name))
        }
        return ZAPRequest(
            requestID: frames[1], domain: try text(2, "domain"), address: try text(3, "address"),
            identity: frames[4], mechanism: mechanism, credentials: credentials)
    }

    /// The request's frames (as libzmq sends them).
    public func encoded() -> [[UInt8]] {
        [Array(ZAP.version.utf8), requestID, Array(domain.utf8), Array(address.utf8), identity,
         Array(mechanism.name.utf8)] + credentials
    }
}

/// What a ZAP handler decided about a client.
public enum ZAPDecision: Sendable, Hashable {
    /// Status 200; `userID` is attached to the client's messages (`ReceivedMessage.userID`).
    case allow(userID: String)
    /// Status 400 with a reason (not sent to the client, which only sees the refusal).
    case deny(reason: String)
}

/// A ZAP reply (RFC 27): version, request id, status code and text, user id, metadata.
public struct ZAPReply: Sendable, Hashable {
    /// RFC 27 status codes.
    public enum Status: String, Sendable, Hashable {
        /// "200": success, the client is allowed.
        case success = "200"
        /// "300": temporary error, the client should retry.
        case temporaryError = "300"
        /// "400": authentication failure, the client is refused.
        case authenticationFailure = "400"
        /// "500": internal error (e.g. a malformed request).
        case internalError = "500"
    }

    public var requestID: [UInt8]
    public var status: Status
    public var statusText: String
    public var userID: String
    /// ZMTP-encoded metadata properties (empty for none).
    public var metadata: [UInt8]

    public init(requestID: [UInt8], status: Status, statusText: String, userID: String = "", metadata: [UInt8] = []) {
        self.requestID = requestID
        self.status = status
        self.statusText = statusText
        self.userID = userID
        self.metadata = metadata
    }

    /// The reply to `request` for `decision`: 200 with the user id, or 400 with the reason.
    public init(answering request: ZAPRequest, with decision: ZAPDecision) {
        switch decision {
        case .allow(let userID):
            self.init(requestID: request.requestID, status: .success, statusText: "OK", userID: userID)
        case .deny(let reason):
            self.init(requestID: request.requestID, status: .authenticationFailure, statusText: reason)
        }
    }

    /// The reply to a request that could not be parsed: 500, echoing the request id if there was one.
    public init(answering error: ZAPProtocolError) {
        self.init(requestID: error.requestID ?? [], status: .internalError, statusText: error.description)
    }

    /// The reply's frames.
    public func encoded() -> [[UInt8]] {
        [Array(ZAP.version.utf8), requestID, Array(status.rawValue.utf8), Array(statusText.utf8),
         Array(userID.utf8), metadata]
    }

    /// Parses the frames of a reply.
    public static func parse(_ frames: [[UInt8]]) throws(ZAPProtocolError) -> ZAPReply {
        let requestID = frames.count > 1 ? frames[1] : nil
        guard frames.count == 6 else {
            throw ZAPProtocolError(reason: .tooFewFrames(count: frames.count), requestID: requestID)
        }
        func text(_ index: Int, _ field: String) throws(ZAPProtocolError) -> String {
            guard let value = utf8String(frames[index]) else {
                throw ZAPProtocolError(reason: .invalidText(field: field), requestID: requestID)
            }
            return value
        }
        let version = try text(0, "version")
        guard version == ZAP.version else {
            throw ZAPProtocolError(reason: .unsupportedVersion(version), requestID: requestID)
        }
        let code = try text(2, "status code")
        guard let status = Status(rawValue: code) else {
            throw ZAPProtocolError(reason: .badStatusCode(code), requestID: requestID)
        }
        return ZAPReply(
            requestID: frames[1], status: status, statusText: try text(3, "status text"),
            userID: try text(4, "user id"), metadata: frames[5])
    }
}

/// `bytes` as a string when they are valid UTF-8 (decoding replaces invalid sequences, so a
/// round trip that changes the bytes means they were not valid).
func utf8String(_ bytes: [UInt8]) -> String? {
    let text = String(decoding: bytes, as: UTF8.self)
    return text.utf8.elementsEqual(bytes) ? text : nil
}
