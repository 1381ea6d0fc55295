import Sodium

/// One update with its key hash computed, ordered by key hash (its value hash is in
/// `ApplyPlan.valueHashes`, at the same position).
struct PreparedUpdate: Sendable {
    let keyHash: Digest256
    let key: [UInt8]
    let value: [UInt8]?
    /// The update's position in the caller's batch.
    let input: Int
}

/// The outcome of updating one subtree, before it is given a position. A plain value (no references):
/// leaf contents live in the updater's tables and are referenced by index.
///
/// Leaves are placed lazily: a subtree that ends with a single leaf hands it to its parent, which
/// either keeps it under a nibble or hands it further up (rule ST-3).
enum Subtree: Sendable {
    case empty
    /// A leaf already in the store under `key`, unchanged (it may be placed at another path);
    /// `loaded` indexes `TreeUpdater.loadedLeaves`, or is -1 when not read yet.
    case storedLeaf(key: NodeKey, hash: Digest256, loaded: Int)
    /// The leaf of `updates[update]`, not yet stored.
    case newLeaf(update: Int, hash: Digest256)
    /// An internal node stored at the subtree's own path with this version.
    case internalNode(version: UInt64, hash: Digest256)

    var isLeaf: Bool {
        switch self {
        case .storedLeaf, .newLeaf: return true
        case .empty, .internalNode: return false
        }
    }
}

/// A leaf waiting for a position during the construction of a fresh subtree.
struct PendingLeaf {
    let keyHash: Digest256
    let subtree: Subtree
}

/// One recursive pass over the key-hash-sorted updates that computes the new nodes of a version
/// (rules ST-12, ST-16, ST-17). Each touched internal node is read once and hashed once.
struct TreeUpdater {
    let version: UInt64
    /// The version whose tree is being updated (for error messages).
    let baseVersion: UInt64
    let updates: [PreparedUpdate]
    /// `updates[i].keyHash`, kept apart so the nibble scans touch only 32-byte values.
    let keyHashes: [Digest256]
    /// The value hash of `updates[i]` (zero for a delete).
    let valueHashes: [Digest256]
    let verification: StateTree.NodeVerification
    /// Decoded internal nodes of the base tree to consult before the store (nil: none).
    let cache: NodeCacheTable?
    /// `cache`'s lookups without reference counting (valid while `cache` is held: ADR 0031).
    private let cacheLookup: NodeCacheLookup?
    /// Internal nodes at paths of at most this many nibbles are collected into `cacheFill` (-1: none).
    let cacheDepth: Int
    /// Stored leaves read during the pass (referenced by `Subtree.storedLeaf.loaded`).
    var loadedLeaves: [LeafNode] = []
    /// The encodings of the nodes written so far, back to back: one buffer per pass, so a commit
    /// allocates (and the writer thread later frees) a few buffers instead of one array per node.
    private var nodeBytes: [UInt8] = []
    /// The key of each node written so far and where its encoding ends in `nodeBytes` (it starts where
    /// the previous one ends).
    private var nodeEnds: [(key: NodeKey, end: Int)] = []
    var stale: [StaleNodeIndex] = []
    /// Internal nodes read from the store (not the cache) or created, at paths of at most `cacheDepth`.
    var cacheFill: [CachedNode] = []
    /// Internal nodes created at paths of at most `cacheDepth` (decoded from the batch once committed).
    var createdFill: [CreatedFill] = []
    /// Emptied `results` arrays (capacity 16) reused by the nodes visited during the pass, so a visited
    /// internal node allocates none (one per recursion level at most).
    private var resultsPool: [[(nibble: Int, subtree: Subtree)]] = []
    /// The children of the node `finish` or `patch` is building (neither is re-entrant: `place` only
    /// writes leaves): 16 slots, owned by `scratchOwner`, written without initialising a list first.
    private let scratch: UnsafeMutablePointer<InternalNode.Child>
    private let scratchOwner: ChildScratch
    /// The children of the internal nodes read from the store on the current path: 16 per depth
    /// (`NibblePath.maxCount + 1` rows), owned by `readRowsOwner`.
    private let readRows: UnsafeMutablePointer<InternalNode.Child>
    private let readRowsOwner: ChildScratch
    /// The leaves `insertIntoEmpty` and `update(leaf:)` hand to `buildFresh` (not re-entrant), reused.
    private var pendingScratch: [PendingLeaf] = []

