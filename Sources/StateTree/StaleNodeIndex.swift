/// One entry of the stale node index: `nodeKey` is no longer part of the tree from version
/// `staleSince` on, so it can be deleted once no version below `staleSince` is retained (rule ST-11).
///
/// Encoded as `staleSince (8 bytes, big-endian) ‖ NodeKey encoding`; the store keeps the encoding as a
/// key (with an empty value) so that one ascending range scan finds everything stale up to a version.
public struct StaleNodeIndex: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The first version whose tree no longer contains the node.
    public let staleSince: UInt64
    /// The node that became stale.
    public let nodeKey: NodeKey

    public init(staleSince: UInt64, nodeKey: NodeKey) {
        self.staleSince = staleSince
        self.nodeKey = nodeKey
    }

    /// The canonical bytes (rule ST-11).
    public var encoded: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(8 + NodeKey.encodedCount(nibbleCount: nodeKey.path.count))
        out.appendBE(staleSince)
        nodeKey.append(to: &out)
        return out
    }

    /// Decodes the canonical bytes, rejecting malformed or trailing bytes.
    public init(decoding bytes: [UInt8]) throws(TreeDecodingError) {
        var reader = ByteReader(bytes, type: "StaleNodeIndex")
        let staleSince = try reader.u64("staleSince")
        let key = try NodeKey(reading: &reader)
        try reader.finish()
        self.init(staleSince: staleSince, nodeKey: key)
    }

    /// Orders by `staleSince`, then node key: the order of the encoded bytes.
    public static func < (a: StaleNodeIndex, b: StaleNodeIndex) -> Bool {
        if a.staleSince != b.staleSince { return a.staleSince < b.staleSince }
        return a.nodeKey < b.nodeKey
    }

    public var description: String { "stale(since \(staleSince), \(nodeKey))" }
}
