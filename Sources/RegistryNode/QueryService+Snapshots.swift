import Foundation
import Wire

/// State sync (ADR 0022): the snapshots of the node's catalog and their chunks.
extension QueryService {
    func listSnapshots() throws(WireError) -> AiRegistry_V1_ListSnapshotsResponse {
        throw WireError(.notFound, "this plugin serves no snapshots")
    }

    func snapshotChunk(_ request: AiRegistry_V1_GetSnapshotChunkRequest) throws(WireError) -> AiRegistry_V1_GetSnapshotChunkResponse {
        throw WireError(.notFound, "this plugin serves no snapshots (round \(request.round), chunk \(request.index))",
                        field: "get_snapshot_chunk.round")
    }
}
