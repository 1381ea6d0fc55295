import RegistryCore
import StateStore
import StateTree

/// The committed state of a `StateStore` snapshot seen through RegistryCore's `StateReader`: the
/// adapter between the pure core and LMDB. It owns the snapshot (one LMDB read transaction) and
/// releases it when closed or deinitialised. Use it on one thread at a time.
public final class SnapshotStateReader: StateReader {
    private var snapshot: Snapshot?

    /// Opens a snapshot of the latest committed version of `store`.
    public init(store: StateStore) throws(StateStoreError) {
        snapshot = try store.snapshot()
    }

    /// Wraps an existing snapshot.
    public init(_ snapshot: consuming Snapshot) {
        self.snapshot = consume snapshot
    }

    /// The version the snapshot sees (nil for an empty store, or after `close`).
    public var version: UInt64? { snapshot?.version }

    /// Ends the snapshot now (`mdb_txn_abort`).
    public func close() {
        guard let open = snapshot.take() else { return }
        open.close()
    }

    /// Closes the snapshot and opens a new one of `store`'s latest committed version.
    public func reopen(from store: StateStore) throws(StateStoreError) {
        close()
        snapshot = try store.snapshot()
    }

    /// Runs `body` with the underlying snapshot (proofs, roots, round records).
    public func withSnapshot<R>(_ body: (borrowing Snapshot) throws(StateStoreError) -> R) throws(StateStoreError) -> R {
        guard let open = snapshot.take() else {
            throw .corruptStore(operation: "snapshot", reason: "the snapshot was closed")
        }
        let result: Result<R, StateStoreError>
        do { result = .success(try body(open)) } catch { result = .failure(error) }
        snapshot = consume open
        return try result.get()
    }

    public func value(for key: [UInt8]) throws(StateError) -> [UInt8]? {
        do {
            return try withSnapshot { snapshot throws(StateStoreError) in try snapshot.value(key) }
        } catch {
            throw StateError(operation: "value", key: key, reason: error.description)
        }
    }

    public func scan(from lower: [UInt8], to upper: [UInt8], reverse: Bool, limit: Int) throws(StateError) -> [KeyValue] {
        guard limit > 0 else { return [] }
        // Keys longer than LMDB's limit are never stored; an upper bound past them is open.
        let openUpper = upper.count > StateKey.maxKeyLength || upper.allSatisfy { $0 == 0xFF }
        do {
            return try withSnapshot { snapshot throws(StateStoreError) in
                try snapshot.scan(from: lower, to: openUpper ? nil : upper, reverse: reverse, limit: limit)
                    .map { KeyValue(key: $0.key, value: $0.value) }
            }
        } catch {
            throw StateError(operation: "scan", key: lower, reason: error.description)
        }
    }

    deinit { close() }
}
