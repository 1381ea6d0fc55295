import Foundation
import Logging
import RegistryCore
import StateStore
import SwiftProtobuf
import Wire

/// Everything the query endpoint does with one received message, without sockets: frame checks,
/// decoding, version, authentication (token or CURVE identity), rate limit, scopes, then the query in
/// its own LMDB read transaction (`QueryService`). Returns the reply frame: every message gets one,
/// whatever its bytes. Rejections are audited (throttled per client and kind) and counted.
/// Thread-safe: the server's workers share one handler.
public final class QueryRequestHandler: Sendable {
    /// The audit log's endpoint name.
    public static let endpoint = "query"

    public let configuration: QueryServerConfiguration
    private let store: StateStore
    private let service: QueryService
    private let verifier: QueryTokenVerifier
    private let limiter: RateLimiter
    private let throttle: QueryAuditThrottle
    private let audit: AuditLog
    let metrics = QueryMetrics()
    private let clock: QueryClock
    private let logger: Logger

    public init(
        configuration: QueryServerConfiguration, store: StateStore, audit: AuditLog, logger: Logger,
        clock: QueryClock = .system, service: QueryService = QueryService()
    ) {
        self.configuration = configuration
        self.store = store
        self.service = service
        self.verifier = QueryTokenVerifier(
            keys: configuration.tokenKeys, clockSkewSeconds: UInt64(max(0, configuration.tokenClockSkewSeconds)))
        self.limiter = RateLimiter(configuration.rateLimit)
        self.throttle = QueryAuditThrottle(
            perMinute: configuration.auditPerClientPerMinute, maxEntries: configuration.rateLimit.maxClients)
        self.audit = audit
        self.clock = clock
        self.logger = logger
    }

    /// Who sent a message, as far as the transport knows.
    public struct Peer: Sendable, Equatable {
        /// The CURVE client's allow-list name (the ZAP user id), when the endpoint uses CURVE.
        public var curveClient: String?
        /// The sender's IP address (TCP), if known.
        public var address: String?

        public init(curveClient: String? = nil, address: String? = nil) {
            self.curveClient = curveClient
            self.address = address
        }

        /// The client label before any token is seen: `curve:<name>`, `addr:<ip>`, or `local` for
        /// `ipc://` / `inproc://` peers (which share one rate-limit bucket).
        public var label: String {
            if let curveClient, !curveClient.isEmpty { return "curve:" + curveClient }
            if let address, !address.isEmpty { return "addr:" + address }
            return "local"
        }
    }

    /// The reply frame to a message whose payload frames (after the routing id) are `frames`.
    public func handle(frames: [[UInt8]], peer: Peer) -> [UInt8] {
        var kind = "unknown"
        var requestID: UInt64 = 0
        let response: AiRegistry_V1_QueryResponse
        switch process(frames: frames, peer: peer, kind: &kind, requestID: &requestID) {
        case .success(let reply):
            response = reply
        case .failure(let error):
            response = .failure(error, requestID: requestID)
        }
        if case .error(let error)? = response.response {
            metrics.query(request: kind, outcome: error.code.name.lowercased())
        } else {
            metrics.query(request: kind, outcome: "ok")
        }
        return Self.encode(response)
    }