    init(
        version: UInt64, baseVersion: UInt64, updates: [PreparedUpdate], keyHashes: [Digest256],
        valueHashes: [Digest256], verification: StateTree.NodeVerification, cache: NodeCacheTable?, cacheDepth: Int,
        expectedUpdates: Int
    ) {
        self.version = version
        self.baseVersion = baseVersion
        self.updates = updates
        self.keyHashes = keyHashes
        self.valueHashes = valueHashes
        self.verification = verification
        self.cache = cache
        cacheLookup = cache.flatMap { $0.depth >= 0 ? $0.lookup : nil }
        scratchOwner = ChildScratch(capacity: 16)
        scratch = scratchOwner.base
        readRowsOwner = ChildScratch(capacity: 16 * (NibblePath.maxCount + 1))
        readRows = readRowsOwner.base
        self.cacheDepth = cacheDepth
        nodeEnds.reserveCapacity(expectedUpdates * 3 + 8)
        nodeBytes.reserveCapacity(expectedUpdates * 600 + 1_024)
        stale.reserveCapacity(expectedUpdates * 3 + 8)
    }

    /// Reads the node `ref` at `path`: from the cache when it holds the node with the hash the parent
    /// records, else from the store with the configured checks (collecting an internal node for the
    /// cache when the path is shallow enough).
    mutating func load<S: NodeStore & ~Copyable>(
        _ ref: NodeRef, path: NibblePath, store: borrowing S
    ) throws(StateTreeError) -> Node {
        if ref.isLeaf != true, let hit = cacheLookup?.children(ref.key, hash: ref.hash) {
            return .internal(InternalNode(children: Array(hit)))
        }
        return try loadFromStore(ref, path: path, store: store)
    }

    /// Reads the node `ref` in place from the store (ADR 0032), with `updates[lo]` as the probe of a leaf
    /// when it is the only update below and a put.
    private func readInPlace<S: NodeStore & ~Copyable>(
        _ ref: NodeRef, lo: Int, hi: Int, into children: UnsafeMutablePointer<InternalNode.Child>, store: borrowing S
    ) throws(StateTreeError) -> StoredNodeRead {
        var probe: LeafProbe? = nil
        if hi - lo == 1, ref.isLeaf != false, let value = updates[lo].value {
            probe = LeafProbe(keyHash: keyHashes[lo], key: updates[lo].key, valueHash: valueHashes[lo], value: value)
        }
        let verification = self.verification
        var read = StoredNodeRead.unreadable
        do {
            try store.withNode(ref.key) {
                read = StoredNodeReader.read($0, ref: ref, verification: verification, probe: probe, children: children)
            }
        } catch {
            throw .store(error)
        }
        return read
    }

    /// Reads the node `ref` at `path` from the store with the configured checks (collecting an internal
    /// node for the cache when the path is shallow enough).
    private mutating func loadFromStore<S: NodeStore & ~Copyable>(
        _ ref: NodeRef, path: NibblePath, store: borrowing S
    ) throws(StateTreeError) -> Node {
        let node = try StateTree.loadNode(ref, treeVersion: baseVersion, verification: verification, store: store)
        if case .internal(let inner) = node { collect(ref, path: path, inner) }
        return node
    }

    /// Collects the internal node `ref`, read from the store, for the cache when `path` is shallow enough.
    private mutating func collect(_ ref: NodeRef, path: NibblePath, _ node: @autoclosure () -> InternalNode) {
        guard path.count <= cacheDepth else { return }
        cacheFill.append(CachedNode(key: ref.key, node: node(), hash: ref.hash))
    }

    /// The subtree of the stored leaf `ref` when the put `updates[index]` holds its key: the leaf
    /// itself for an identical put (rule ST-22), else the put's new leaf, the old one marked stale.
    private mutating func overwrite(_ ref: NodeRef, with index: Int, identical: Bool) -> Subtree {
        if identical { return .storedLeaf(key: ref.key, hash: ref.hash, loaded: -1) }
        markStale(ref.key)
        return newLeaf(index)
    }

