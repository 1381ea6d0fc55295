import Logging
import Metrics
import RegistryCore
import Sodium
import StateStore
import SwiftProtobuf
import Wire

/// The consensus state machine: the single owner of the store's write side. It answers Info,
/// InitChain, CheckTx, ApplyRound and PreviewRound (Docs/spec/protocol.md) strictly in the order it is
/// called, and returns each reply with the actions its owner performs (publish, audit).
///
/// Rules (DESIGN.md D8, D9): InitChain only on an empty store, committing the genesis state at
/// `genesis_round`; ApplyRound(R) needs R = last + 1 (ROUND_GAP otherwise), except that a committed
/// round re-delivered with the same input returns its stored result (`replayed`), and with other
/// input is refused (ROUND_CONFLICT). A round's writes, its record and the new version commit in one
/// LMDB transaction: before the reply (`Options.writeBehind` false, ADR 0008), or, write-behind (ADR
/// 0027), on the store's writer thread after it, every later request first waiting for it (`settle`). An infrastructure failure (LMDB, corrupt state) during a round halts consensus:
/// the reply is INTERNAL and every later round is refused until the process restarts; Info still answers.
///
/// Not thread-safe: one thread owns it (the consensus endpoint's); `status` is readable from any thread.
public final class ConsensusService: @unchecked Sendable {
    // @unchecked Sendable: handed once to the endpoint thread, which is then its only user.

    /// Tunables of the consensus side.
    public struct Options: Sendable, Equatable {
        /// Keep the versions of the last `retentionRounds` rounds (roots, proofs, round records);
        /// 0 keeps everything.
        public var retentionRounds: UInt64
        /// The most entries one prune step deletes after a round (bounded work per round, D7).
        public var pruneBatchEntries: Int
        /// Verify signatures on several cores when a round has at least this many transactions.
        public var parallelPrepareThreshold: Int
        /// Commit rounds write-behind (ADR 0027: the reply goes out once the root is computed; the LMDB
        /// write follows on the store's writer thread) instead of synchronously (ADR 0008).
        public var writeBehind: Bool
        /// With `writeBehind`, rounds with fewer state writes than this commit synchronously (before the
        /// reply). Default 0: every round writes behind, so no round's `fdatasync` is on the host's
        /// round trip (ADR 0027, amended in session 4); a higher value keeps small rounds synchronous.
        public var writeBehindMinimumWrites: Int

        public init(retentionRounds: UInt64 = 100_000, pruneBatchEntries: Int = 20_000, parallelPrepareThreshold: Int = 16,
                    writeBehind: Bool = false, writeBehindMinimumWrites: Int = 0) {
            self.retentionRounds = retentionRounds
            self.pruneBatchEntries = pruneBatchEntries
            self.parallelPrepareThreshold = parallelPrepareThreshold
            self.writeBehind = writeBehind
            self.writeBehindMinimumWrites = writeBehindMinimumWrites
        }
    }

    /// Metadata keys the service keeps in the store (beside the state, outside the tree).
    public enum MetadataKey {
        /// The chain id given to InitChain (UTF-8).
        public static let chainID: [UInt8] = Array("registry.chain_id".utf8)
        /// The genesis round (u64 big-endian).
        public static let genesisRound: [UInt8] = Array("registry.genesis_round".utf8)
    }

    let store: StateStore
    let options: Options
    let logger: Logger
    /// Progress, readable from other threads.
    public let status: ConsensusStatus

    var chainID: String?
    var genesisRound: UInt64?
    var lastRound: UInt64?
    var lastRoot: Digest256?
    var executor: RoundExecutor?
    var haltReason: String?
    /// The round whose write-behind write may still be in flight (answered, maybe not yet durable),
    /// and the last durable round and root before it (what Info reports if that write fails).
    var roundInFlight: (round: UInt64, durableRound: UInt64?, durableRoot: Digest256?)?
    var roundsSinceSizeUpdate = 0
    /// The retention policy: one bounded prune step after a round while older versions remain (ADR 0023).
    lazy var retention = RetentionPruner(window: options.retentionRounds, batchEntries: options.pruneBatchEntries)

    /// Opens the consensus side over `store`, reading the last committed round and the chain id.
    public init(store: StateStore, options: Options = Options(), logger: Logger, status: ConsensusStatus = ConsensusStatus()) throws(StateStoreError) {
        self.store = store
        self.options = options
        self.logger = logger
        self.status = status
        let snapshot = try store.snapshot()
        lastRound = snapshot.version
        if let version = snapshot.version { lastRoot = try snapshot.rootHash(version: version) }
        if let bytes = try snapshot.metadata(MetadataKey.chainID) {
            chainID = String(decoding: bytes, as: UTF8.self)
        }
        if let bytes = try snapshot.metadata(MetadataKey.genesisRound), bytes.count == 8 {
            genesisRound = bytes.reduce(0) { $0 << 8 | UInt64($1) }
        }
        snapshot.close()
        if let chainID { executor = RoundExecutor(chainID: chainID) }
        publishStatus(committed: false)
    }

    /// Whether InitChain has committed (a chain id and a version are in the store).
    public var isInitialized: Bool { chainID != nil && lastRound != nil }

    /// Whether an infrastructure failure stopped consensus.
    public var isHalted: Bool { haltReason != nil }

