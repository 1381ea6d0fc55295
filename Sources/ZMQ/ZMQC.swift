// Every call into libzmq goes through this file (the apple/swift-system style): each Swift name
// documents the C function it calls, and a failure becomes a `ZMQError` that keeps `zmq_errno()`
// and the C function's name. Nothing outside this file imports CZMQ.
import CZMQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `void *` handles of libzmq.
typealias ContextPointer = UnsafeMutableRawPointer  // zmq context
typealias SocketPointer = UnsafeMutableRawPointer  // zmq socket

enum ZMQC {
    // MARK: Errors

    /// `zmq_errno`
    static func lastError(_ operation: StaticString) -> ZMQError {
        ZMQError(code: ZMQError.Code(rawValue: zmq_errno()), operation: "\(operation)")
    }

    /// `zmq_strerror`
    static func errorString(_ code: Int32) -> String {
        guard let text = zmq_strerror(code) else { return "unknown error \(code)" }
        return String(cString: text)
    }

    static let errnoAgain = EAGAIN
    static let errnoInterrupted = EINTR
    static let errnoInvalid = EINVAL
    static let errnoNotSocket = ENOTSOCK
    static let errnoHostUnreachable = EHOSTUNREACH
    static let errnoNotSupported = ENOTSUP
    static let errnoProtocolNotSupported = EPROTONOSUPPORT
    static let errnoNoBufferSpace = ENOBUFS
    static let errnoAddressInUse = EADDRINUSE
    static let errnoAddressNotAvailable = EADDRNOTAVAIL
    static let errnoConnectionRefused = ECONNREFUSED
    static let errnoMessageTooLarge = EMSGSIZE
    static let errnoNoEntry = ENOENT
    static let errnoFault = EFAULT
    static let errnoTooManyFiles = EMFILE
    // libzmq's own codes (zmq.h: ZMQ_HAUSNUMERO + n).
    static let errnoFSM: Int32 = 156_384_712 + 51  // EFSM
    static let errnoNoCompatibleProtocol: Int32 = 156_384_712 + 52  // ENOCOMPATPROTO
    static let errnoTerminated: Int32 = 156_384_712 + 53  // ETERM
    static let errnoNoThread: Int32 = 156_384_712 + 54  // EMTHREAD

    // MARK: Version and capabilities

    /// `zmq_version`
    static func version() -> (major: Int, minor: Int, patch: Int) {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return (Int(major), Int(minor), Int(patch))
    }

    /// `zmq_has`: whether the library was built with `capability` ("curve", "ipc", ...).
    static func has(_ capability: String) -> Bool {
        zmq_has(capability) != 0
    }

    // MARK: Context

    /// `zmq_ctx_new`
    static func contextNew() throws(ZMQError) -> ContextPointer {
        guard let context = zmq_ctx_new() else { throw lastError("zmq_ctx_new") }
        return context
    }

    /// `zmq_ctx_set`
    static func contextSet(_ context: ContextPointer, _ option: Int32, _ value: Int32) throws(ZMQError) {
        if zmq_ctx_set(context, option, value) != 0 { throw lastError("zmq_ctx_set") }
    }

    /// `zmq_ctx_shutdown`: blocking calls on the context's sockets return `ETERM` from now on.
    static func contextShutdown(_ context: ContextPointer) {
        _ = zmq_ctx_shutdown(context)
    }

    /// `zmq_ctx_term`, retried on `EINTR`. Waits until every socket of the context is closed.
    static func contextTerminate(_ context: ContextPointer) {
        while zmq_ctx_term(context) != 0 && zmq_errno() == EINTR {}
    }

    static let contextIOThreads = Int32(ZMQ_IO_THREADS)
    static let contextThreadSchedulingPolicy = Int32(ZMQ_THREAD_SCHED_POLICY)
    static let contextThreadNamePrefix = Int32(ZMQ_THREAD_NAME_PREFIX)
    static let contextMaxSockets = Int32(ZMQ_MAX_SOCKETS)

    // MARK: Sockets

