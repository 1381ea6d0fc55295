import ZMQ

/// The consensus endpoint's admission rule, applied by its ZAP handler at every handshake: with CURVE
/// configured, the client's public key must be on the allow-list; with an IP allow-list, a TCP client's
/// source address must be in it. On an `ipc://` endpoint the IP allow-list does not apply (libzmq reports
/// the peer's credentials as `localhost:<uid>:<gid>:<pid>`, or nothing, instead of an address): access is
/// governed by the socket file's permissions (keep the data directory 0700).
public struct ConsensusSecurity: Sendable {
    /// The allowed CURVE client keys (nil: the endpoint does not use CURVE).
    public let allowedClientKeys: [[UInt8]]?
    /// The allowed source addresses.
    public let ipAllowList: IPAllowList
    /// Whether the endpoint is `ipc://` (no IP addresses to check).
    public let isIPC: Bool

    public init(configuration: ConsensusEndpointConfiguration) {
        allowedClientKeys = configuration.curve?.allowedClientKeys
        ipAllowList = IPAllowList(configuration.ipAllowList) ?? IPAllowList([])!
        isIPC = configuration.endpoint.hasPrefix("ipc://")
    }

    /// The ZAP domain set on the consensus socket.
    public static let zapDomain = "ai-registry.consensus"

    /// How a client is named in audit records: `key=<Z85> ip=<address>`, or `ipc=<peer credentials>` on
    /// an ipc endpoint (`ipc=` alone when libzmq gives none).
    public static func clientName(key: [UInt8]?, address: String, ipc: Bool) -> String {
        var parts: [String] = []
        if let key { parts.append("key=" + ((try? Z85.encode(key)) ?? "?")) }
        parts.append(ipc || address.isEmpty ? "ipc=" + address : "ip=" + address)
        return parts.joined(separator: " ")
    }

    /// The decision on one handshake; a denial carries its reason (for the audit record).
    public func decide(_ request: ZAPRequest) -> ZAPDecision {
        let key = request.clientPublicKey
        if let allowed = allowedClientKeys {
            guard request.mechanism == .curve, let key else {
                return .deny(reason: "mechanism \(request.mechanism.name) refused: CURVE is required")
            }
            guard allowed.contains(key) else { return .deny(reason: "client key is not on the allow-list") }
        }
        if !isIPC && !request.address.isEmpty && !ipAllowList.allows(request.address) {
            return .deny(reason: "source address \(request.address) is not on the IP allow-list")
        }
        if let key, let text = try? Z85.encode(key) { return .allow(userID: "curve:" + text) }
        return .allow(userID: isIPC || request.address.isEmpty ? "ipc" : "ip:" + request.address)
    }
}
