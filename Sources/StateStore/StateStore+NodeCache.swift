extension StateStore {
    /// The node cache of the commit path (ADR 0028): the internal nodes it holds and an estimate of
    /// their memory in bytes (0 and 0 when `Configuration.nodeCacheDepth` is negative).
    public var nodeCacheStatistics: (nodes: Int, bytes: Int) { nodeCache.statistics }
}