    /// `zmq_socket`
    static func socketNew(_ context: ContextPointer, type: Int32) throws(ZMQError) -> SocketPointer {
        guard let socket = zmq_socket(context, type) else { throw lastError("zmq_socket") }
        return socket
    }

    /// `zmq_close`
    static func close(_ socket: SocketPointer) {
        _ = zmq_close(socket)
    }

    /// `zmq_bind`
    static func bind(_ socket: SocketPointer, _ endpoint: String) throws(ZMQError) {
        if zmq_bind(socket, endpoint) != 0 { throw lastError("zmq_bind") }
    }

    /// `zmq_connect`
    static func connect(_ socket: SocketPointer, _ endpoint: String) throws(ZMQError) {
        if zmq_connect(socket, endpoint) != 0 { throw lastError("zmq_connect") }
    }

    /// `zmq_unbind`
    static func unbind(_ socket: SocketPointer, _ endpoint: String) throws(ZMQError) {
        if zmq_unbind(socket, endpoint) != 0 { throw lastError("zmq_unbind") }
    }

    /// `zmq_disconnect`
    static func disconnect(_ socket: SocketPointer, _ endpoint: String) throws(ZMQError) {
        if zmq_disconnect(socket, endpoint) != 0 { throw lastError("zmq_disconnect") }
    }

    /// `zmq_setsockopt` with raw bytes.
    static func setOption(_ socket: SocketPointer, _ option: Int32, _ value: UnsafeRawBufferPointer) throws(ZMQError) {
        if zmq_setsockopt(socket, option, value.baseAddress, value.count) != 0 { throw lastError("zmq_setsockopt") }
    }

    /// `zmq_getsockopt` into `buffer`; returns the number of bytes written.
    static func getOption(
        _ socket: SocketPointer, _ option: Int32, into buffer: UnsafeMutableRawBufferPointer
    ) throws(ZMQError) -> Int {
        var size = buffer.count
        if zmq_getsockopt(socket, option, buffer.baseAddress, &size) != 0 { throw lastError("zmq_getsockopt") }
        return size
    }

    // Socket types (`zmq_socket`).
    static let typePair = Int32(ZMQ_PAIR)
    static let typePub = Int32(ZMQ_PUB)
    static let typeSub = Int32(ZMQ_SUB)
    static let typeReq = Int32(ZMQ_REQ)
    static let typeRep = Int32(ZMQ_REP)
    static let typeDealer = Int32(ZMQ_DEALER)
    static let typeRouter = Int32(ZMQ_ROUTER)
    static let typePull = Int32(ZMQ_PULL)
    static let typePush = Int32(ZMQ_PUSH)
    static let typeXPub = Int32(ZMQ_XPUB)
    static let typeXSub = Int32(ZMQ_XSUB)

    // Socket options (`zmq_setsockopt` / `zmq_getsockopt`).
    static let optionRoutingID = Int32(ZMQ_ROUTING_ID)
    static let optionSubscribe = Int32(ZMQ_SUBSCRIBE)
    static let optionUnsubscribe = Int32(ZMQ_UNSUBSCRIBE)
    static let optionReceiveMore = Int32(ZMQ_RCVMORE)
    static let optionType = Int32(ZMQ_TYPE)
    static let optionLinger = Int32(ZMQ_LINGER)
    static let optionReconnectInterval = Int32(ZMQ_RECONNECT_IVL)
    static let optionMaxMessageSize = Int32(ZMQ_MAXMSGSIZE)
    static let optionSendHighWaterMark = Int32(ZMQ_SNDHWM)
    static let optionReceiveHighWaterMark = Int32(ZMQ_RCVHWM)
    static let optionReceiveTimeout = Int32(ZMQ_RCVTIMEO)
    static let optionSendTimeout = Int32(ZMQ_SNDTIMEO)
    static let optionLastEndpoint = Int32(ZMQ_LAST_ENDPOINT)
    static let optionRouterMandatory = Int32(ZMQ_ROUTER_MANDATORY)
    static let optionImmediate = Int32(ZMQ_IMMEDIATE)
    static let optionIPv6 = Int32(ZMQ_IPV6)
    static let optionMechanism = Int32(ZMQ_MECHANISM)
    static let optionCurveServer = Int32(ZMQ_CURVE_SERVER)
    static let optionCurvePublicKey = Int32(ZMQ_CURVE_PUBLICKEY)
    static let optionCurveSecretKey = Int32(ZMQ_CURVE_SECRETKEY)
    static let optionCurveServerKey = Int32(ZMQ_CURVE_SERVERKEY)
    static let optionZAPDomain = Int32(ZMQ_ZAP_DOMAIN)
    static let optionHandshakeInterval = Int32(ZMQ_HANDSHAKE_IVL)

