import LMDB
import Sodium
import StateTree

extension Snapshot {
    /// Visits every leaf of the tree of a retained `version` in ascending key-hash order (the tree's
    /// own order; a state-sync export, ADR 0019), until `visit` returns false. Every node read is
    /// decoded strictly and re-hashed against the hash its parent holds (rule ST-15), so the leaves
    /// visited are exactly those under the version's root hash; a damaged node is
    /// `tree(corruptNode(…))` or `tree(missingNode(…))`.
    public func forEachLeaf(version: UInt64, _ visit: (LeafNode) -> Bool) throws(StateStoreError) {
        let root = try rootRecord(at: version)
        guard let rootKey = root.rootNodeKey else { return }
        // Depth-first; children pushed in reverse nibble order so the lowest nibble is visited first.
        var stack: [(key: NodeKey, hash: Digest256, isLeaf: Bool?)] = [(rootKey, root.rootHash, nil)]
        stack.reserveCapacity(64 * 16)
        while let ref = stack.popLast() {
            let bytes: [UInt8]?
            do { bytes = try tables.tree.node(ref.key, in: transaction) } catch {
                throw .tree(operation: "forEachLeaf", error: .store(error))
            }
            guard let bytes else { throw .tree(operation: "forEachLeaf", error: .missingNode(key: ref.key, version: version)) }
            let node: Node
            do { node = try Node(decoding: bytes) } catch {
                throw Self.corrupt(ref.key, version, .undecodable(error))
            }
            let actual = node.hash
            guard actual == ref.hash else { throw Self.corrupt(ref.key, version, .hashMismatch(expected: ref.hash, actual: actual)) }
            switch node {
            case .leaf(let leaf):
                if ref.isLeaf == false { throw Self.corrupt(ref.key, version, .kindMismatch(expectedLeaf: false)) }
                guard ref.key.path.isPrefix(of: leaf.keyHash) else { throw Self.corrupt(ref.key, version, .leafOffPath) }
                if !visit(leaf) { return }
            case .internal(let inner):
                if ref.isLeaf == true || ref.key.path.count >= NibblePath.maxCount {
                    throw Self.corrupt(ref.key, version, .kindMismatch(expectedLeaf: true))
                }
                for child in inner.children.reversed() {
                    guard child.version <= ref.key.version else {
                        throw Self.corrupt(ref.key, version, .childFromLaterVersion(nibble: Int(child.nibble), childVersion: child.version))
                    }
                    stack.append((NodeKey(version: child.version, path: ref.key.path.appending(Int(child.nibble))), child.hash, child.isLeaf))
                }
            }
        }
    }

    /// The shell's metadata (every `meta` entry whose key does not start with `store.`), ascending by
    /// key. Metadata is not versioned: this is the metadata of the snapshot's latest version.
    public func metadataEntries() throws(StateStoreError) -> [StateEntry] {
        var out: [StateEntry] = []
        do {
            try transaction.scan(tables.meta) { key, value in
                let entry = StateEntry(key: [UInt8](key), value: [UInt8](value))
                if !MetaKey.isReserved(entry.key) { out.append(entry) }
                return .continue
            }
        } catch {
            throw .storage(operation: "metadataEntries", database: StoreTables.metaName, version: version, key: nil, error: error)
        }
        return out
    }

    private static func corrupt(_ key: NodeKey, _ version: UInt64, _ reason: NodeCorruption) -> StateStoreError {
        .tree(operation: "forEachLeaf", error: .corruptNode(key: key, version: version, reason: reason))
    }
}
