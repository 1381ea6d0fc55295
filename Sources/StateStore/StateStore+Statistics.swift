import LMDB

extension StateStore {
    /// Sizes of a store, for operators, metrics and the benchmark.
    public struct Statistics: Sendable, Equatable {
        /// LMDB's page size in bytes.
        public var pageSize: Int
        /// Bytes of the map in use: (last used page + 1) × page size (free pages inside included).
        public var usedBytes: Int
        /// The size of `data.mdb` on disk.
        public var fileSize: Int
        /// The configured map size.
        public var mapSize: Int
        /// Entries and pages of each database, by name (`nodes`, `stale`, `roots`, `state`, `rounds`,
        /// `meta`), in that order.
        public var databases: [(name: String, entries: Int, pages: Int)]

        public static func == (a: Statistics, b: Statistics) -> Bool {
            a.pageSize == b.pageSize && a.usedBytes == b.usedBytes && a.fileSize == b.fileSize
                && a.mapSize == b.mapSize
                && a.databases.elementsEqual(b.databases) { $0 == $1 }
        }

        /// The number of entries of the database called `name`, or nil.
        public func entries(of name: String) -> Int? { databases.first { $0.name == name }?.entries }
    }

    /// The current sizes (`mdb_env_info`, `mdb_env_stat`, `mdb_stat`, `fstat`).
    public func statistics() throws(StateStoreError) -> Statistics {
        do {
            let info = try environment.info()
            let pageSize = try environment.stat().pageSize
            let txn = try environment.beginRead()
            let named: [(String, Database)] = [
                (TreeTables.nodesName, tables.tree.nodes), (TreeTables.staleName, tables.tree.stale),
                (TreeTables.rootsName, tables.tree.roots), (StoreTables.stateName, tables.state),
                (StoreTables.roundsName, tables.rounds), (StoreTables.metaName, tables.meta),
            ]
            var databases: [(name: String, entries: Int, pages: Int)] = []
            for (name, db) in named {
                let stat = try txn.stat(db)
                databases.append((name, stat.entries, stat.branchPages + stat.leafPages + stat.overflowPages))
            }
            txn.abort()
            let (used, overflow) = (info.lastPageNumber + 1).multipliedReportingOverflow(by: pageSize)
            return Statistics(
                pageSize: pageSize, usedBytes: overflow ? Int.max : used, fileSize: try environment.sizeOnDisk(),
                mapSize: info.mapSize, databases: databases)
        } catch {
            throw .storage(operation: "statistics", database: nil, version: nil, key: nil, error: error)
        }
    }
}
