/// The kind of a socket (`zmq_socket`'s `type`).
public enum SocketType: Sendable, Hashable, CaseIterable {
    /// `ZMQ_ROUTER`: addresses peers by routing id (first frame of each message).
    case router
    /// `ZMQ_DEALER`: asynchronous request side, load-balances over peers.
    case dealer
    /// `ZMQ_PUB`: publishes to subscribers.
    case pub
    /// `ZMQ_SUB`: receives messages whose first frame starts with a subscribed prefix.
    case sub
    /// `ZMQ_XPUB`: PUB that also receives subscriptions.
    case xpub
    /// `ZMQ_XSUB`: SUB that sends subscriptions as messages.
    case xsub
    /// `ZMQ_REQ`: strict send/receive alternation.
    case req
    /// `ZMQ_REP`: strict receive/send alternation.
    case rep
    /// `ZMQ_PAIR`: exclusive pair.
    case pair
    /// `ZMQ_PUSH`: pipeline sender.
    case push
    /// `ZMQ_PULL`: pipeline receiver.
    case pull

    var rawValue: Int32 {
        switch self {
        case .router: return ZMQC.typeRouter
        case .dealer: return ZMQC.typeDealer
        case .pub: return ZMQC.typePub
        case .sub: return ZMQC.typeSub
        case .xpub: return ZMQC.typeXPub
        case .xsub: return ZMQC.typeXSub
        case .req: return ZMQC.typeReq
        case .rep: return ZMQC.typeRep
        case .pair: return ZMQC.typePair
        case .push: return ZMQC.typePush
        case .pull: return ZMQC.typePull
        }
    }
}
