import LMDB
import RegistryWorkload
import Sodium
import StateStore
import StateTree
import TestSupport
import Testing

/// `TreeTables` writes exactly the ST-9 / ST-11 / ST-10 keys the tree defines, appended.
@Suite("StateStore · tree tables")
struct TreeTablesTests {
    @Test("nodes and stale entries are stored under NodeKey.encoded / StaleNodeIndex.encoded for every path length")
    func keysMatchTheSpec() throws {
        let directory = TemporaryDirectory(prefix: "tree-tables")
        let environment = try Environment(path: directory.path, mapSize: 64 << 20, maxDatabases: 4, flags: .noSync)
        let tables = try TreeTables(opening: environment)
        var rng = SplitMix64(seed: 0x7AB1E5)
        var nodeKeys: [NodeKey] = []
        for count in 0...64 {
            let digest = try #require(Digest256(bytes: rng.bytes(32)))
            nodeKeys.append(NodeKey(version: 0x0102_0304_0506_0708, path: NibblePath(prefixOf: digest, count: count)))
        }
        nodeKeys.sort()
        let stale = nodeKeys.map { StaleNodeIndex(staleSince: 0x0102_0304_0506_0709, nodeKey: NodeKey(version: 3, path: $0.path)) }.sorted()
        let batch = TreeUpdateBatch(
            version: 0x0102_0304_0506_0708, nodes: nodeKeys.map { NodeWrite(key: $0, encoded: [0xAB]) },
            staleEntries: stale, root: .empty(version: 0x0102_0304_0506_0708))
        var txn = try environment.beginWrite()
        try tables.write(batch, in: &txn)
        try txn.commit()
        try environment.read { txn in
            let storedNodes: [Entry] = try txn.scan(tables.nodes)
            #expect(storedNodes.map(\.key) == nodeKeys.map(\.encoded))
            let storedStale: [Entry] = try txn.scan(tables.stale)
            #expect(storedStale.map(\.key) == stale.map(\.encoded))
            #expect(try txn.get(tables.roots, RootRecord.key(version: batch.version)) == batch.root.encoded)
            for key in nodeKeys { #expect(try tables.node(key, in: txn) == [0xAB]) }
        }
        // A second batch of the same version is not appendable: MDB_KEYEXIST, reported with the key.
        var again = try environment.beginWrite()
        #expect {
            try tables.write(batch, in: &again)
        } throws: { error in
            guard case .storage("commit", "nodes", _, let key, let lmdb) = error as? StateStoreError else { return false }
            return key == nodeKeys[0].encoded && lmdb.code == .keyExist
        }
        again.abort()
    }
}