    private func process(
        frames: [[UInt8]], peer: Peer, kind: inout String, requestID: inout UInt64
    ) -> Result<AiRegistry_V1_QueryResponse, WireError> {
        var client = peer.label
        // 1. Framing: exactly one payload frame, within the size limit.
        guard frames.count == 1 else {
            return .failure(reject(
                .malformedRequest, client: client,
                WireError(.malformedRequest, "expected exactly one request frame, got \(frames.count)")))
        }
        let payload = frames[0]
        guard payload.count <= configuration.maxFrameBytes else {
            return .failure(reject(
                .frameTooLarge, client: client,
                WireError(
                    .frameTooLarge,
                    "the request frame has \(payload.count) bytes; the maximum is \(configuration.maxFrameBytes)")))
        }
        // 2. Decoding.
        let request: AiRegistry_V1_QueryRequest
        do { request = try AiRegistry_V1_QueryRequest(serializedBytes: payload) } catch {
            if let consensus = try? AiRegistry_V1_ConsensusRequest(serializedBytes: payload), consensus.request != nil {
                requestID = consensus.requestID
                return .failure(reject(
                    .wrongEndpoint, client: client,
                    WireError(.wrongEndpoint, "this is a consensus request; the query endpoint serves QueryRequest only")))
            }
            return .failure(reject(
                .malformedRequest, client: client,
                WireError(.malformedRequest, "the frame is not a QueryRequest: \(error)")))
        }
        requestID = request.requestID
        // A consensus request can decode as a query request whose fields it does not know (the oneof
        // numbers overlap): that is the wrong endpoint, not a query.
        if Self.hasUnknownFields(request), let consensus = try? AiRegistry_V1_ConsensusRequest(serializedBytes: payload),
           consensus.request != nil {
            return .failure(reject(
                .wrongEndpoint, client: client,
                WireError(.wrongEndpoint, "this is a consensus request; the query endpoint serves QueryRequest only")))
        }
        // 3. Version.
        guard request.protocolVersion != 0 else {
            return .failure(reject(
                .malformedRequest, client: client, .malformed("protocol_version is required", field: "protocol_version")))
        }
        guard QueryService.supportedVersions.contains(request.protocolVersion) else {
            return .failure(reject(
                .unsupportedVersion, client: client,
                WireError(
                    .unsupportedVersion,
                    "protocol_version \(request.protocolVersion) is not supported (supported: "
                        + QueryService.supportedVersions.map(String.init).joined(separator: ", ") + ")",
                    field: "protocol_version")))
        }
        guard let body = request.request else {
            return .failure(reject(
                .malformedRequest, client: client,
                .malformed("the request sets none of its kinds (get_model, list_models, …)", field: "request")))
        }
        kind = QueryRequestKind(body).rawValue
        // 4. Authentication: a presented token must verify and then names the client; otherwise the
        //    CURVE identity; otherwise anonymous where allowed.
        let scopes: QueryScope.Set
        if !request.token.isEmpty {
            switch verifier.verify(request.token, now: clock.wallSeconds()) {
            case .success(let token):
                client = "token:" + token.subject
                scopes = token.scopes
            case .failure(let error):
                metrics.authFailure()
                return .failure(reject(
                    .authenticationFailed, client: client, WireError(.unauthorized, error.description, field: "token")))
            }
        } else if let name = peer.curveClient, configuration.curve != nil,
                  let entry = configuration.curve?.allowedClients.first(where: { $0.name == name }) {
            scopes = entry.scopes
        } else if configuration.requiresAuthentication {
            metrics.authFailure()
            return .failure(reject(
                .authenticationFailed, client: client,
                WireError(
                    .unauthorized, "this endpoint requires a token (ai-registry token issue) or an allowed CURVE key",
                    field: "token")))
        } else {
            scopes = configuration.anonymousScopes
        }
        // 5. Rate limit, per client.
        if case .limited(let retryAfter) = limiter.acquire(client: client, now: clock.monotonicNanoseconds()) {
            return .failure(reject(
                .rateLimited, client: client,
                WireError(
                    .rateLimited,
                    "rate limit of \(configuration.rateLimit.requestsPerSecond) requests/s (burst \(configuration.rateLimit.burst)) exceeded; retry after \(retryAfter) ms",
                    retryAfterMillis: retryAfter)))
        }
        // 6. Scopes.
        for scope in QueryRequestKind.requiredScopes(body) where !scopes.contains(scope) {
            return .failure(reject(
                .unauthorized, client: client,
                WireError(
                    .unauthorized, "\(kind) needs scope \"\(scope.rawValue)\"; the client has [\(scopes)]",
                    field: request.token.isEmpty ? "" : "token")))
        }
        // 7. The query, in its own read transaction.
        let response = service.respond(to: request, store: store)
        if case .error(let error)? = response.response, error.code == .internal {
            auditRecord(.internalError, client: client, detail: "\(kind): \(error.message)")
            logger.error("query failed", metadata: ["request": "\(kind)", "error": "\(error.message)"])
        }
        return .success(response)
    }

    /// Audits (throttled) and counts a rejection; returns `error` for the reply.
    private func reject(_ kind: AuditKind, client: String, _ error: WireError) -> WireError {
        metrics.rejected(reason: error.code.name.lowercased())
        auditRecord(kind, client: client, detail: error.description)
        return error
    }

    /// Records an audit entry, throttled per client and kind (ADR 0014).
    func auditRecord(_ kind: AuditKind, client: String, detail: String) {
        ThrottledAuditRecorder(audit: audit, endpoint: Self.endpoint, throttle: throttle)
            .record(kind, client: client, detail: detail, now: clock.monotonicNanoseconds())
    }

    /// Whether the request or its kind's message carries fields this schema does not define.
    static func hasUnknownFields(_ request: AiRegistry_V1_QueryRequest) -> Bool {
        if !request.unknownFields.data.isEmpty { return true }
        switch request.request {
        case nil: return false
        case .getModel(let r): return !r.unknownFields.data.isEmpty
        case .getProposal(let r): return !r.unknownFields.data.isEmpty
        case .getAccount(let r): return !r.unknownFields.data.isEmpty
        case .getParameters(let r): return !r.unknownFields.data.isEmpty
        case .getVote(let r): return !r.unknownFields.data.isEmpty
        case .listModels(let r): return !r.unknownFields.data.isEmpty
        case .listProposals(let r): return !r.unknownFields.data.isEmpty
        case .getRoots(let r): return !r.unknownFields.data.isEmpty
        case .getRoundResult(let r): return !r.unknownFields.data.isEmpty
        case .getStatistics(let r): return !r.unknownFields.data.isEmpty
        case .getSchedule(let r): return !r.unknownFields.data.isEmpty
        case .getKey(let r): return !r.unknownFields.data.isEmpty
        case .getFeeStatistics(let r): return !r.unknownFields.data.isEmpty
        case .listSnapshots(let r): return !r.unknownFields.data.isEmpty
        case .getSnapshotChunk(let r): return !r.unknownFields.data.isEmpty
        }
    }

    /// The bytes of a reply; if encoding fails (it cannot for these messages), an INTERNAL error.
    static func encode(_ response: AiRegistry_V1_QueryResponse) -> [UInt8] {
        if let bytes: [UInt8] = try? response.serializedBytes() { return bytes }
        let fallback = AiRegistry_V1_QueryResponse.failure(
            WireError(.internal, "the reply could not be encoded"), requestID: response.requestID)
        return (try? fallback.serializedBytes()) ?? []
    }
}