    /// The nodes written by the pass, in the order they were written, each a slice of one buffer.
    var nodes: [NodeWrite] {
        let bytes = nodeBytes
        var out: [NodeWrite] = []
        out.reserveCapacity(nodeEnds.count)
        var start = 0
        for (key, end) in nodeEnds {
            out.append(NodeWrite(key: key, encoded: bytes[start..<end]))
            start = end
        }
        return out
    }

    private mutating func markStale(_ key: NodeKey) {
        stale.append(StaleNodeIndex(staleSince: version, nodeKey: key))
    }

    private func newLeaf(_ index: Int) -> Subtree {
        .newLeaf(update: index, hash: TreeHash.leaf(keyHash: keyHashes[index], valueHash: valueHashes[index]))
    }

    /// Applies `updates[lo..<hi]` (all sharing the first `path.count` nibbles) to the subtree at
    /// `path`, whose current node is `existing` (nil for an empty slot).
    mutating func update<S: NodeStore & ~Copyable>(
        existing: NodeRef?, path: NibblePath, lo: Int, hi: Int, store: borrowing S
    ) throws(StateTreeError) -> Subtree {
        guard let existing else { return try insertIntoEmpty(path: path, lo: lo, hi: hi, store: store) }
        if existing.isLeaf != true, let hit = cacheLookup?.children(existing.key, hash: existing.hash) {
            return try update(internal: hit, ref: existing, path: path, lo: lo, hi: hi, store: store)
        }
        // A node read at `path` keeps its children in the read buffer's row for that depth while the
        // pass is below it.
        let row = readRows + 16 * min(path.count, NibblePath.maxCount)
        switch try readInPlace(existing, lo: lo, hi: hi, into: row, store: store) {
        case .internalNode(let count):
            let old = UnsafeBufferPointer(start: row, count: count)
            collect(existing, path: path, InternalNode(children: Array(old)))
            return try update(internal: old, ref: existing, path: path, lo: lo, hi: hi, store: store)
        case .probedKey(let identical):
            // The one update is a put of the leaf's own key (`update(leaf:)`'s first case).
            return overwrite(existing, with: lo, identical: identical)
        case .leaf(let leaf):
            return try update(leaf: leaf, ref: existing, path: path, lo: lo, hi: hi, store: store)
        case .unreadable:
            break
        }
        // Absent or failing a check: `loadNode` reads it again and reports why.
        let node = try loadFromStore(existing, path: path, store: store)
        switch node {
        case .leaf(let leaf):
            return try update(leaf: leaf, ref: existing, path: path, lo: lo, hi: hi, store: store)
        case .internal(let inner):
            return try inner.children.withUnsafeBufferPointer { (old) throws(StateTreeError) -> Subtree in
                try update(internal: old, ref: existing, path: path, lo: lo, hi: hi, store: store)
            }
        }
    }

    private mutating func insertIntoEmpty<S: NodeStore & ~Copyable>(
        path: NibblePath, lo: Int, hi: Int, store: borrowing S
    ) throws(StateTreeError) -> Subtree {
        var puts = 0
        var only = lo
        for index in lo..<hi where updates[index].value != nil {
            puts += 1
            only = index
        }
        if puts == 0 { return .empty }
        if puts == 1 { return newLeaf(only) }
        var pending = pendingScratch
        pendingScratch = []
        pending.removeAll(keepingCapacity: true)
        pending.reserveCapacity(puts)
        for index in lo..<hi where updates[index].value != nil {
            pending.append(PendingLeaf(keyHash: keyHashes[index], subtree: newLeaf(index)))
        }
        let subtree = try buildFresh(path: path, pending, lo: 0, hi: pending.count, store: store)
        pendingScratch = pending
        return subtree
    }

