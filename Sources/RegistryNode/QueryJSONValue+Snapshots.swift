import Foundation
import Sodium
import Wire

/// JSON renderings of the state-sync replies (`list_snapshots`, `get_snapshot_chunk`). The manifest
/// is shown as its text (it is JSON already, Docs/spec/snapshot.md); a chunk as its size and hash,
/// never its bytes.
extension QueryJSONValue {
    static func listSnapshots(_ response: AiRegistry_V1_ListSnapshotsResponse) -> QueryJSONValue {
        .object([("snapshots", .array(response.snapshots.map(snapshotInfo)))])
    }

    static func snapshotInfo(_ info: AiRegistry_V1_SnapshotInfo) -> QueryJSONValue {
        .object([
            ("round", .unsigned(info.round)), ("root", hex(info.root)), ("chain_id", .string(info.chainID)),
            ("format", .unsigned(UInt64(info.format))), ("chunk_count", .unsigned(UInt64(info.chunkCount))),
            ("entry_count", .unsigned(info.entryCount)), ("total_bytes", .unsigned(info.totalBytes)),
            ("manifest_id", hex(info.manifestID)), ("manifest_bytes", .unsigned(UInt64(info.manifest.count))),
        ])
    }

    static func snapshotChunk(_ response: AiRegistry_V1_GetSnapshotChunkResponse) -> QueryJSONValue {
        .object([
            ("round", .unsigned(response.round)), ("index", .unsigned(UInt64(response.index))),
            ("chunk_bytes", .unsigned(UInt64(response.chunk.count))), ("hash", hex(response.hash)),
        ])
    }
}
