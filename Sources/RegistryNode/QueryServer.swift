import Logging
import StateStore
import Synchronization
import Wire
import ZMQ

/// The query endpoint: a ROUTER socket served by `configuration.workers` worker threads.
///
/// A front thread owns the ROUTER and an `inproc://` back ROUTER; each worker owns a DEALER connected
/// to the back socket. Workers announce themselves when idle and the front thread hands each request
/// to an idle worker (least-recently-used load balancing), so a slow query never delays a request
/// another worker could serve. Each request is served in its own LMDB read transaction
/// (`StateStore.snapshot()`, MVCC), so queries never take a lock the consensus thread waits on.
///
/// With `configuration.curve`, the server runs in a ZeroMQ context of its own with its own ZAP
/// handler (only one ZAP handler may exist per context): the endpoint is a CURVE server and only
/// allow-listed client keys complete the handshake (refusals are audited). Otherwise the sockets live
/// in the context passed to `init`.
public final class QueryServer: Sendable {
    public let configuration: QueryServerConfiguration
    /// The per-message logic the workers share.
    public let handler: QueryRequestHandler
    private let context: Context
    private let ownsContext: Bool
    private let logger: Logger
    private let state = Mutex<Lifecycle>(.idle)

    private enum Lifecycle {
        case idle
        case running(Running)
        case stopped
    }

    private final class Running: @unchecked Sendable {
        // @unchecked Sendable: `control` is only used under the server's lock; the threads are joined once.
        let control: Socket
        let front: QueryThread
        let workers: [QueryThread]
        let zap: ZAPHandler?
        let endpoint: String
        init(control: Socket, front: QueryThread, workers: [QueryThread], zap: ZAPHandler?, endpoint: String) {
            self.control = control
            self.front = front
            self.workers = workers
            self.zap = zap
            self.endpoint = endpoint
        }
    }

    /// A server over `store` answering with `service` (which carries the snapshot catalog, if any);
    /// validates `configuration` (the error names the key). Nothing is bound until `start()`.
    public init(
        configuration: QueryServerConfiguration, store: StateStore, context: Context, audit: AuditLog, logger: Logger,
        clock: QueryClock = .system, service: QueryService = QueryService()
    ) throws(QueryServerError) {
        do { try configuration.validate() } catch { throw .configuration(error) }
        self.configuration = configuration
        self.handler = QueryRequestHandler(
            configuration: configuration, store: store, audit: audit, logger: logger, clock: clock, service: service)
        self.logger = logger
        if configuration.curve != nil {
            do { self.context = try Context(ioThreads: 1, threadScheduling: configuration.threadScheduling.ioThreadPolicy) } catch {
                throw .socket(operation: "zmq_ctx_new", endpoint: configuration.endpoint, error: error)
            }
            ownsContext = true
        } else {
            self.context = context
            ownsContext = false
        }
    }

    /// The endpoint the ROUTER is bound to (a `tcp://…:*` port resolved), or the configured one before `start`.
    public var boundEndpoint: String {
        state.withLock { state in
            if case .running(let running) = state { return running.endpoint }
            return configuration.endpoint
        }
    }

    /// Binds the endpoint and starts the front and worker threads.
    public func start() throws(QueryServerError) {
        try state.withLock { (state: inout Lifecycle) throws(QueryServerError) in
            guard case .idle = state else { throw .alreadyStarted }
            state = .running(try launch())
        }
        logger.info(
            "query endpoint listening",
            metadata: ["endpoint": "\(boundEndpoint)", "workers": "\(configuration.workers)",
                       "authentication": "\(configuration.requiresAuthentication ? "required" : "optional")",
                       "curve": "\(configuration.curve != nil)"])
    }

    /// Stops answering, waits for the workers to finish the request in hand, and joins every thread.
    /// Requests still queued get UNAVAILABLE. Later calls do nothing.
    public func stop() {
        let running: Running? = state.withLock { state in
            guard case .running(let running) = state else {
                state = .stopped
                return nil
            }
            state = .stopped
            try? running.control.send([], flags: .dontWait)
            return running
        }
        guard let running else { return }
        running.front.join()
        for worker in running.workers { worker.join() }
        running.control.close()
        running.zap?.stop()
        if ownsContext { context.shutdown() }
        logger.info("query endpoint stopped", metadata: ["endpoint": "\(running.endpoint)"])
    }

    deinit { stop() }

    // MARK: Threads

