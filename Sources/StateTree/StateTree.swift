import Sodium

/// A versioned authenticated key-value tree in the Jellyfish Merkle style: 16-ary, keys placed by the
/// nibbles of their BLAKE2b-256 hash, single-leaf subtrees compressed (Docs/spec/state-tree.md).
///
/// Pure: every method reads through a `NodeStore` and returns what to write (`TreeUpdateBatch`,
/// `PruneBatch`); the store commits it. A tree value holds no state and may be shared freely.
public struct StateTree: Sendable {
    /// How much a read checks each node it loads from the store (rule ST-15).
    public enum NodeVerification: Sendable, Equatable {
        /// Decode strictly, check structure, and re-hash every node against the hash its parent
        /// records (and a leaf's key and value against its hashes): corruption anywhere is an error.
        case full
        /// Decode strictly and check structure (kind, path, child versions) but do not re-hash: a
        /// flipped bit inside a hash or a value goes unnoticed. Saves about one BLAKE2b call per node
        /// read (two for leaves).
        case structural
    }

    /// The largest key or value length in bytes (lengths are encoded as u32, rule ST-4).
    public static let maxLength = Int(UInt32.max)

    /// The checks `apply` makes on the nodes it reads. `get` always makes `.full` checks.
    public let applyVerification: NodeVerification

    /// A tree whose `apply` checks nodes as `applyVerification` says (default `.full`).
    public init(applyVerification: NodeVerification = .full) {
        self.applyVerification = applyVerification
    }

    /// The latest committed version, or nil for an empty store.
    public func latestVersion<S: NodeStore & ~Copyable>(in store: borrowing S) throws(StateTreeError) -> UInt64? {
        do { return try store.latestVersion() } catch { throw .store(error) }
    }

    /// The root record of a retained `version`; `versionNotFound` if never committed or pruned.
    public func rootRecord<S: NodeStore & ~Copyable>(
        at version: UInt64, in store: borrowing S
    ) throws(StateTreeError) -> RootRecord {
        let bytes: [UInt8]?
        do { bytes = try store.rootRecord(version: version) } catch { throw .store(error) }
        guard let bytes else { throw .versionNotFound(version) }
        do { return try RootRecord(version: version, decoding: bytes) } catch {
            throw .corruptRootRecord(version: version, reason: error)
        }
    }

    /// The root hash of a retained `version` (rule ST-8 for an empty tree).
    public func rootHash<S: NodeStore & ~Copyable>(
        at version: UInt64, in store: borrowing S
    ) throws(StateTreeError) -> Digest256 {
        try rootRecord(at: version, in: store).rootHash
    }

    /// The first version kept when the `window` most recent versions are retained: every version `v`
    /// with `v > latest − window` (rule ST-14). A window of 0 is treated as 1: the latest version is
    /// never pruned.
    public static func firstRetained(latest: UInt64, window: UInt64) -> UInt64 {
        let keep = max(window, 1)
        return latest >= keep ? latest - keep + 1 : 0
    }
}

/// A node the tree expects to find in the store, with what its parent says about it.
struct NodeRef: Sendable {
    let key: NodeKey
    let hash: Digest256
    /// nil when unknown (the root).
    let isLeaf: Bool?
}

extension StateTree {
    /// Reads, decodes and checks a node against its parent's reference (rule ST-15).
    static func loadNode<S: NodeStore & ~Copyable>(
        _ ref: NodeRef, treeVersion: UInt64, verification: NodeVerification = .full, store: borrowing S
    ) throws(StateTreeError) -> Node {
        let bytes: [UInt8]?
        do { bytes = try store.node(ref.key) } catch { throw .store(error) }
        guard let bytes else { throw .missingNode(key: ref.key, version: treeVersion) }
        let node: Node
        do { node = try Node(decoding: bytes, checkingHashes: verification == .full) } catch {
            throw .corruptNode(key: ref.key, version: treeVersion, reason: .undecodable(error))
        }
        switch node {
        case .leaf(let leaf):
            if ref.isLeaf == false {
                throw .corruptNode(key: ref.key, version: treeVersion, reason: .kindMismatch(expectedLeaf: false))
            }
            guard ref.key.path.isPrefix(of: leaf.keyHash) else {
                throw .corruptNode(key: ref.key, version: treeVersion, reason: .leafOffPath)
            }
        case .internal(let inner):
            if ref.isLeaf == true || ref.key.path.count >= NibblePath.maxCount {
                throw .corruptNode(key: ref.key, version: treeVersion, reason: .kindMismatch(expectedLeaf: true))
            }
            for child in inner.children where child.version > ref.key.version {
                throw .corruptNode(
                    key: ref.key, version: treeVersion,
                    reason: .childFromLaterVersion(nibble: Int(child.nibble), childVersion: child.version))
            }
        }
        guard verification == .full else { return node }
        let actual = node.hash
        guard actual == ref.hash else {
            throw .corruptNode(key: ref.key, version: treeVersion, reason: .hashMismatch(expected: ref.hash, actual: actual))
        }
        return node
    }

    /// Reads a node that must be a leaf.
    static func loadLeaf<S: NodeStore & ~Copyable>(
        _ ref: NodeRef, treeVersion: UInt64, verification: NodeVerification = .full, store: borrowing S
    ) throws(StateTreeError) -> LeafNode {
        let node = try loadNode(
            NodeRef(key: ref.key, hash: ref.hash, isLeaf: true), treeVersion: treeVersion, verification: verification,
            store: store)
        guard case .leaf(let leaf) = node else {
            throw .corruptNode(key: ref.key, version: treeVersion, reason: .kindMismatch(expectedLeaf: true))
        }
        return leaf
    }
}
