import Foundation
import RegistryCore
import StateStore
import StateSync
import Wire

/// The query logic, without sockets: a `QueryRequest` and a snapshot of the store in, a
/// `QueryResponse` out. Every failure is an `Error` reply naming the problem (the field and the
/// limit), never a thrown error or a crash. Authentication, scopes and rate limits are the server's
/// business (`QueryServer`); this type only reads.
///
/// Reads name a round (`ReadOptions.round`, default the latest committed): values of earlier retained
/// rounds come from the tree (`Snapshot.get(key, version:)`), with a Merkle proof against that round's
/// root when `prove` is set. An absent object is NOT_FOUND without `prove`; with `prove` it is a
/// success reply without the object, whose proof proves the absence. A round above the latest is
/// NOT_FOUND, a round below the retention window ROUND_PRUNED, each naming the round. Lists,
/// statistics and the schedule read the latest committed round.
public struct QueryService: Sendable {
    /// Page sizes and input limits.
    public struct Limits: Sendable, Equatable {
        /// Default and largest page of `list_models` / `list_proposals` (0 means the default).
        public var listDefault = 20
        public var listMax = 100
        /// Default and largest page of `get_roots` and `get_schedule`.
        public var rootsDefault = 100
        public var rootsMax = 1000
        /// The longest list cursor accepted, in bytes.
        public var cursorMaxBytes = 256
        /// The most proposals one `list_proposals` with a status filter examines (the reply's cursor
        /// continues from where it stopped).
        public var proposalScanBudget = 1000

        public init() {}
    }

    /// The protocol versions this service answers.
    public static var supportedVersions: [UInt32] { WireProtocol.supportedVersions }

    public let limits: Limits
    /// The snapshot catalog `list_snapshots` and `get_snapshot_chunk` serve (ADR 0022); nil offers none.
    public let snapshots: SnapshotCatalog?

    public init(limits: Limits = Limits(), snapshots: SnapshotCatalog? = nil) {
        self.limits = limits
        self.snapshots = snapshots
    }

    /// Answers `request` from a fresh snapshot of `store` (one LMDB read transaction, ended before
    /// returning).
    public func respond(to request: AiRegistry_V1_QueryRequest, store: StateStore) -> AiRegistry_V1_QueryResponse {
        let reader: SnapshotStateReader
        do { reader = try SnapshotStateReader(store: store) } catch {
            return .failure(WireError(.internal, "state store: \(error.description)"), requestID: request.requestID)
        }
        defer { reader.close() }
        return respond(to: request, reader: reader, store: store)
    }

    /// Answers `request` from the snapshot `reader` holds. With `store`, a request for the round whose
    /// write is still in flight (write-behind, ADR 0027: the host already has its root) waits for that
    /// write and is answered from it, instead of "not committed yet".
    public func respond(
        to request: AiRegistry_V1_QueryRequest, reader: SnapshotStateReader, store: StateStore? = nil
    ) -> AiRegistry_V1_QueryResponse {
        do throws(WireError) {
            var response = AiRegistry_V1_QueryResponse()
            response.protocolVersion = WireProtocol.version
            response.requestID = request.requestID
            response.response = try serve(request, reader: reader, store: store)
            return response
        } catch {
            return .failure(error, requestID: request.requestID)
        }
    }

    /// The reply body of a request, or the error to reply with.
    func serve(
        _ request: AiRegistry_V1_QueryRequest, reader: SnapshotStateReader, store: StateStore? = nil
    ) throws(WireError) -> AiRegistry_V1_QueryResponse.OneOf_Response {
        guard Self.supportedVersions.contains(request.protocolVersion) else {
            throw WireError(
                .unsupportedVersion,
                "protocol_version \(request.protocolVersion) is not supported (supported: "
                    + Self.supportedVersions.map(String.init).joined(separator: ", ") + ")",
                field: "protocol_version")
        }
        guard let body = request.request else {
            throw .malformed("the request sets none of its kinds (get_model, list_models, …)", field: "request")
        }
        let context = QueryContext(reader: reader, store: store)
        switch body {
        case .getModel(let r): return .getModel(try getModel(r, context))
        case .getProposal(let r): return .getProposal(try getProposal(r, context))
        case .getAccount(let r): return .getAccount(try getAccount(r, context))
        case .getParameters(let r): return .getParameters(try getParameters(r, context))
        case .getVote(let r): return .getVote(try getVote(r, context))
        case .getKey(let r): return .getKey(try getKey(r, context))
        case .listModels(let r): return .listModels(try listModels(r, context))
        case .listProposals(let r): return .listProposals(try listProposals(r, context))
        case .getRoots(let r): return .getRoots(try getRoots(r, context))
        case .getSchedule(let r): return .getSchedule(try getSchedule(r, context))
        case .getRoundResult(let r): return .getRoundResult(try getRoundResult(r, context))
        case .getStatistics: return .getStatistics(try getStatistics(context))
        case .getFeeStatistics(let r): return .getFeeStatistics(try getFeeStatistics(r, context))
        case .listSnapshots: return .listSnapshots(try listSnapshots())
        case .getSnapshotChunk(let r): return .getSnapshotChunk(try snapshotChunk(r))
        }
    }

    /// A page size: 0 is `defaultValue`, otherwise 1…`maximum`, else INVALID_ARGUMENT naming `field`.
    func pageSize(_ requested: UInt32, defaultValue: Int, maximum: Int, field: String) throws(WireError) -> Int {
        if requested == 0 { return defaultValue }
        guard requested <= maximum else {
            throw .invalid(field, "must be between 1 and \(maximum), or 0 for the default \(defaultValue) (got \(requested))")
        }
        return Int(requested)
    }
}
