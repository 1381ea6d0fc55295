import Foundation
import Logging
import Metrics
import Synchronization
import Wire
import ZMQ

/// The consensus endpoint: one thread that owns the ROUTER socket the host connects to, the PUB socket
/// of the event stream and the `ConsensusService`, and serves requests strictly in arrival order.
///
/// Framing: the host's DEALER sends exactly one frame, the protobuf `ConsensusRequest`; the ROUTER sees
/// [routing id, payload] and answers [routing id, ConsensusResponse]. A message with more than one
/// payload frame gets MALFORMED_REQUEST, a payload over `maxFrameBytes` gets FRAME_TOO_LARGE (both
/// audited); frames over the transport limit are dropped by ZeroMQ (`ZMQ_MAXMSGSIZE`), which also
/// disconnects the sender. With CURVE or an IP allow-list a ZAP handler (on this endpoint's own
/// context) admits clients at the handshake; refusals are audited as `handshakeRefused`.
///
/// `stop()` lets the request in progress finish (a round commits or not at all), then closes the
/// sockets and joins the thread.
public final class ConsensusEndpoint: Sendable {
    /// The name used in audit records and metrics.
    public static let endpointName = "consensus"

    private let configuration: ConsensusEndpointConfiguration
    private let events: EventsConfiguration
    private let context: Context
    private let audit: AuditLog
    private let logger: Logger
    private let service: ConsensusService
    private let stopping = Atomic<Bool>(false)
    private let state = Mutex(State())

    private struct State: @unchecked Sendable {
        var finished: DispatchSemaphore?
        var zap: ZAPHandler?
        var boundEndpoint: String?
        var boundEventsEndpoint: String?
    }

    /// An endpoint serving `service`. `context` should be this endpoint's own (the ZAP handler binds it).
    public init(configuration: ConsensusEndpointConfiguration, events: EventsConfiguration, service: ConsensusService,
                context: Context, audit: AuditLog, logger: Logger) {
        self.configuration = configuration
        self.events = events
        self.service = service
        self.context = context
        self.audit = audit
        self.logger = logger
    }

    /// The bound consensus endpoint (port resolved), nil before `start`.
    public var boundEndpoint: String? { state.withLock { $0.boundEndpoint } }
    /// The bound event endpoint, nil before `start` or when events are disabled.
    public var boundEventsEndpoint: String? { state.withLock { $0.boundEventsEndpoint } }

    /// Starts the ZAP handler (if needed), binds the sockets and starts the consensus thread.
    public func start() throws(ZMQError) {
        var zap: ZAPHandler?
        if configuration.needsZAP {
            let security = ConsensusSecurity(configuration: configuration)
            let audit = self.audit
            let logger = self.logger
            zap = try ZAPHandler(context: context) { request in
                let decision = security.decide(request)
                if case .deny(let reason) = decision {
                    Counter(label: MetricsNames.authFailures, dimensions: [("endpoint", ConsensusEndpoint.endpointName)]).increment()
                    audit.record(.handshakeRefused, endpoint: ConsensusEndpoint.endpointName,
                                 client: ConsensusSecurity.clientName(key: request.clientPublicKey, address: request.address,
                                                                      ipc: security.isIPC),
                                 detail: reason)
                    logger.warning("consensus handshake refused", metadata: ["address": "\(request.address)", "reason": "\(reason)"])
                }
                return decision
            }
        }
        let router: Socket
        var publisher: EventPublisher?
        do throws(ZMQError) {
            router = try Socket(context, .router)
            try router.set(.linger, 0)
            try router.set(.maxMessageSize, Int64(configuration.transportFrameLimit))
            if configuration.needsZAP { try router.set(.zapDomain, ConsensusSecurity.zapDomain) }
            if let curve = configuration.curve {
                try router.makeCurveServer(try CurveKeyPair(secretKey: curve.secretKey))
            }
            do throws(ZMQError) {
                try router.bind(configuration.endpoint)
            } catch {
                router.close()
                throw error
            }
            if events.enabled {
                do throws(ZMQError) { publisher = try EventPublisher(context: context, configuration: events, logger: logger) } catch {
                    router.close()
                    throw error
                }
            }
        } catch {
            zap?.stop()
            throw error
        }
        let bound = (try? router.lastEndpoint()) ?? configuration.endpoint
        let finished = DispatchSemaphore(value: 0)
        state.withLock { state in
            state.zap = zap
            state.finished = finished
            state.boundEndpoint = bound
            state.boundEventsEndpoint = publisher?.boundEndpoint
        }
        let owned = OwnedSockets(router: router, publisher: publisher)
        let thread = Thread { [self] in
            self.run(owned)
            finished.signal()
        }
        thread.name = "consensus"
        thread.start()
        logger.info("consensus endpoint listening", metadata: ["endpoint": "\(bound)", "events": "\(publisher?.boundEndpoint ?? "disabled")"])
    }

