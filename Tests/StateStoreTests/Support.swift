import Sodium
import StateStore
import StateTree
import TestSupport
import Testing

/// UTF-8 bytes of a string (test keys and values).
func b(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Writes sorted by key, as `commit` requires.
func sortedWrites(_ pairs: [(key: [UInt8], value: [UInt8]?)]) -> [StateStore.Write] {
    pairs.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { StateStore.Write(key: $0.key, value: $0.value) }
}

/// Writes from strings (`nil` deletes), sorted.
func writes(_ pairs: [(String, String?)]) -> [StateStore.Write] {
    sortedWrites(pairs.map { (b($0.0), $0.1.map(b)) })
}

/// A store in a fresh temporary directory; the directory goes when the fixture does.
final class StoreFixture {
    let directory = TemporaryDirectory(prefix: "state-store-test")
    /// The store's data directory (created by the store).
    var path: String { directory.path + "/store" }

    func open(_ configuration: StateStore.Configuration = StateStore.Configuration(durability: .noSync)) throws -> StateStore {
        try StateStore(directory: path, configuration: configuration)
    }
}

/// The same rounds applied to `MemoryNodeStore` and a plain map: what the LMDB store must hold.
struct Replay {
    let tree = StateTree()
    var nodes = MemoryNodeStore()
    /// The flat state; compared in sorted order only.
    var flat: [[UInt8]: [UInt8]] = [:]
    var roots: [UInt64: Digest256] = [:]
    var latest: UInt64?

    @discardableResult
    mutating func apply(version: UInt64, _ writes: [StateStore.Write]) throws -> Digest256 {
        let (root, batch) = try tree.apply(version: version, updates: writes, in: nodes)
        try nodes.commit(batch)
        for write in writes { flat[write.key] = write.value }
        roots[version] = root
        latest = version
        return root
    }

    /// The flat state as sorted entries.
    var entries: [StateEntry] {
        flat.map { StateEntry(key: $0.key, value: $0.value) }.sorted { $0.key.lexicographicallyPrecedes($1.key) }
    }
}

/// Every node key reachable from the root of `version`, by walking the tree in `store`.
func reachableNodes<S: NodeStore & ~Copyable>(at version: UInt64, in store: borrowing S) throws -> Set<NodeKey> {
    let record = try StateTree().rootRecord(at: version, in: store)
    guard let rootKey = record.rootNodeKey else { return [] }
    var out: Set<NodeKey> = []
    var stack = [rootKey]
    while let key = stack.popLast() {
        out.insert(key)
        let bytes = try #require(try store.node(key), "missing \(key)")
        if case .internal(let inner) = try Node(decoding: bytes) {
            for child in inner.children {
                stack.append(NodeKey(version: child.version, path: key.path.appending(Int(child.nibble))))
            }
        }
    }
    return out
}