    private func launch() throws(QueryServerError) -> Running {
        let endpoint = configuration.endpoint
        func fail(_ operation: String, _ error: ZMQError) -> QueryServerError {
            .socket(operation: operation, endpoint: endpoint, error: error)
        }
        let id = UInt64.random(in: 0...UInt64.max)
        let backEndpoint = "inproc://ai-registry-query-workers-\(id)"
        let controlEndpoint = "inproc://ai-registry-query-control-\(id)"

        var zap: ZAPHandler?
        if let curve = configuration.curve {
            let clients = curve.allowedClients
            let handler = self.handler
            do {
                zap = try ZAPHandler(context: context) { request in
                    if let key = request.clientPublicKey, let client = clients.first(where: { $0.publicKey == key }) {
                        return .allow(userID: client.name)
                    }
                    handler.metrics.authFailure()
                    let key = request.clientPublicKey.map { (try? Z85.encode($0)) ?? "?" } ?? "none"
                    handler.auditRecord(
                        .handshakeRefused, client: "addr:" + request.address,
                        detail: "\(request.mechanism.name) client key \(key) is not on the query allow-list")
                    return .deny(reason: "client key not allowed")
                }
            } catch { throw fail("ZAP handler", error) }
        }

        let frontend: Socket, backend: Socket, wake: Socket, control: Socket
        var workerSockets: [Socket] = []
        do {
            frontend = try Socket(context, .router)
            try frontend.set(.maxMessageSize, Int64(configuration.transportFrameLimit))
            if let curve = configuration.curve {
                try frontend.set(.zapDomain, "query")
                try frontend.makeCurveServer(try CurveKeyPair(secretKey: curve.secretKey))
            }
        } catch { zap?.stop(); throw fail("socket", error) }
        do { try frontend.bind(endpoint) } catch { zap?.stop(); throw fail("zmq_bind", error) }
        let bound = (try? frontend.lastEndpoint()) ?? endpoint
        do {
            backend = try Socket(context, .router)
            try backend.bind(backEndpoint)
            wake = try Socket(context, .pair)
            try wake.bind(controlEndpoint)
            control = try Socket(context, .pair)
            try control.connect(controlEndpoint)
            for index in 0..<configuration.workers {
                let socket = try Socket(context, .dealer)
                try socket.set(.routingID, Self.workerID(index))
                // Never block for ever on the front thread (it only goes away at stop or on a fatal error).
                try socket.set(.sendTimeout, 5_000)
                try socket.connect(backEndpoint)
                workerSockets.append(socket)
            }
        } catch { zap?.stop(); throw fail("inproc sockets", error) }

        let handler = self.handler
        let logger = self.logger
        let scheduling = configuration.threadScheduling
        var workers: [QueryThread] = []
        for socket in workerSockets {
            let box = SocketBox(socket)
            do {
                workers.append(try QueryThread(scheduling: scheduling) { QueryServer.runWorker(box.socket, handler: handler, logger: logger) })
            } catch {
                // Already started workers stop when the front socket closes: nothing else refers to them.
                zap?.stop()
                throw error
            }
        }
        let sockets = FrontSockets(frontend: frontend, backend: backend, wake: wake)
        let count = workerSockets.count
        let front: QueryThread
        do {
            front = try QueryThread(scheduling: scheduling) { QueryServer.runFront(sockets, workers: count, logger: logger) }
        } catch { zap?.stop(); throw error }
        return Running(control: control, front: front, workers: workers, zap: zap, endpoint: bound)
    }

    /// Sockets handed to a thread, which owns them from then on.
    private final class SocketBox: @unchecked Sendable {
        let socket: Socket
        init(_ socket: Socket) { self.socket = socket }
    }

    private final class FrontSockets: @unchecked Sendable {
        let frontend: Socket
        let backend: Socket
        let wake: Socket
        init(frontend: Socket, backend: Socket, wake: Socket) {
            self.frontend = frontend
            self.backend = backend
            self.wake = wake
        }
    }

    /// Messages between the front thread and the workers (first frame).
    private enum Tag {
        static let ready: [UInt8] = [0x52]  // "R": worker → front, idle
        static let answer: [UInt8] = [0x41]  // "A": worker → front, [A, client id, reply]; idle again
        static let bye: [UInt8] = [0x42]  // "B": worker → front, exiting
        static let job: [UInt8] = [0x4A]  // "J": front → worker, [J, client id, curve name, address, payload…]
        static let stop: [UInt8] = [0x53]  // "S": front → worker
    }

