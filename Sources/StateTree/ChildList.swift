import Sodium

/// The children of one internal node held inline, in ascending nibble order: at most 16, no heap
/// allocation and no reference counting — how a node cache slot holds a node (ADR 0031). `InternalNode`
/// (an array) stays the public form.
struct ChildList: Sendable {
    /// The number of children held (0 only for an empty list: a node always has at least one).
    private(set) var count: Int = 0
    private var items: InlineArray<16, InternalNode.Child>

    /// An empty list.
    @inline(__always)
    init() {
        items = InlineArray(repeating: InternalNode.Child(nibble: 0, version: 0, hash: .zero, isLeaf: false))
    }

    /// The list of `children` (at most 16, in ascending nibble order: an internal node's children).
    init(_ children: [InternalNode.Child]) {
        self.init()
        for child in children.prefix(16) { append(child) }
    }

    /// Appends `child`, whose nibble is above every child's held (ignored when 16 are held).
    @inline(__always)
    mutating func append(_ child: InternalNode.Child) {
        guard count < 16 else { return }
        items[count] = child
        count += 1
    }

    /// The children of the list stored at `list`, in place (valid while that memory is).
    @inline(__always)
    static func children(at list: UnsafePointer<ChildList>) -> UnsafeBufferPointer<InternalNode.Child> {
        let raw = UnsafeRawPointer(list) + MemoryLayout<ChildList>.offset(of: \ChildList.items)!
        return UnsafeBufferPointer(start: raw.assumingMemoryBound(to: InternalNode.Child.self), count: list.pointee.count)
    }

    /// The node of these children.
    var node: InternalNode {
        var children: [InternalNode.Child] = []
        children.reserveCapacity(count)
        for index in 0..<count { children.append(items[index]) }
        return InternalNode(children: children)
    }
}
