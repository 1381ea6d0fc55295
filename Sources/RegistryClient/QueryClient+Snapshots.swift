import Foundation
import Wire

/// State sync (ADR 0022): the snapshots a plugin offers and their chunks. Both need the `snapshots`
/// scope. A chunk reply is up to 10 MiB plus a few bytes of framing: the client's `maxReplyBytes`
/// (256 MiB by default) must stay above 11 MiB.
extension QueryClient {
    /// The complete snapshots the server offers, ascending by round, each with its manifest bytes.
    public func listSnapshots() throws(RegistryClientError) -> [AiRegistry_V1_SnapshotInfo] {
        guard case .listSnapshots(let r)? = try call(.listSnapshots(AiRegistry_V1_ListSnapshotsRequest()), operation: "list_snapshots").response else {
            throw Self.unexpected("list_snapshots")
        }
        return r.snapshots
    }

    /// Chunk `index` of the snapshot of `round`, as the server read it (the server checks its hash
    /// against the manifest before sending; the caller checks it again against the manifest it trusts).
    /// An answer for another round or index is a malformed reply.
    public func snapshotChunk(round: UInt64, index: Int, timeout: Duration? = nil) throws(RegistryClientError) -> AiRegistry_V1_GetSnapshotChunkResponse {
        guard let wireIndex = UInt32(exactly: index) else {
            throw .invalidRequest(operation: "get_snapshot_chunk", field: "index", reason: "must be 0…\(UInt32.max) (got \(index))")
        }
        var request = AiRegistry_V1_GetSnapshotChunkRequest()
        request.round = round
        request.index = wireIndex
        guard case .getSnapshotChunk(let r)? = try call(.getSnapshotChunk(request), operation: "get_snapshot_chunk", timeout: timeout).response else {
            throw Self.unexpected("get_snapshot_chunk")
        }
        guard r.round == round, r.index == wireIndex else {
            throw .malformedReply(operation: "get_snapshot_chunk",
                                  reason: "asked for round \(round) chunk \(index), got round \(r.round) chunk \(r.index)")
        }
        return r
    }
}
