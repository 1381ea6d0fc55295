import Hummingbird

/// The request context of the gateway: Hummingbird's core context plus the client's IP address (the
/// rate-limit bucket's name).
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address as text, nil when the transport does not say (e.g. a Unix socket).
    public let remoteIP: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteIP = source.channel.remoteAddress?.ipAddress
    }
}