    // Send and receive flags.
    static let flagDontWait = Int32(ZMQ_DONTWAIT)
    static let flagSendMore = Int32(ZMQ_SNDMORE)

    // MARK: Messages (zmq_msg_t)

    /// Sends one frame through a `zmq_msg_t` (`zmq_msg_init_size`, copy, `zmq_msg_send`, and
    /// `zmq_msg_close` if the send failed). Retries on `EINTR`.
    static func sendFrame(_ socket: SocketPointer, _ bytes: UnsafeRawBufferPointer, flags: Int32) throws(ZMQError) {
        var message = zmq_msg_t()
        if zmq_msg_init_size(&message, bytes.count) != 0 { throw lastError("zmq_msg_init_size") }
        if let source = bytes.baseAddress, bytes.count > 0, let target = zmq_msg_data(&message) {
            target.copyMemory(from: source, byteCount: bytes.count)
        }
        while true {
            if zmq_msg_send(&message, socket, flags) >= 0 { return }  // the message now belongs to libzmq
            let code = zmq_errno()
            if code == EINTR { continue }
            _ = zmq_msg_close(&message)
            throw ZMQError(code: ZMQError.Code(rawValue: code), operation: "zmq_msg_send")
        }
    }

    /// Receives one frame through a `zmq_msg_t` (`zmq_msg_init`, `zmq_msg_recv`, copy,
    /// `zmq_msg_more`, `zmq_msg_close`). Nil on `EAGAIN` (timeout, or nothing with `ZMQ_DONTWAIT`).
    /// Retries on `EINTR`. With `metadata`, also reads the `User-Id` and `Peer-Address` properties
    /// (`zmq_msg_gets`).
    static func receiveFrame(_ socket: SocketPointer, flags: Int32, metadata: Bool = false) throws(ZMQError)
        -> (bytes: [UInt8], more: Bool, userID: String?, peerAddress: String?)?
    {
        var message = zmq_msg_t()
        if zmq_msg_init(&message) != 0 { throw lastError("zmq_msg_init") }
        defer { _ = zmq_msg_close(&message) }
        while zmq_msg_recv(&message, socket, flags) < 0 {
            let code = zmq_errno()
            if code == EINTR { continue }
            if code == EAGAIN { return nil }
            throw ZMQError(code: ZMQError.Code(rawValue: code), operation: "zmq_msg_recv")
        }
        let size = zmq_msg_size(&message)
        var bytes = [UInt8](repeating: 0, count: size)
        if size > 0, let source = zmq_msg_data(&message) {
            bytes.withUnsafeMutableBytes { $0.baseAddress!.copyMemory(from: source, byteCount: size) }
        }
        let more = zmq_msg_more(&message) != 0
        guard metadata else { return (bytes, more, nil, nil) }
        let userID = zmq_msg_gets(&message, "User-Id").map { String(cString: $0) }
        let peerAddress = zmq_msg_gets(&message, "Peer-Address").map { String(cString: $0) }
        return (bytes, more, userID, peerAddress)
    }

    // MARK: Polling

    static let pollIn = Int16(ZMQ_POLLIN)
    static let pollOut = Int16(ZMQ_POLLOUT)
    static let pollError = Int16(ZMQ_POLLERR)

