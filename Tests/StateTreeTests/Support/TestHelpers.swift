import Sodium
import StateTree
import Testing

/// UTF-8 bytes of a string (test keys and values).
func b(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Bytes from hex written in a test; fails the test on a typo.
func hex(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [UInt8] {
    try #require(Hex.decode(text), sourceLocation: sourceLocation)
}

/// Updates sorted by key, as `apply` requires.
func sortedUpdates(_ pairs: [(key: [UInt8], value: [UInt8]?)]) -> [KeyUpdate] {
    pairs.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { KeyUpdate(key: $0.key, value: $0.value) }
}

extension NodeStoreHarness {
    /// Applies `updates` as `version` and commits the batch.
    @discardableResult
    mutating func commit(
        _ tree: StateTree, version: UInt64, _ updates: [KeyUpdate]
    ) throws -> TreeUpdateBatch {
        let (_, batch) = try tree.apply(version: version, updates: updates, in: store)
        try commit(batch)
        return batch
    }

    /// The keys of every node reachable from the root of `version`, ascending.
    func reachableNodes(at version: UInt64) throws -> [NodeKey] {
        let record = try StateTree().rootRecord(at: version, in: store)
        guard let rootKey = record.rootNodeKey else { return [] }
        var out: [NodeKey] = []
        var stack = [rootKey]
        while let key = stack.popLast() {
            out.append(key)
            let bytes = try #require(try store.node(key), "missing \(key)")
            if case .internal(let inner) = try Node(decoding: bytes) {
                for child in inner.children {
                    stack.append(NodeKey(version: child.version, path: key.path.appending(Int(child.nibble))))
                }
            }
        }
        return out.sorted()
    }
}

/// Checks that `stored` holds exactly the `reachable` nodes, naming the difference on failure.
func expectSameNodes(
    stored: [NodeKey], reachable: Set<NodeKey>, _ context: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    let storedSet = Set(stored)
    let leaked = stored.filter { !reachable.contains($0) }
    let missing = reachable.sorted().filter { !storedSet.contains($0) }
    #expect(leaked.isEmpty, "\(context): \(leaked.count) unreachable nodes left, e.g. \(leaked.prefix(3))", sourceLocation: sourceLocation)
    #expect(missing.isEmpty, "\(context): \(missing.count) reachable nodes missing, e.g. \(missing.prefix(3))", sourceLocation: sourceLocation)
}
