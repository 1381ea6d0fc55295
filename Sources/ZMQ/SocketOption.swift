/// A socket option (`zmq_setsockopt` / `zmq_getsockopt`) with its Swift value type.
///
/// `try socket.set(.receiveTimeout, 500)`, `try socket.get(.maxMessageSize)`.
public struct SocketOption<Value>: Sendable {
    /// The `ZMQ_*` option number.
    public let rawValue: Int32
    let encode: @Sendable (Value) -> [UInt8]
    let decode: @Sendable ([UInt8]) -> Value?
    let capacity: Int
}

extension SocketOption where Value == Int32 {
    init(int32 rawValue: Int32) {
        self.init(
            rawValue: rawValue, encode: { value in withUnsafeBytes(of: value) { Array($0) } },
            decode: { bytes in
                guard bytes.count == 4 else { return nil }
                return bytes.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }
            }, capacity: 4)
    }

    /// `ZMQ_LINGER`: milliseconds to keep unsent messages after close (-1 forever, 0 drop; 0 is
    /// this wrapper's default).
    public static let linger = SocketOption(int32: ZMQC.optionLinger)
    /// `ZMQ_SNDTIMEO`: milliseconds a send may block before `.again` (-1 forever).
    public static let sendTimeout = SocketOption(int32: ZMQC.optionSendTimeout)
    /// `ZMQ_RCVTIMEO`: milliseconds a receive may block before returning nil (-1 forever).
    public static let receiveTimeout = SocketOption(int32: ZMQC.optionReceiveTimeout)
    /// `ZMQ_SNDHWM`: most messages queued outbound per peer (0 unlimited).
    public static let sendHighWaterMark = SocketOption(int32: ZMQC.optionSendHighWaterMark)
    /// `ZMQ_RCVHWM`: most messages queued inbound per peer (0 unlimited).
    public static let receiveHighWaterMark = SocketOption(int32: ZMQC.optionReceiveHighWaterMark)
    /// `ZMQ_RECONNECT_IVL`: milliseconds between reconnection attempts (-1: never reconnect).
    public static let reconnectInterval = SocketOption(int32: ZMQC.optionReconnectInterval)
    /// `ZMQ_HANDSHAKE_IVL`: milliseconds allowed for the ZMTP (and CURVE) handshake.
    public static let handshakeInterval = SocketOption(int32: ZMQC.optionHandshakeInterval)
}

extension SocketOption where Value == Int64 {
    /// `ZMQ_MAXMSGSIZE`: the largest inbound frame in bytes (-1 unlimited). A peer that sends a
    /// larger one is disconnected and the frame is dropped.
    public static let maxMessageSize = SocketOption(
        rawValue: ZMQC.optionMaxMessageSize, encode: { value in withUnsafeBytes(of: value) { Array($0) } },
        decode: { bytes in
            guard bytes.count == 8 else { return nil }
            return bytes.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
        }, capacity: 8)
}

extension SocketOption where Value == Bool {
    init(flag rawValue: Int32) {
        self.init(
            rawValue: rawValue, encode: { value in withUnsafeBytes(of: Int32(value ? 1 : 0)) { Array($0) } },
            decode: { bytes in
                guard bytes.count == 4 else { return nil }
                return bytes.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) } != 0
            }, capacity: 4)
    }

    /// `ZMQ_ROUTER_MANDATORY`: a ROUTER send to an unknown routing id fails with
    /// `.hostUnreachable` instead of being dropped silently.
    public static let routerMandatory = SocketOption(flag: ZMQC.optionRouterMandatory)
    /// `ZMQ_IMMEDIATE`: queue messages only to completed connections.
    public static let immediate = SocketOption(flag: ZMQC.optionImmediate)
    /// `ZMQ_CURVE_SERVER`: act as CURVE server (needs `curveSecretKey`).
    public static let curveServer = SocketOption(flag: ZMQC.optionCurveServer)
    /// `ZMQ_IPV6`: allow IPv6 on TCP endpoints.
    public static let ipv6 = SocketOption(flag: ZMQC.optionIPv6)
    /// `ZMQ_RCVMORE` (read-only): whether the last frame received has more frames after it.
    public static let receiveMore = SocketOption(flag: ZMQC.optionReceiveMore)
}

extension SocketOption where Value == [UInt8] {
    init(bytes rawValue: Int32, capacity: Int = 255) {
        self.init(rawValue: rawValue, encode: { $0 }, decode: { $0 }, capacity: capacity)
    }

