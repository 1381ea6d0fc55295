/// A failure reported by libzmq (`zmq_errno()` after a failed call), with the C function that failed.
///
/// `ZMQError(code: .hostUnreachable, operation: "zmq_msg_send")` reads as "zmq_msg_send failed
/// with EHOSTUNREACH".
public struct ZMQError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// An errno value as libzmq reports it, with names for the ones this wrapper's users meet
    /// (in the manner of swift-system's `Errno`). Compare with `==` or match in a `switch`.
    public struct Code: RawRepresentable, Equatable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// `EAGAIN`: nothing to receive / cannot send now (non-blocking, or a timeout expired).
        public static let again = Code(rawValue: ZMQC.errnoAgain)
        /// `ETERM`: the context was shut down or terminated.
        public static let terminated = Code(rawValue: ZMQC.errnoTerminated)
        /// `EHOSTUNREACH`: a ROUTER with `routerMandatory` has no peer with that routing id.
        public static let hostUnreachable = Code(rawValue: ZMQC.errnoHostUnreachable)
        /// `EFSM`: the operation is not valid in the socket's state (e.g. REQ sending twice).
        public static let invalidState = Code(rawValue: ZMQC.errnoFSM)
        /// `ENOTSUP`: the socket type does not support the operation.
        public static let notSupported = Code(rawValue: ZMQC.errnoNotSupported)
        /// `EPROTONOSUPPORT`: unknown transport in an endpoint.
        public static let protocolNotSupported = Code(rawValue: ZMQC.errnoProtocolNotSupported)
        /// `ENOCOMPATPROTO`: the transport does not fit the socket type.
        public static let incompatibleProtocol = Code(rawValue: ZMQC.errnoNoCompatibleProtocol)
        /// `EINVAL`: an invalid argument (bad endpoint, option value, key length).
        public static let invalidArgument = Code(rawValue: ZMQC.errnoInvalid)
        /// `EADDRINUSE`: the address is already bound.
        public static let addressInUse = Code(rawValue: ZMQC.errnoAddressInUse)
        /// `EADDRNOTAVAIL`: the address is not local.
        public static let addressNotAvailable = Code(rawValue: ZMQC.errnoAddressNotAvailable)
        /// `ECONNREFUSED`
        public static let connectionRefused = Code(rawValue: ZMQC.errnoConnectionRefused)
        /// `ENOENT`: e.g. unbinding or disconnecting an endpoint that was not bound or connected.
        public static let noEntry = Code(rawValue: ZMQC.errnoNoEntry)
        /// `ENOTSOCK`: the socket was closed.
        public static let notSocket = Code(rawValue: ZMQC.errnoNotSocket)
        /// `EMSGSIZE`
        public static let messageTooLarge = Code(rawValue: ZMQC.errnoMessageTooLarge)
        /// `EMTHREAD`: no I/O thread available.
        public static let noThread = Code(rawValue: ZMQC.errnoNoThread)
        /// `EMFILE`: too many sockets or files open.
        public static let tooManyFiles = Code(rawValue: ZMQC.errnoTooManyFiles)
        /// `EINTR`: interrupted by a signal (the wrapper retries where it can).
        public static let interrupted = Code(rawValue: ZMQC.errnoInterrupted)

        /// The library's message for the code (`zmq_strerror`).
        public var description: String { ZMQC.errorString(rawValue) }
    }

    /// The errno value.
    public let code: Code
    /// The C function that failed, e.g. `zmq_bind`, `zmq_msg_send`, `zmq_setsockopt`.
    public let operation: String

    public init(code: Code, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// The library's message for the code (`zmq_strerror`), e.g. "Host unreachable".
    public var message: String { code.description }

    /// "zmq_msg_send: Host unreachable (113)".
    public var description: String { "\(operation): \(message) (\(code.rawValue))" }
}