    /// Merges the updates into the subtree made of one stored leaf.
    private mutating func update<S: NodeStore & ~Copyable>(
        leaf: LeafNode, ref: NodeRef, path: NibblePath, lo: Int, hi: Int, store: borrowing S
    ) throws(StateTreeError) -> Subtree {
        // The common case, one put of the leaf's own key with a new value: the general path below
        // would build a one-element `pending` array and return its only entry; skip the allocation.
        if hi - lo == 1, keyHashes[lo] == leaf.keyHash, updates[lo].value != nil {
            guard updates[lo].key == leaf.key else { throw .keyHashCollision(keyHash: leaf.keyHash) }
            return overwrite(ref, with: lo, identical: valueHashes[lo] == leaf.valueHash)
        }
        var pending = pendingScratch
        pendingScratch = []
        pending.removeAll(keepingCapacity: true)
        var changed = false
        var leafKept = true
        for index in lo..<hi {
            let isPut = updates[index].value != nil
            if keyHashes[index] == leaf.keyHash {
                guard updates[index].key == leaf.key else { throw .keyHashCollision(keyHash: leaf.keyHash) }
                if isPut, valueHashes[index] == leaf.valueHash { continue }  // ST-22: identical put
                leafKept = false
                changed = true
                if isPut { pending.append(PendingLeaf(keyHash: keyHashes[index], subtree: newLeaf(index))) }
            } else if isPut {
                changed = true
                pending.append(PendingLeaf(keyHash: keyHashes[index], subtree: newLeaf(index)))
            }  // else: deleting an absent key is a no-op (ST-22)
        }
        guard changed else {
            pendingScratch = pending
            return .storedLeaf(key: ref.key, hash: ref.hash, loaded: -1)
        }
        if leafKept {
            loadedLeaves.append(leaf)
            let stored = Subtree.storedLeaf(key: ref.key, hash: ref.hash, loaded: loadedLeaves.count - 1)
            var position = 0
            while position < pending.count && pending[position].keyHash < leaf.keyHash { position += 1 }
            pending.insert(PendingLeaf(keyHash: leaf.keyHash, subtree: stored), at: position)
        } else {
            markStale(ref.key)
        }
        let subtree = try buildFresh(path: path, pending, lo: 0, hi: pending.count, store: store)
        pendingScratch = pending
        return subtree
    }

    /// Applies the updates to the children of a stored internal node.
    ///
    /// Only the children that have updates are visited. When the node keeps at least two children, it
    /// is rebuilt by patching a copy of its child list (the untouched children are copied as they are,
    /// not turned into subtrees and placed again); otherwise (it empties, or one child is left, which
    /// may be a leaf to lift) the general path of `finish` decides its shape (rule ST-3). Both give the
    /// same nodes.
    private mutating func update<S: NodeStore & ~Copyable>(
        internal old: UnsafeBufferPointer<InternalNode.Child>, ref: NodeRef, path: NibblePath, lo: Int, hi: Int,
        store: borrowing S
    ) throws(StateTreeError) -> Subtree {
        let depth = path.count
        // The subtrees of the children that changed, in nibble order (`.empty`: the child is removed).
        var changes = takeResults()
        var count = old.count
        var position = 0
        var index = lo
        while index < hi {
            let nibble = keyHashes[index].nibble(at: depth)
            var end = index + 1
            while end < hi && keyHashes[end].nibble(at: depth) == nibble { end += 1 }
            while position < old.count && Int(old[position].nibble) < nibble { position += 1 }
            let childPath = path.appending(nibble)
            if position < old.count && Int(old[position].nibble) == nibble {
                let child = old[position]
                let childKey = NodeKey(version: child.version, path: childPath)
                let subtree = try update(
                    existing: NodeRef(key: childKey, hash: child.hash, isLeaf: child.isLeaf), path: childPath,
                    lo: index, hi: end, store: store)
                if !TreeUpdater.isUnchanged(subtree, old: child, key: childKey) {
                    if case .empty = subtree { count -= 1 }
                    changes.append((nibble, subtree))
                }
            } else {
                let subtree = try update(existing: nil, path: childPath, lo: index, hi: end, store: store)
                if case .empty = subtree {} else {
                    count += 1
                    changes.append((nibble, subtree))
                }
            }
            index = end
        }
        guard !changes.isEmpty else {
            giveBack(&changes)
            return .internalNode(version: ref.key.version, hash: ref.hash)
        }
        markStale(ref.key)
        let subtree: Subtree
        if count >= 2 {
            subtree = try patch(old, with: changes, path: path, store: store)
        } else {
            var results = takeResults()
            var next = 0
            for position in 0..<old.count {
                let child = old[position]
                let nibble = Int(child.nibble)
                while next < changes.count && changes[next].nibble < nibble {
                    results.append(changes[next])
                    next += 1
                }
                if next < changes.count && changes[next].nibble == nibble {
                    if case .empty = changes[next].subtree {} else { results.append(changes[next]) }
                    next += 1
                } else {
                    results.append((nibble, TreeUpdater.untouched(child, key: NodeKey(version: child.version, path: path.appending(nibble)))))
                }
            }
            while next < changes.count {
                results.append(changes[next])
                next += 1
            }
            subtree = try finish(path: path, results, store: store)
            giveBack(&results)
        }
        giveBack(&changes)
        return subtree
    }

