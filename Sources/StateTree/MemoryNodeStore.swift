/// An in-memory `NodeStore` for tests and tools: commits `TreeUpdateBatch`es and applies
/// `PruneBatch`es with the same checks a persistent store makes.
///
/// Lookups use dictionaries; everything that is listed (versions, stale entries, node keys) comes from
/// sorted arrays, never from dictionary order (D2).
public struct MemoryNodeStore: NodeStore, Sendable {
    private var nodes: [NodeKey: [UInt8]] = [:]
    private var roots: [UInt64: [UInt8]] = [:]
    /// Versions with a root record, ascending.
    private var rootVersions: [UInt64] = []
    /// Encoded stale index entries, ascending by bytes.
    private var stale: [[UInt8]] = []

    public init() {}

    // MARK: NodeStore

    public func node(_ key: NodeKey) throws(NodeStoreError) -> [UInt8]? { nodes[key] }

    public func rootRecord(version: UInt64) throws(NodeStoreError) -> [UInt8]? { roots[version] }

    public func latestVersion() throws(NodeStoreError) -> UInt64? { rootVersions.last }

    public func versions(from start: UInt64, limit: Int) throws(NodeStoreError) -> [UInt64] {
        var lo = 0, hi = rootVersions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if rootVersions[mid] < start { lo = mid + 1 } else { hi = mid }
        }
        return Array(rootVersions[lo...].prefix(max(limit, 0)))
    }

    public func staleEntries(staleSinceAtMost version: UInt64, limit: Int) throws(NodeStoreError) -> [[UInt8]] {
        guard version < UInt64.max else { return Array(stale.prefix(max(limit, 0))) }
        let bound = RootRecord.key(version: version + 1)
        return Array(stale.prefix { bytesLess($0, bound) }.prefix(max(limit, 0)))
    }

    // MARK: Writing

    /// Commits a version: its nodes, stale entries and root record. Refuses a version not above the
    /// latest, and a node key that already exists (nodes are append-only).
    public mutating func commit(_ batch: TreeUpdateBatch) throws(NodeStoreError) {
        if let latest = rootVersions.last, batch.version <= latest {
            throw NodeStoreError(operation: "commit", message: "version \(batch.version) not above latest \(latest)")
        }
        for write in batch.nodes where nodes[write.key] != nil {
            throw NodeStoreError(operation: "commit", message: "\(write.key) already exists")
        }
        for write in batch.nodes { nodes[write.key] = Array(write.encoded) }
        for entry in batch.staleEntries { insertStale(entry.encoded) }
        roots[batch.version] = batch.root.encoded
        rootVersions.append(batch.version)
    }

    /// Deletes what a prune batch names (missing items are ignored: pruning is idempotent).
    public mutating func apply(_ prune: PruneBatch) throws(NodeStoreError) {
        for key in prune.nodeKeys { nodes[key] = nil }
        // Sets are used for membership only; nothing is listed from them (D2).
        let doomed = Set(prune.staleEntries.map(\.encoded))
        stale.removeAll { doomed.contains($0) }
        let doomedVersions = Set(prune.rootVersions)
        for version in prune.rootVersions { roots[version] = nil }
        rootVersions.removeAll { doomedVersions.contains($0) }
    }

    // MARK: Inspection and fault injection (tests)

    /// The number of stored nodes.
    public var nodeCount: Int { nodes.count }

    /// All stored node keys, ascending.
    public var nodeKeys: [NodeKey] { nodes.keys.sorted() }

    /// All encoded stale index entries, ascending.
    public var staleIndex: [[UInt8]] { stale }

    /// The versions with a root record, ascending.
    public var retainedVersions: [UInt64] { rootVersions }

    /// Replaces (or with nil, removes) the bytes of a node: for corruption tests.
    public mutating func replaceNode(_ key: NodeKey, with bytes: [UInt8]?) { nodes[key] = bytes }

    /// Replaces the bytes of a root record: for corruption tests.
    public mutating func replaceRootRecord(version: UInt64, with bytes: [UInt8]) { roots[version] = bytes }

    /// Inserts raw bytes into the stale index: for corruption tests.
    public mutating func insertRawStaleEntry(_ bytes: [UInt8]) { insertStale(bytes) }

    private mutating func insertStale(_ bytes: [UInt8]) {
        if stale.last.map({ bytesLess($0, bytes) }) ?? true {
            stale.append(bytes)
            return
        }
        var index = stale.count
        while index > 0 && bytesLess(bytes, stale[index - 1]) { index -= 1 }
        stale.insert(bytes, at: index)
    }
}
