/// The kind of an audit record: every rejection at an endpoint falls in one of these.
public enum AuditKind: String, Sendable, CaseIterable {
    /// A token or credential was presented but did not verify (bad MAC, expired, unknown key).
    case authenticationFailed
    /// The client is authenticated but its credential does not allow the request (scope).
    case unauthorized
    /// The client exceeded its request rate.
    case rateLimited
    /// The request could not be decoded or a field failed validation.
    case malformedRequest
    /// The request frame is larger than the endpoint's maximum.
    case frameTooLarge
    /// The request names a protocol version this build does not speak.
    case unsupportedVersion
    /// The request is of a kind the endpoint does not serve (e.g. a query on the consensus endpoint).
    case wrongEndpoint
    /// A round was refused: gap, conflict, wrong state, or the node is halted.
    case roundRefused
    /// The ZAP handler refused a connection (unknown CURVE key or source address).
    case handshakeRefused
    /// An infrastructure failure (LMDB, I/O) while serving a request.
    case internalError
}