    /// Writes the node at `path` made of the children `old` with `changes` (non-empty subtrees replace or
    /// add the child under their nibble, `.empty` removes it), which leave at least two children.
    private mutating func patch<S: NodeStore & ~Copyable>(
        _ old: UnsafeBufferPointer<InternalNode.Child>, with changes: [(nibble: Int, subtree: Subtree)],
        path: NibblePath, store: borrowing S
    ) throws(StateTreeError) -> Subtree {
        var count = 0
        var next = 0
        for position in 0..<old.count {
            let child = old[position]
            let nibble = Int(child.nibble)
            while next < changes.count && changes[next].nibble < nibble {
                try appendPlaced(changes[next], path: path, count: &count, store: store)
                next += 1
            }
            if next < changes.count && changes[next].nibble == nibble {
                try appendPlaced(changes[next], path: path, count: &count, store: store)
                next += 1
            } else if count < 16 {
                (scratch + count).initialize(to: child)
                count += 1
            }
        }
        while next < changes.count {
            try appendPlaced(changes[next], path: path, count: &count, store: store)
            next += 1
        }
        return writeInternal(path: path, UnsafeBufferPointer(start: scratch, count: count))
    }

    /// Places a changed child's subtree under its nibble and appends the reference to `scratch`, which
    /// holds `count` children (nothing when empty).
    @inline(__always)
    private mutating func appendPlaced<S: NodeStore & ~Copyable>(
        _ change: (nibble: Int, subtree: Subtree), path: NibblePath, count: inout Int, store: borrowing S
    ) throws(StateTreeError) {
        guard let placed = try place(change.subtree, at: path.appending(change.nibble), store: store),
              count < 16 else { return }
        (scratch + count).initialize(to: InternalNode.Child(
            nibble: UInt8(change.nibble), version: placed.version, hash: placed.hash, isLeaf: placed.isLeaf))
        count += 1
    }

    /// An empty `results` array with room for 16 entries, from the pool when it has one.
    @inline(__always)
    private mutating func takeResults() -> [(nibble: Int, subtree: Subtree)] {
        if let results = resultsPool.popLast() { return results }
        var results: [(nibble: Int, subtree: Subtree)] = []
        results.reserveCapacity(16)
        return results
    }

    /// Returns a `results` array to the pool (emptied, keeping its storage).
    @inline(__always)
    private mutating func giveBack(_ results: inout [(nibble: Int, subtree: Subtree)]) {
        results.removeAll(keepingCapacity: true)
        resultsPool.append(results)
        results = []
    }

    /// The updated children of the stored internal node `inner` at `path` whose nibbles lie in
    /// `nibbles` (all of `updates[lo..<hi]` sit under those nibbles), in nibble order, and whether any
    /// of them changed. Children outside `nibbles` are left out.
    mutating func childResults<S: NodeStore & ~Copyable>(
        internal inner: InternalNode, path: NibblePath, nibbles: Range<Int>, lo: Int, hi: Int, store: borrowing S
    ) throws(StateTreeError) -> (results: [(nibble: Int, subtree: Subtree)], changed: Bool) {
        var results: [(nibble: Int, subtree: Subtree)] = []
        results.reserveCapacity(16)
        let changed = try childResults(
            into: &results, internal: inner, path: path, nibbles: nibbles, lo: lo, hi: hi, store: store)
        return (results, changed)
    }

