import Foundation
import Sodium
import StateSync
import Wire

/// State sync (ADR 0022): the complete snapshots of the node's catalog and their chunks, read from
/// files (no LMDB transaction). Without a catalog the list is empty and every chunk is NOT_FOUND.
extension QueryService {
    /// Every complete snapshot, ascending by round, with its manifest bytes.
    func listSnapshots() throws(WireError) -> AiRegistry_V1_ListSnapshotsResponse {
        var response = AiRegistry_V1_ListSnapshotsResponse()
        guard let snapshots else { return response }
        let manifests: [SnapshotManifest]
        do { manifests = try snapshots.list() } catch {
            throw WireError(.internal, "snapshot catalog \(snapshots.directory): \(error.description)")
        }
        response.snapshots = manifests.map(Self.snapshotInfo)
        return response
    }

    /// The wire summary of a manifest: its fields, its bytes and their BLAKE2b-256.
    static func snapshotInfo(_ manifest: SnapshotManifest) -> AiRegistry_V1_SnapshotInfo {
        let bytes = manifest.encoded()
        var info = AiRegistry_V1_SnapshotInfo()
        info.round = manifest.round
        info.root = Data(manifest.root.bytes)
        info.format = manifest.format
        info.chunkCount = UInt32(clamping: manifest.chunks.count)
        info.entryCount = manifest.entryCount
        info.totalBytes = UInt64(clamping: manifest.totalChunkBytes)
        info.manifestID = Data(Blake2b.hash256(bytes).bytes)
        info.manifest = Data(bytes)
        info.chainID = manifest.chainID
        return info
    }

    /// Chunk `index` of the snapshot of `round`, checked against its manifest (size and hash) before it
    /// is sent. No such snapshot or chunk: NOT_FOUND naming the round and the index. A chunk file that
    /// fails its check: INTERNAL (audited), never the damaged bytes.
    func snapshotChunk(_ request: AiRegistry_V1_GetSnapshotChunkRequest) throws(WireError) -> AiRegistry_V1_GetSnapshotChunkResponse {
        let round = request.round, index = Int(request.index)
        guard let snapshots else {
            throw WireError(.notFound, "this plugin keeps no snapshots (round \(round), chunk \(index) requested)",
                            field: "get_snapshot_chunk.round")
        }
        let manifest: SnapshotManifest?
        do { manifest = try snapshots.manifest(round: round) } catch {
            throw WireError(.internal, "the manifest of snapshot \(round) is unreadable: \(error.description)")
        }
        guard let manifest else {
            let offered = (try? snapshots.list().map { String($0.round) }) ?? []
            throw WireError(.notFound, "no snapshot of round \(round) (offered: \(offered.isEmpty ? "none" : offered.joined(separator: ", ")))",
                            field: "get_snapshot_chunk.round")
        }
        guard index < manifest.chunks.count else {
            throw WireError(.notFound, "snapshot \(round) has no chunk \(index) (it has \(manifest.chunks.count) chunks)",
                            field: "get_snapshot_chunk.index")
        }
        let bytes: [UInt8]
        do { bytes = try snapshots.chunk(of: manifest, index: index) } catch {
            throw WireError(.internal, "chunk \(index) of snapshot \(round) is damaged on this server: \(error.description)")
        }
        var response = AiRegistry_V1_GetSnapshotChunkResponse()
        response.round = round
        response.index = request.index
        response.chunk = Data(bytes)
        response.hash = Data(manifest.chunks[index].hash.bytes)
        return response
    }
}