    /// Decodes and answers one request frame (the payload of a ROUTER message). Undecodable frames,
    /// unknown versions and empty requests get typed errors (and an audit action).
    public func handle(frame: [UInt8]) -> ConsensusReply {
        let request: AiRegistry_V1_ConsensusRequest
        do {
            request = try AiRegistry_V1_ConsensusRequest(serializedBytes: frame)
        } catch {
            return refuse(WireError.malformed("the frame is not a ConsensusRequest: \(error)"), requestID: 0, audit: .malformedRequest)
        }
        return handle(request)
    }

    /// Answers one decoded request.
    public func handle(_ request: AiRegistry_V1_ConsensusRequest) -> ConsensusReply {
        let id = request.requestID
        guard WireProtocol.supportedVersions.contains(request.protocolVersion) else {
            return refuse(WireError(.unsupportedVersion,
                                    "protocol_version \(request.protocolVersion) is not supported (supported: \(WireProtocol.supportedVersions.map(String.init).joined(separator: ", ")))",
                                    field: "protocol_version"),
                          requestID: id, audit: .unsupportedVersion)
        }
        if Self.hasUnknownFields(request) {
            return refuse(WireError(.wrongEndpoint, "the request has fields ConsensusRequest v1 does not define (a query request sent to the consensus endpoint?)",
                                    field: "request"),
                          requestID: id, audit: .wrongEndpoint)
        }
        // The write-behind barrier (ADR 0027): every request sees everything answered before it.
        let settled = settle()
        var reply = dispatch(request, requestID: id)
        reply.actions.insert(contentsOf: settled, at: 0)
        return reply
    }

    /// Answers a request that passed the version and schema checks.
    private func dispatch(_ request: AiRegistry_V1_ConsensusRequest, requestID id: UInt64) -> ConsensusReply {
        switch request.request {
        case .info?:
            return ConsensusReply(response: response(id, .info(info())))
        case .initChain(let body)?:
            return initChain(body, requestID: id)
        case .checkTx(let body)?:
            return checkTx(body, requestID: id)
        case .applyRound(let body)?:
            return applyRound(body, requestID: id)
        case .previewRound(let body)?:
            return previewRound(body, requestID: id)
        case nil:
            return refuse(WireError.malformed("no request set (expected info, init_chain, check_tx, apply_round or preview_round)", field: "request"),
                          requestID: id, audit: .malformedRequest)
        }
    }

    // MARK: Helpers

    /// Whether the request or its body carries fields the v1 schema does not define. The query schema
    /// shares field numbers with this one, so a query request decodes here with unknown fields.
    static func hasUnknownFields(_ request: AiRegistry_V1_ConsensusRequest) -> Bool {
        if !request.unknownFields.data.isEmpty { return true }
        switch request.request {
        case .info(let body)?: return !body.unknownFields.data.isEmpty
        case .initChain(let body)?: return !body.unknownFields.data.isEmpty
        case .checkTx(let body)?: return !body.unknownFields.data.isEmpty
        case .applyRound(let body)?: return !body.unknownFields.data.isEmpty
        case .previewRound(let body)?: return !body.unknownFields.data.isEmpty
        case nil: return false
        }
    }

    func response(_ requestID: UInt64, _ body: AiRegistry_V1_ConsensusResponse.OneOf_Response) -> AiRegistry_V1_ConsensusResponse {
        var response = AiRegistry_V1_ConsensusResponse()
        response.protocolVersion = WireProtocol.version
        response.requestID = requestID
        response.response = body
        return response
    }

    /// An error reply with an audit action of `kind` (none for nil) and a rejection metric.
    func refuse(_ error: WireError, requestID: UInt64, audit kind: AuditKind?) -> ConsensusReply {
        Counter(label: MetricsNames.requestsRejected, dimensions: [("reason", error.codeName)]).increment()
        var actions: [ConsensusAction] = []
        if let kind { actions.append(.audit(kind, detail: error.description)) }
        return ConsensusReply(response: .failure(error, requestID: requestID), actions: actions)
    }

    /// Stops consensus after an infrastructure failure (D5: halt rather than diverge).
    func halt(_ operation: String, _ reason: String, requestID: UInt64) -> ConsensusReply {
        let text = "\(operation): \(reason)"
        haltReason = text
        logger.critical("consensus halted: infrastructure failure", metadata: ["operation": "\(operation)", "error": "\(reason)"])
        status.update { $0.haltReason = text }
        return refuse(WireError(.internal, "consensus halted: \(text); restart the plugin after fixing the cause"),
                      requestID: requestID, audit: .internalError)
    }

    /// INTERNAL for a halted node.
    func haltedReply(requestID: UInt64) -> ConsensusReply? {
        guard let haltReason else { return nil }
        return refuse(WireError(.internal, "consensus halted: \(haltReason); restart the plugin after fixing the cause"),
                      requestID: requestID, audit: .roundRefused)
    }

    func publishStatus(committed: Bool) {
        let snapshot = (chainID, lastRound, lastRoot)
        status.update { status in
            status.initialized = snapshot.0 != nil && snapshot.1 != nil
            status.chainID = snapshot.0 ?? ""
            status.lastRound = snapshot.1
            status.lastRoot = snapshot.2?.bytes ?? []
            if committed {
                status.lastCommitMonotonicNanos = ConsensusStatus.monotonicNanoseconds()
                status.roundsApplied += 1
            }
        }
        if let round = snapshot.1 { Gauge(label: MetricsNames.lastRound).record(Int64(clamping: round)) }
    }
}