    /// `childResults(internal:…)` appending to `results` (empty on entry); returns whether any changed.
    mutating func childResults<S: NodeStore & ~Copyable>(
        into results: inout [(nibble: Int, subtree: Subtree)], internal inner: InternalNode, path: NibblePath,
        nibbles: Range<Int>, lo: Int, hi: Int, store: borrowing S
    ) throws(StateTreeError) -> Bool {
        let depth = path.count
        var changed = false
        var index = lo
        for old in inner.children where nibbles.contains(Int(old.nibble)) {
            let nibble = Int(old.nibble)
            // Updates under nibbles without a child go into empty slots.
            while index < hi && keyHashes[index].nibble(at: depth) < nibble {
                let slot = keyHashes[index].nibble(at: depth)
                var end = index + 1
                while end < hi && keyHashes[end].nibble(at: depth) == slot { end += 1 }
                let subtree = try update(existing: nil, path: path.appending(slot), lo: index, hi: end, store: store)
                if case .empty = subtree {} else {
                    changed = true
                    results.append((slot, subtree))
                }
                index = end
            }
            let childPath = path.appending(nibble)
            let childKey = NodeKey(version: old.version, path: childPath)
            var end = index
            while end < hi && keyHashes[end].nibble(at: depth) == nibble { end += 1 }
            if end > index {
                let childRef = NodeRef(key: childKey, hash: old.hash, isLeaf: old.isLeaf)
                let subtree = try update(existing: childRef, path: childPath, lo: index, hi: end, store: store)
                if !TreeUpdater.isUnchanged(subtree, old: old, key: childKey) { changed = true }
                if case .empty = subtree {} else { results.append((nibble, subtree)) }
                index = end
            } else {
                results.append((nibble, TreeUpdater.untouched(old, key: childKey)))
            }
        }
        while index < hi {
            let slot = keyHashes[index].nibble(at: depth)
            var end = index + 1
            while end < hi && keyHashes[end].nibble(at: depth) == slot { end += 1 }
            let subtree = try update(existing: nil, path: path.appending(slot), lo: index, hi: end, store: store)
            if case .empty = subtree {} else {
                changed = true
                results.append((slot, subtree))
            }
            index = end
        }
        return changed
    }

    /// The subtree of a stored internal node `ref` at `path` whose updated children are `results`:
    /// the node itself when nothing changed, else (marking it stale) what `finish` makes of them.
    mutating func finishInternal<S: NodeStore & ~Copyable>(
        ref: NodeRef, path: NibblePath, results: [(nibble: Int, subtree: Subtree)], changed: Bool, store: borrowing S
    ) throws(StateTreeError) -> Subtree {
        guard changed else { return .internalNode(version: ref.key.version, hash: ref.hash) }
        markStale(ref.key)
        return try finish(path: path, results, store: store)
    }

    /// The subtree of a child no update touches: the stored node `child` records, under its node `key`.
    private static func untouched(_ child: InternalNode.Child, key: NodeKey) -> Subtree {
        child.isLeaf
            ? .storedLeaf(key: key, hash: child.hash, loaded: -1)
            : .internalNode(version: child.version, hash: child.hash)
    }

    /// True when `subtree`, placed at the old child's position `key`, is the same node as the old child.
    private static func isUnchanged(_ subtree: Subtree, old: InternalNode.Child, key: NodeKey) -> Bool {
        switch subtree {
        case .empty, .newLeaf:
            return false
        case .storedLeaf(let storedKey, _, _):
            return old.isLeaf && storedKey == key
        case .internalNode(let version, let hash):
            return !old.isLeaf && version == old.version && hash == old.hash
        }
    }