    /// The routing id of worker `index` on the back socket.
    private static func workerID(_ index: Int) -> [UInt8] { Array("w\(index)".utf8) }

    private static func runWorker(_ socket: Socket, handler: QueryRequestHandler, logger: Logger) {
        defer { socket.close() }
        do { try socket.send(Tag.ready) } catch { return }
        while true {
            let frames: [[UInt8]]
            do {
                guard let received = try socket.receiveMultipart() else { continue }
                frames = received
            } catch {
                if error.code == .interrupted { continue }
                return
            }
            guard let tag = frames.first else { continue }
            if tag == Tag.stop {
                try? socket.send(Tag.bye, flags: .dontWait)
                return
            }
            guard tag == Tag.job, frames.count >= 4 else { continue }
            let peer = QueryRequestHandler.Peer(
                curveClient: frames[2].isEmpty ? nil : String(decoding: frames[2], as: UTF8.self),
                address: frames[3].isEmpty ? nil : String(decoding: frames[3], as: UTF8.self))
            let reply = handler.handle(frames: Array(frames[4...]), peer: peer)
            do { try socket.send(frames: [Tag.answer, frames[1], reply]) } catch {
                logger.error("query worker cannot reach the front thread", metadata: ["error": "\(error)"])
                return
            }
        }
    }

    private static func runFront(_ sockets: FrontSockets, workers: Int, logger: Logger) {
        let frontend = sockets.frontend, backend = sockets.backend, wake = sockets.wake
        defer {
            frontend.close()
            backend.close()
            wake.close()
        }
        var idle: [[UInt8]] = []
        var stopping = false
        var byes = 0
        while byes < workers {
            let items = stopping || idle.isEmpty
                ? [PollItem(wake), PollItem(backend)]
                : [PollItem(wake), PollItem(backend), PollItem(frontend)]
            let ready: [PollEvents]
            do { ready = try Socket.poll(items, timeout: stopping ? .milliseconds(100) : nil) } catch {
                if error.code == .interrupted { continue }
                logger.error("query front thread stops", metadata: ["error": "\(error)"])
                // Release the workers (best effort: with a terminated context they stop by themselves).
                for index in 0..<workers { try? backend.send(frames: [workerID(index), Tag.stop], flags: .dontWait) }
                return
            }
            if ready[0].contains(.readable) {
                _ = try? wake.receiveMultipart(timeout: .zero)
                if !stopping {
                    stopping = true
                    for worker in idle { try? backend.send(frames: [worker, Tag.stop]) }
                    idle.removeAll()
                    refuseQueued(frontend)
                }
            }
            if ready[1].contains(.readable) {
                while let message = try? backend.receiveMultipart(timeout: .zero) {
                    guard message.count >= 2 else { continue }
                    let worker = message[0], tag = message[1]
                    if tag == Tag.answer, message.count == 4 {
                        try? frontend.send(frames: [message[2], message[3]], flags: .dontWait)
                    } else if tag == Tag.bye {
                        byes += 1
                        continue
                    } else if tag != Tag.ready {
                        continue
                    }
                    if stopping {
                        try? backend.send(frames: [worker, Tag.stop])
                    } else {
                        idle.append(worker)
                    }
                }
            }
            if items.count == 3, ready[2].contains(.readable) {
                while !idle.isEmpty, let message = try? frontend.receiveMessage(timeout: .zero) {
                    guard message.frames.count >= 2 else { continue }
                    let worker = idle.removeFirst()
                    let job = [worker, Tag.job, message.frames[0], Array((message.userID ?? "").utf8),
                               Array((message.peerAddress ?? "").utf8)] + message.frames.dropFirst()
                    do { try backend.send(frames: job) } catch {
                        logger.error("query front thread cannot reach a worker", metadata: ["error": "\(error)"])
                        idle.append(worker)
                    }
                }
            }
        }
    }

    /// Answers every request still queued at the front socket with UNAVAILABLE.
    private static func refuseQueued(_ frontend: Socket) {
        let reply = QueryRequestHandler.encode(
            .failure(WireError(.unavailable, "the query endpoint is shutting down"), requestID: 0))
        while let message = try? frontend.receiveMultipart(timeout: .zero), let client = message.first {
            try? frontend.send(frames: [client, reply], flags: .dontWait)
        }
    }
}
