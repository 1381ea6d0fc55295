import Wire

/// What the consensus state machine answers to one request: the response to send back and the
/// actions the endpoint performs after sending it (swift-nio style: the machine decides, the owner acts).
public struct ConsensusReply: Sendable {
    /// The response to the request (a result or a typed `Error`).
    public var response: AiRegistry_V1_ConsensusResponse
    /// What to do once the response is sent, in order.
    public var actions: [ConsensusAction]

    public init(response: AiRegistry_V1_ConsensusResponse, actions: [ConsensusAction] = []) {
        self.response = response
        self.actions = actions
    }

    /// The error carried by the response, if it is one.
    public var error: AiRegistry_V1_Error? {
        if case .error(let error)? = response.response { return error }
        return nil
    }
}

/// An effect of a consensus request, performed by the endpoint that owns the sockets and the audit log.
public enum ConsensusAction: Sendable, Equatable {
    /// A new round was committed: publish its result and its events on the event stream.
    case publishRound(AiRegistry_V1_RoundResult)
    /// The request was refused: record it in the audit log.
    case audit(AuditKind, detail: String)
}
