import Foundation
import Testing
import Wire
@testable import RegistryNode

/// The state-sync side of the query endpoint and of the configuration (ADR 0022), in-process; the
/// catalog-backed paths run against real processes in `ProcessTests/StateSyncProcessTests`.
struct SnapshotQueryTests {
    @Test func snapshotRequestsNeedTheSnapshotsScopeOnly() {
        #expect(QueryRequestKind.requiredScopes(.listSnapshots(AiRegistry_V1_ListSnapshotsRequest())) == [.snapshots])
        #expect(QueryRequestKind.requiredScopes(.getSnapshotChunk(AiRegistry_V1_GetSnapshotChunkRequest())) == [.snapshots])
        #expect(QueryRequestKind(.listSnapshots(AiRegistry_V1_ListSnapshotsRequest())).rawValue == "list_snapshots")
        #expect(QueryRequestKind(.getSnapshotChunk(AiRegistry_V1_GetSnapshotChunkRequest())).rawValue == "get_snapshot_chunk")
        // A read/proofs/stats token cannot download state; the new bit is distinct from the others.
        let old = QueryScope.Set([.read, .proofs, .stats])
        #expect(!old.contains(.snapshots))
        #expect(QueryScope.snapshots.bit == 1 << 3)
        #expect(QueryScope.Set.parse("read,snapshots").map(\.scopes) == .success([.read, .snapshots]))
    }

    @Test func withoutACatalogTheListIsEmptyAndChunksAreNotFound() throws {
        let fixture = try QueryFixture.shared()
        guard case .listSnapshots(let list)? = fixture.respond(.listSnapshots(AiRegistry_V1_ListSnapshotsRequest())).response else {
            Issue.record("list_snapshots did not answer a list")
            return
        }
        #expect(list.snapshots.isEmpty)
        var request = AiRegistry_V1_GetSnapshotChunkRequest()
        request.round = 8
        request.index = 2
        let error = try #require(fixture.respond(.getSnapshotChunk(request)).errorReply)
        #expect(error.code == .notFound)
        #expect(error.field == "get_snapshot_chunk.round")
        #expect(error.message.contains("round 8") && error.message.contains("chunk 2"))
    }

    @Test func theSnapshotsSectionIsParsedAndValidated() throws {
        let defaults = NodeConfiguration.defaults
        #expect(defaults.snapshots.intervalRounds == 0 && defaults.snapshots.keep == 2 && defaults.snapshots.directory == nil)
        #expect(defaults.snapshots.chunkBytes == 10 << 20)
        #expect(defaults.snapshotDirectory == "./data/ai-registry/snapshots")

        let parsed = try NodeConfiguration(json: Data(#"""
            {"data_dir": "/srv/a", "snapshots": {"interval_rounds": 1000, "keep": 3, "chunk_bytes": 65536}}
            """#.utf8))
        #expect(parsed.snapshots == SnapshotsConfiguration(intervalRounds: 1000, keep: 3, directory: nil, chunkBytes: 65536))
        #expect(parsed.snapshotDirectory == "/srv/a/snapshots")
        let elsewhere = try NodeConfiguration(json: Data(#"{"snapshots": {"directory": "/backup/snaps"}}"#.utf8))
        #expect(elsewhere.snapshotDirectory == "/backup/snaps")

        for (text, key) in [
            (#"{"snapshots": {"interval_rounds": -1}}"#, "snapshots.interval_rounds"),
            (#"{"snapshots": {"interval_rounds": "10"}}"#, "snapshots.interval_rounds"),
            (#"{"snapshots": {"keep": 0}}"#, "snapshots.keep"),
            (#"{"snapshots": {"keep": 1001}}"#, "snapshots.keep"),
            (#"{"snapshots": {"directory": ""}}"#, "snapshots.directory"),
            (#"{"snapshots": {"chunk_bytes": 10}}"#, "snapshots.chunk_bytes"),
            (#"{"snapshots": {"chunk_bytes": 10485761}}"#, "snapshots.chunk_bytes"),
            (#"{"snapshots": {"interval": 5}}"#, "snapshots.interval"),
            (#"{"snapshots": 5}"#, "snapshots"),
        ] {
            do {
                _ = try NodeConfiguration(json: Data(text.utf8))
                Issue.record("\(text) was accepted")
            } catch {
                #expect(error.key == key, "\(text): \(error)")
            }
        }
    }

    @Test func theDueRoundIsTheNewestMultiple() {
        #expect(SnapshotScheduler.dueRound(last: 0, interval: 8) == 0)
        #expect(SnapshotScheduler.dueRound(last: 7, interval: 8) == 0)
        #expect(SnapshotScheduler.dueRound(last: 8, interval: 8) == 8)
        #expect(SnapshotScheduler.dueRound(last: 23, interval: 8) == 16)
        #expect(SnapshotScheduler.dueRound(last: UInt64.max, interval: 1) == UInt64.max)
    }

    @Test func snapshotRepliesRenderAsJSONWithoutTheChunkBytes() {
        var chunk = AiRegistry_V1_GetSnapshotChunkResponse()
        chunk.round = 16
        chunk.index = 1
        chunk.chunk = Data(repeating: 0xAB, count: 1000)
        chunk.hash = Data(repeating: 0x01, count: 32)
        var response = AiRegistry_V1_QueryResponse()
        response.requestID = 3
        response.response = .getSnapshotChunk(chunk)
        let text = QueryJSONValue.response(response).rendered(pretty: false)
        #expect(text.contains(#""chunk_bytes":1000"#))
        #expect(text.contains(#""hash":""# + String(repeating: "01", count: 32)))
        #expect(!text.contains("abab"))
    }
}
