import Sodium

/// One node to write: the encoded node under its key.
public struct NodeWrite: Equatable, Sendable {
    public let key: NodeKey
    /// The canonical node bytes (rules ST-4, ST-5). A computed batch's nodes are slices of one buffer
    /// per computing thread (a commit allocates and frees a few buffers, not one array per node).
    public let encoded: ArraySlice<UInt8>

    public init(key: NodeKey, encoded: [UInt8]) {
        self.key = key
        self.encoded = encoded[...]
    }

    public init(key: NodeKey, encoded: ArraySlice<UInt8>) {
        self.key = key
        self.encoded = encoded
    }
}

/// Everything a store must write, atomically, to commit one version (rule ST-12).
/// The tree writes nothing itself.
public struct TreeUpdateBatch: Equatable, Sendable {
    /// The version this batch commits.
    public let version: UInt64
    /// New nodes, strictly ascending by node key (all carry `version`, so they sort after every
    /// stored node and can be appended).
    public let nodes: [NodeWrite]
    /// Nodes made stale by this version, strictly ascending; every entry has `staleSince == version`.
    public let staleEntries: [StaleNodeIndex]
    /// The root record of `version`.
    public let root: RootRecord

    public init(version: UInt64, nodes: [NodeWrite], staleEntries: [StaleNodeIndex], root: RootRecord) {
        self.version = version
        self.nodes = nodes
        self.staleEntries = staleEntries
        self.root = root
    }

    /// The root hash after this version.
    public var rootHash: Digest256 { root.rootHash }
}
