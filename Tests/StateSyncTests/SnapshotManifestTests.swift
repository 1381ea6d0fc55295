import Sodium
import StateSync
import Testing

@Suite struct SnapshotManifestTests {
    static func sample() -> SnapshotManifest {
        SnapshotManifest(
            chainID: "ippan-\"test\"\n", round: 42, root: Blake2b.hash256([1, 2, 3]), entryCount: 5,
            chunks: [
                SnapshotChunkInfo(index: 0, hash: Blake2b.hash256([4]), byteCount: 100, entryCount: 3),
                SnapshotChunkInfo(index: 1, hash: Blake2b.hash256([5]), byteCount: 80, entryCount: 2),
            ],
            metadata: [
                SnapshotMetadataEntry(key: Array("registry.chain_id".utf8), value: Array("ippan".utf8)),
                SnapshotMetadataEntry(key: Array("registry.genesis_round".utf8), value: [0, 0, 0, 0, 0, 0, 0, 1]),
            ])
    }

    @Test func encodingRoundTripsAndIsDeterministic() throws {
        let manifest = Self.sample()
        let bytes = manifest.encoded()
        #expect(bytes == Self.sample().encoded())
        #expect(try SnapshotManifest(decoding: bytes) == manifest)
        #expect(manifest.id == Blake2b.hash256(bytes))
        #expect(bytes.last == 0x0A)
    }
}
