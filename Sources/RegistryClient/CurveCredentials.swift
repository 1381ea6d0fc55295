import ZMQ

/// What a client needs to talk to a CurveZMQ server: the server's public key and the client's own key
/// pair (whose public key must be on the server's allow-list).
public struct CurveCredentials: Sendable, Hashable {
    /// The server's long-term public key (32 bytes).
    public var serverPublicKey: [UInt8]
    /// The client's key pair.
    public var clientKeyPair: CurveKeyPair

    public init(serverPublicKey: [UInt8], clientKeyPair: CurveKeyPair) {
        self.serverPublicKey = serverPublicKey
        self.clientKeyPair = clientKeyPair
    }
}