    /// `ZMQ_ROUTING_ID`: this socket's routing id as its ROUTER peers see it (1–255 bytes, not
    /// starting with 0); set before connecting.
    public static let routingID = SocketOption(bytes: ZMQC.optionRoutingID)
    /// `ZMQ_SUBSCRIBE` (SUB, write-only): receive messages whose first frame starts with the prefix.
    public static let subscribe = SocketOption(bytes: ZMQC.optionSubscribe)
    /// `ZMQ_UNSUBSCRIBE` (SUB, write-only): remove one earlier subscription of the prefix.
    public static let unsubscribe = SocketOption(bytes: ZMQC.optionUnsubscribe)
    /// `ZMQ_CURVE_PUBLICKEY`: this socket's long-term public key (32 bytes).
    public static let curvePublicKey = SocketOption(bytes: ZMQC.optionCurvePublicKey, capacity: 32)
    /// `ZMQ_CURVE_SECRETKEY`: this socket's long-term secret key (32 bytes).
    public static let curveSecretKey = SocketOption(bytes: ZMQC.optionCurveSecretKey, capacity: 32)
    /// `ZMQ_CURVE_SERVERKEY` (client): the server's public key (32 bytes).
    public static let curveServerKey = SocketOption(bytes: ZMQC.optionCurveServerKey, capacity: 32)
}

extension SocketOption where Value == String {
    init(string rawValue: Int32, capacity: Int) {
        self.init(
            rawValue: rawValue, encode: { Array($0.utf8) },
            decode: { bytes in String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self) }, capacity: capacity)
    }

    /// `ZMQ_ZAP_DOMAIN`: the domain passed to the ZAP handler (also turns ZAP on for NULL security).
    public static let zapDomain = SocketOption(string: ZMQC.optionZAPDomain, capacity: 256)
    /// `ZMQ_LAST_ENDPOINT` (read-only): the last endpoint bound or connected, port resolved.
    public static let lastEndpoint = SocketOption(string: ZMQC.optionLastEndpoint, capacity: 1024)
}

extension Socket {
    /// Sets an option (`zmq_setsockopt`).
    public func set<Value>(_ option: SocketOption<Value>, _ value: Value) throws(ZMQError) {
        let bytes = option.encode(value)
        let socket = try pointer("zmq_setsockopt")
        let result: Result<Void, ZMQError> = bytes.withUnsafeBytes { raw in
            do throws(ZMQError) {
                return .success(try ZMQC.setOption(socket, option.rawValue, raw))
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Reads an option (`zmq_getsockopt`).
    public func get<Value>(_ option: SocketOption<Value>) throws(ZMQError) -> Value {
        let socket = try pointer("zmq_getsockopt")
        var buffer = [UInt8](repeating: 0, count: option.capacity)
        let result: Result<Int, ZMQError> = buffer.withUnsafeMutableBytes { raw in
            do throws(ZMQError) {
                return .success(try ZMQC.getOption(socket, option.rawValue, into: raw))
            } catch {
                return .failure(error)
            }
        }
        let size = try result.get()
        guard let value = option.decode(Array(buffer.prefix(size))) else {
            throw ZMQError(code: .invalidArgument, operation: "zmq_getsockopt")
        }
        return value
    }

    /// Subscribes a SUB socket to messages whose first frame starts with `prefix` (`ZMQ_SUBSCRIBE`);
    /// an empty prefix subscribes to everything.
    public func subscribe(_ prefix: [UInt8]) throws(ZMQError) {
        try set(.subscribe, prefix)
    }

    /// Removes a subscription (`ZMQ_UNSUBSCRIBE`).
    public func unsubscribe(_ prefix: [UInt8]) throws(ZMQError) {
        try set(.unsubscribe, prefix)
    }

    /// Makes this socket a CURVE server with `keyPair` (`ZMQ_CURVE_SERVER`, `ZMQ_CURVE_SECRETKEY`).
    /// Set before `bind`. Clients are then authenticated by the context's ZAP handler, if any.
    public func makeCurveServer(_ keyPair: CurveKeyPair) throws(ZMQError) {
        try set(.curveServer, true)
        try set(.curveSecretKey, keyPair.secretKey)
    }

    /// Makes this socket a CURVE client of the server with `serverPublicKey`, using `keyPair`
    /// (`ZMQ_CURVE_SERVERKEY`, `ZMQ_CURVE_PUBLICKEY`, `ZMQ_CURVE_SECRETKEY`). Set before `connect`.
    public func makeCurveClient(serverPublicKey: [UInt8], keyPair: CurveKeyPair) throws(ZMQError) {
        try set(.curveServerKey, serverPublicKey)
        try set(.curvePublicKey, keyPair.publicKey)
        try set(.curveSecretKey, keyPair.secretKey)
    }
}