    /// Finishes the request in progress, closes the sockets, stops the ZAP handler and joins the thread.
    public func stop() {
        stopping.store(true, ordering: .releasing)
        let (finished, zap) = state.withLock { state -> (DispatchSemaphore?, ZAPHandler?) in
            defer { state.finished = nil; state.zap = nil }
            return (state.finished, state.zap)
        }
        finished?.wait()
        zap?.stop()
    }

    /// Sockets handed to the consensus thread, which owns them from then on.
    private final class OwnedSockets: @unchecked Sendable {
        let router: Socket
        let publisher: EventPublisher?
        init(router: Socket, publisher: EventPublisher?) {
            self.router = router
            self.publisher = publisher
        }
    }

    private func run(_ sockets: OwnedSockets) {
        let router = sockets.router
        defer {
            router.close()
            sockets.publisher?.close()
        }
        while !stopping.load(ordering: .acquiring) {
            let message: ReceivedMessage?
            do {
                message = try router.receiveMessage(timeout: .milliseconds(100))
            } catch {
                if error.code == .terminated { return }
                if error.code != .interrupted {
                    logger.error("consensus receive failed", metadata: ["error": "\(error)"])
                    Thread.sleep(forTimeInterval: 0.01)
                }
                continue
            }
            guard let message else { continue }
            serve(message, router: router, publisher: sockets.publisher)
        }
    }

    /// Answers one ROUTER message and performs the reply's actions.
    func serve(_ message: ReceivedMessage, router: Socket, publisher: EventPublisher?) {
        guard let routingID = message.frames.first else { return }
        let client = Self.clientName(message, ipc: configuration.endpoint.hasPrefix("ipc://"))
        let payloads = message.frames.count - 1
        let reply: ConsensusReply
        if payloads != 1 {
            reply = service.refuse(WireError.malformed("expected exactly one payload frame (the ConsensusRequest, no empty delimiter), got \(payloads)", field: "frames"),
                                   requestID: 0, audit: .malformedRequest)
        } else if message.frames[1].count > configuration.maxFrameBytes {
            reply = service.refuse(WireError(.frameTooLarge, "the request frame has \(message.frames[1].count) bytes; the maximum is \(configuration.maxFrameBytes)",
                                             field: "frame"),
                                   requestID: 0, audit: .frameTooLarge)
        } else {
            reply = service.handle(frame: message.frames[1])
        }
        let bytes: [UInt8]
        do { bytes = try reply.response.serializedBytes() } catch {
            logger.error("cannot encode a consensus response", metadata: ["error": "\(error)"])
            return
        }
        do { try router.send(frames: [routingID, bytes], flags: .dontWait) } catch {
            logger.warning("consensus reply not delivered", metadata: ["client": "\(client)", "error": "\(error)"])
        }
        for action in reply.actions {
            switch action {
            case .publishRound(let result):
                publisher?.publish(result)
            case .audit(let kind, let detail):
                audit.record(kind, endpoint: Self.endpointName, client: client, detail: detail)
            }
        }
        // Write-behind (ADR 0027): wait for the round's write now, while the host digests the reply.
        for case .audit(let kind, let detail) in service.settle() {
            audit.record(kind, endpoint: Self.endpointName, client: client, detail: detail)
        }
    }

    /// The client as named in audit records: its ZAP user id and its address (`ip=<address>`, or
    /// `ipc=<uid:gid:pid credentials>` on an ipc endpoint).
    static func clientName(_ message: ReceivedMessage, ipc: Bool) -> String {
        var parts: [String] = []
        if let user = message.userID, !user.isEmpty { parts.append("user=" + user) }
        let address = message.peerAddress ?? ""
        parts.append(ipc || address.isEmpty ? "ipc=" + address : "ip=" + address)
        return parts.joined(separator: " ")
    }
}
