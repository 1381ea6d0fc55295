/// A failure of the storage back-end under the tree (not of the data it holds).
public struct NodeStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The back-end operation that failed, e.g. `"mdb_get"`.
    public let operation: String
    /// The back-end's error code (0 when it has none).
    public let code: Int32
    /// A human-readable explanation.
    public let message: String

    public init(operation: String, code: Int32 = 0, message: String) {
        self.operation = operation
        self.code = code
        self.message = message
    }

    public var description: String { "\(operation) failed (code \(code)): \(message)" }
}

/// Read access to the committed nodes, root records and stale index of a tree (rule ST-13).
///
/// Byte-oriented: a store keeps opaque bytes under the encodings of `NodeKey`, `RootRecord.key(version:)`
/// and `StaleNodeIndex`; the tree decodes and checks everything it reads. A store commits a
/// `TreeUpdateBatch` and applies a `PruneBatch` by its own means (for LMDB: one write transaction).
/// Conformers may be non-copyable (e.g. a view over a borrowed read transaction).
public protocol NodeStore: ~Copyable {
    /// The encoded node stored under `key`, or nil if there is none.
    func node(_ key: NodeKey) throws(NodeStoreError) -> [UInt8]?

    /// Calls `body` with the encoded node stored under `key` (nil if there is none), in place when the
    /// store can lend its memory (an LMDB map) instead of copying it. The bytes are valid only during
    /// `body` (which keeps what it needs: the method is not generic, so that the commit path, which is
    /// generic over its store, pays no generic dispatch per read). The default copies through `node(_:)`.
    func withNode(_ key: NodeKey, _ body: (UnsafeRawBufferPointer?) -> Void) throws(NodeStoreError)

    /// The encoded root record of `version`, or nil if there is none.
    func rootRecord(version: UInt64) throws(NodeStoreError) -> [UInt8]?

    /// The highest version that has a root record, or nil if the store is empty.
    func latestVersion() throws(NodeStoreError) -> UInt64?

    /// Up to `limit` versions that have a root record and are at or above `start`, ascending
    /// (a range scan of the root records from the key `start`).
    func versions(from start: UInt64, limit: Int) throws(NodeStoreError) -> [UInt64]

    /// Up to `limit` encoded stale index entries whose `staleSince` is at most `version`, in ascending
    /// byte order (a range scan from the first entry up to the prefix `version + 1`).
    func staleEntries(staleSinceAtMost version: UInt64, limit: Int) throws(NodeStoreError) -> [[UInt8]]
}

extension NodeStore where Self: ~Copyable {
    public func withNode(_ key: NodeKey, _ body: (UnsafeRawBufferPointer?) -> Void) throws(NodeStoreError) {
        guard let bytes = try node(key) else { return body(nil) }
        bytes.withUnsafeBytes { body($0) }
    }
}
