import Sodium

/// One slot of a node cache: a node's version, hash and children (no children: the slot is empty).
struct NodeSlot {
    var version: UInt64
    var hash: Digest256
    var children: ChildList
}

/// The slots of a `NodeCacheTable`, one per path of at most `depth` nibbles, allocated in chunks of 64
/// on first store (ADR 0031). Mutated only through a uniquely referenced table (copy-on-write), so
/// every reader of a table sees its slots unchanged.
final class NodeSlots: @unchecked Sendable {
    static let chunkShift = 6
    static let chunkSize = 1 << chunkShift

    /// The number of slots: one per path of at most `depth` nibbles.
    let slotCount: Int
    /// The chunk table: `chunkCount` pointers, nil for a chunk not allocated yet.
    let chunks: UnsafeMutablePointer<UnsafeMutablePointer<NodeSlot>?>
    let chunkCount: Int
    /// The number of occupied slots.
    private(set) var count = 0
    private var allocatedChunks = 0

    /// Slots for every path of at most `depth` nibbles (none for a negative depth).
    convenience init(depth: Int) {
        let slotCount = depth < 0 ? 0 : NodeCacheLookup.levelStart(depth + 1)
        self.init(slotCount: slotCount, chunkCount: max((slotCount + NodeSlots.chunkSize - 1) >> NodeSlots.chunkShift, 1))
    }

    private init(slotCount: Int, chunkCount: Int) {
        self.slotCount = slotCount
        self.chunkCount = chunkCount
        chunks = .allocate(capacity: chunkCount)
        chunks.initialize(repeating: nil, count: chunkCount)
    }

    deinit {
        for index in 0..<chunkCount { chunks[index]?.deallocate() }
        chunks.deallocate()
    }

    /// The memory held: the allocated chunks and the chunk table.
    var allocatedBytes: Int {
        allocatedChunks * NodeSlots.chunkSize * MemoryLayout<NodeSlot>.stride
            + chunkCount * MemoryLayout<UnsafeMutablePointer<NodeSlot>?>.stride
    }

    /// A view of these slots that reads them without reference counting; valid while they are alive
    /// and not mutated.
    var view: NodeSlotsView { NodeSlotsView(chunks: UnsafePointer(chunks), slotCount: slotCount) }

    /// Where `slot` is stored in `chunks` (of `slotCount` slots), or nil when its chunk is not allocated.
    @inline(__always)
    static func pointer(
        to slot: Int, in chunks: UnsafePointer<UnsafeMutablePointer<NodeSlot>?>, slotCount: Int
    ) -> UnsafeMutablePointer<NodeSlot>? {
        guard slot >= 0 && slot < slotCount, let chunk = chunks[slot >> chunkShift] else { return nil }
        return chunk + (slot & (chunkSize - 1))
    }

    /// The entry in `slot`, if occupied.
    func entry(at slot: Int) -> (version: UInt64, hash: Digest256, children: ChildList)? {
        guard let entry = NodeSlots.pointer(to: slot, in: chunks, slotCount: slotCount),
              entry.pointee.children.count > 0 else { return nil }
        return (entry.pointee.version, entry.pointee.hash, entry.pointee.children)
    }

    /// Puts a node (with at least one child) in `slot`, replacing what it held.
    func store(_ children: ChildList, version: UInt64, hash: Digest256, at slot: Int) {
        guard slot >= 0 && slot < slotCount, children.count > 0 else { return }
        let entry = chunk(for: slot) + (slot & (NodeSlots.chunkSize - 1))
        if entry.pointee.children.count == 0 { count += 1 }
        entry.pointee = NodeSlot(version: version, hash: hash, children: children)
    }

    /// Empties `slot` when it holds the node of `version`.
    func remove(at slot: Int, version: UInt64) {
        guard let entry = NodeSlots.pointer(to: slot, in: chunks, slotCount: slotCount),
              entry.pointee.children.count > 0, entry.pointee.version == version else { return }
        entry.pointee.children = ChildList()
        count -= 1
    }

    /// A copy holding the same nodes (the allocated chunks copied).
    func copy() -> NodeSlots {
        let copy = NodeSlots(slotCount: slotCount, chunkCount: chunkCount)
        for index in 0..<chunkCount {
            guard let source = chunks[index] else { continue }
            let target = UnsafeMutablePointer<NodeSlot>.allocate(capacity: NodeSlots.chunkSize)
            target.initialize(from: source, count: NodeSlots.chunkSize)
            copy.chunks[index] = target
        }
        copy.count = count
        copy.allocatedChunks = allocatedChunks
        return copy
    }

    /// The chunk holding `slot`, allocated (all slots empty) if it was not.
    private func chunk(for slot: Int) -> UnsafeMutablePointer<NodeSlot> {
        let index = slot >> NodeSlots.chunkShift
        if let chunk = chunks[index] { return chunk }
        let chunk = UnsafeMutablePointer<NodeSlot>.allocate(capacity: NodeSlots.chunkSize)
        chunk.initialize(repeating: NodeSlot(version: 0, hash: .zero, children: ChildList()), count: NodeSlots.chunkSize)
        chunks[index] = chunk
        allocatedChunks += 1
        return chunk
    }
}

/// Read access to a `NodeSlots` through its chunk table, without reference counting: the commit path's
/// lookups (ADR 0031). Valid only while the slots it was made from are alive and not mutated (the
/// `NodeCacheTable` copy it came from is held for as long).
struct NodeSlotsView: @unchecked Sendable {
    let chunks: UnsafePointer<UnsafeMutablePointer<NodeSlot>?>
    let slotCount: Int

    /// The children held in `slot`, in place, when it holds the node of `version` with `hash`.
    @inline(__always)
    func children(at slot: Int, version: UInt64, hash: Digest256) -> UnsafeBufferPointer<InternalNode.Child>? {
        guard let entry = NodeSlots.pointer(to: slot, in: chunks, slotCount: slotCount),
              entry.pointee.version == version, entry.pointee.hash == hash, entry.pointee.children.count > 0 else {
            return nil
        }
        let list = UnsafeRawPointer(entry) + MemoryLayout<NodeSlot>.offset(of: \NodeSlot.children)!
        return ChildList.children(at: list.assumingMemoryBound(to: ChildList.self))
    }
}
