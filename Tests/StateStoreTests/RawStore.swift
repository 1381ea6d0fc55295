import LMDB
import StateStore
import StateTree

/// Direct LMDB access to a store's files, for fault injection. The `StateStore` of that directory must
/// be closed in this process (LMDB: one environment per path per process).
enum RawStore {
    static func withWrite(_ path: String, _ body: (inout WriteTransaction, TreeTables, Database) throws -> Void) throws {
        let environment = try Environment(path: path, mapSize: 64 << 20, maxDatabases: 8)
        let tables = try TreeTables(opening: environment, create: false)
        let meta = try environment.openDatabase("meta", create: false)
        try environment.write { txn in try body(&txn, tables, meta) }
    }

    /// Replaces (or with nil, deletes) the stored bytes of a node.
    static func replaceNode(at path: String, _ key: NodeKey, with bytes: [UInt8]?) throws {
        try withWrite(path) { txn, tables, _ in
            if let bytes { try txn.put(tables.nodes, key.encoded, bytes) } else { try txn.delete(tables.nodes, key.encoded) }
        }
    }

    /// The stored bytes of a node.
    static func node(at path: String, _ key: NodeKey) throws -> [UInt8]? {
        let environment = try Environment(path: path, mapSize: 64 << 20, maxDatabases: 8)
        let tables = try TreeTables(opening: environment, create: false)
        return try environment.read { txn in try txn.get(tables.nodes, key.encoded) }
    }

    /// Every node key with `version`, ascending.
    static func nodeKeys(at path: String, version: UInt64) throws -> [NodeKey] {
        let environment = try Environment(path: path, mapSize: 64 << 20, maxDatabases: 8)
        let tables = try TreeTables(opening: environment, create: false)
        let prefix = (0..<8).map { UInt8(truncatingIfNeeded: version >> (56 - 8 * UInt64($0))) }
        let entries: [Entry] = try environment.read { txn in try txn.scan(tables.nodes, prefix: prefix) }
        return try entries.map { try NodeKey(decoding: $0.key) }
    }

    /// Replaces (or deletes) a raw key of `meta`.
    static func replaceMeta(at path: String, _ key: [UInt8], with bytes: [UInt8]?) throws {
        try withWrite(path) { txn, _, meta in
            if let bytes { try txn.put(meta, key, bytes) } else { try txn.delete(meta, key) }
        }
    }
}