    /// `zmq_poll` over sockets; returns the `revents` of each. `timeoutMilliseconds` -1 waits
    /// forever. An `EINTR` returns early with no events.
    static func poll(
        _ sockets: [(socket: SocketPointer, events: Int16)], timeoutMilliseconds: Int
    ) throws(ZMQError) -> [Int16] {
        var items = sockets.map { zmq_pollitem_t(socket: $0.socket, fd: 0, events: $0.events, revents: 0) }
        let count = items.count
        let status = items.withUnsafeMutableBufferPointer { zmq_poll($0.baseAddress, Int32(count), timeoutMilliseconds) }
        if status < 0 {
            let code = zmq_errno()
            if code == EINTR { return [Int16](repeating: 0, count: count) }
            throw ZMQError(code: ZMQError.Code(rawValue: code), operation: "zmq_poll")
        }
        return items.map(\.revents)
    }

    // MARK: CURVE and Z85

    /// `zmq_curve_keypair`: a new key pair as two 40-character Z85 strings.
    static func curveKeyPair() throws(ZMQError) -> (publicKey: String, secretKey: String) {
        var publicKey = [CChar](repeating: 0, count: 41)
        var secretKey = [CChar](repeating: 0, count: 41)
        if zmq_curve_keypair(&publicKey, &secretKey) != 0 { throw lastError("zmq_curve_keypair") }
        return (string(publicKey), string(secretKey))
    }

    /// `zmq_curve_public`: the Z85 public key of a Z85 secret key.
    static func curvePublic(secretKey: String) throws(ZMQError) -> String {
        var publicKey = [CChar](repeating: 0, count: 41)
        if zmq_curve_public(&publicKey, secretKey) != 0 { throw lastError("zmq_curve_public") }
        return string(publicKey)
    }

    /// `zmq_z85_encode`: `bytes.count` must be a multiple of 4.
    static func z85Encode(_ bytes: [UInt8]) throws(ZMQError) -> String {
        var text = [CChar](repeating: 0, count: bytes.count / 4 * 5 + 1)
        let result = bytes.withUnsafeBufferPointer { zmq_z85_encode(&text, $0.baseAddress, $0.count) }
        guard result != nil else { throw lastError("zmq_z85_encode") }
        return string(text)
    }

    /// `zmq_z85_decode`: nil when `text` is not valid Z85 (length a multiple of 5, Z85 alphabet).
    static func z85Decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard !utf8.contains(0) else { return nil }
        var bytes = [UInt8](repeating: 0, count: utf8.count / 5 * 4)
        let result = bytes.withUnsafeMutableBufferPointer { zmq_z85_decode($0.baseAddress, text) }
        return result == nil ? nil : bytes
    }

    private static func string(_ chars: [CChar]) -> String {
        let bytes = chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

// MARK: Threads (pthread), for the ZAP handler's own thread

/// A thread running a closure (`pthread_create`), joined with `join()` (`pthread_join`).
final class NativeThread: @unchecked Sendable {
    private var thread: pthread_t?

    /// Starts `body` on a new thread.
    init(_ body: @escaping @Sendable () -> Void) throws(ZMQError) {
        final class Box: @unchecked Sendable {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        #if canImport(Darwin)
        var handle: pthread_t?
        #else
        var handle = pthread_t()
        #endif
        let status = pthread_create(&handle, nil, { argument in
            #if canImport(Darwin)
            let box = Unmanaged<Box>.fromOpaque(argument).takeRetainedValue()
            #else
            let box = Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue()
            #endif
            box.body()
            return nil
        }, box)
        guard status == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            throw ZMQError(code: ZMQError.Code(rawValue: status), operation: "pthread_create")
        }
        thread = handle
    }

    /// Waits for the thread to finish (`pthread_join`). Call once.
    func join() {
        guard let thread else { return }
        self.thread = nil
        pthread_join(thread, nil)
    }
}

/// A mutex over `pthread_mutex_t`.
final class NativeMutex: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// `pthread_mutex_lock` / `pthread_mutex_unlock` around `body`.
    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