    /// Builds the canonical subtree of `pending[lo..<hi]` (sorted by key hash, sharing `path`).
    private mutating func buildFresh<S: NodeStore & ~Copyable>(
        path: NibblePath, _ pending: [PendingLeaf], lo: Int, hi: Int, store: borrowing S
    ) throws(StateTreeError) -> Subtree {
        if hi == lo { return .empty }
        if hi - lo == 1 { return pending[lo].subtree }
        let depth = path.count
        guard depth < NibblePath.maxCount else { throw .keyHashCollision(keyHash: pending[lo].keyHash) }
        var results = takeResults()
        var index = lo
        while index < hi {
            let nibble = pending[index].keyHash.nibble(at: depth)
            var end = index + 1
            while end < hi && pending[end].keyHash.nibble(at: depth) == nibble { end += 1 }
            results.append((nibble, try buildFresh(path: path.appending(nibble), pending, lo: index, hi: end, store: store)))
            index = end
        }
        let subtree = try finish(path: path, results, store: store)
        giveBack(&results)
        return subtree
    }

    /// Turns the non-empty children of the node at `path` into a subtree: nothing, a lone leaf handed
    /// up, or a new internal node written at `path` (rule ST-3).
    private mutating func finish<S: NodeStore & ~Copyable>(
        path: NibblePath, _ results: [(nibble: Int, subtree: Subtree)], store: borrowing S
    ) throws(StateTreeError) -> Subtree {
        if results.isEmpty { return .empty }
        if results.count == 1 && results[0].subtree.isLeaf { return results[0].subtree }
        // The children go into `scratch`; the node itself is built only for the cache.
        var count = 0
        for change in results {
            try appendPlaced(change, path: path, count: &count, store: store)
        }
        return writeInternal(path: path, UnsafeBufferPointer(start: scratch, count: count))
    }

    /// Writes the internal node at `path` with `children` (in nibble order) into the batch.
    private mutating func writeInternal(path: NibblePath, _ children: UnsafeBufferPointer<InternalNode.Child>) -> Subtree {
        let hash = InternalNode.hash(of: children)
        let key = NodeKey(version: version, path: path)
        InternalNode.encode(children, appendingTo: &nodeBytes)
        nodeEnds.append((key, nodeBytes.count))
        if path.count <= cacheDepth {
            createdFill.append(CreatedFill(key: key, hash: hash))
        }
        return .internalNode(version: version, hash: hash)
    }

    /// Gives `subtree` its final position `path`, writing a leaf there if it is new or moved.
    mutating func place<S: NodeStore & ~Copyable>(
        _ subtree: Subtree, at path: NibblePath, store: borrowing S
    ) throws(StateTreeError) -> (version: UInt64, hash: Digest256, isLeaf: Bool)? {
        switch subtree {
        case .empty:
            return nil
        case .internalNode(let nodeVersion, let hash):
            return (nodeVersion, hash, false)
        case .newLeaf(let index, let hash):
            LeafNode.encode(
                keyHash: keyHashes[index], valueHash: valueHashes[index], key: updates[index].key,
                value: updates[index].value ?? [], appendingTo: &nodeBytes)
            nodeEnds.append((NodeKey(version: version, path: path), nodeBytes.count))
            return (version, hash, true)
        case .storedLeaf(let key, let hash, let loaded):
            if key.path == path { return (key.version, hash, true) }
            let leaf: LeafNode
            if loaded >= 0 && loaded < loadedLeaves.count {
                leaf = loadedLeaves[loaded]
            } else {
                leaf = try StateTree.loadLeaf(
                    NodeRef(key: key, hash: hash, isLeaf: true), treeVersion: baseVersion, verification: verification,
                    store: store)
            }
            LeafNode.encode(
                keyHash: leaf.keyHash, valueHash: leaf.valueHash, key: leaf.key, value: leaf.value, appendingTo: &nodeBytes)
            nodeEnds.append((NodeKey(version: version, path: path), nodeBytes.count))
            markStale(key)
            return (version, hash, true)
        }
    }
}

/// Room for children that `TreeUpdater.scratch` and `readRows` point to, freed with the updater.
final class ChildScratch {
    let base: UnsafeMutablePointer<InternalNode.Child>

    init(capacity: Int) { base = .allocate(capacity: capacity) }

    deinit { base.deallocate() }
}
