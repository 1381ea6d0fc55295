import StateTree
import Synchronization

/// The commit path's node cache (ADR 0028): decoded internal nodes of the latest committed tree at
/// paths of at most `depth` nibbles, with their hashes, consulted by the tree computation before LMDB.
///
/// Fed only by committed versions: `stage` keeps a computation's nodes aside under its version, and
/// `committed` moves them in once that version's batch is committed (then drops the nodes the batch
/// marks stale), so a failed commit of a version followed by a different commit of the same version
/// never sees the failed computation's nodes. Lock-protected; `table()` hands the computing threads a
/// copy-on-write value to read without locks.
final class NodeCache: Sendable {
    /// A computation waiting for its batch to commit.
    struct Staged {
        let root: RootRecord
        let nodeCount: Int
        let staleCount: Int
        let fill: [CachedNode]
        let created: [CreatedFill]
    }

    struct State: ~Copyable {
        var table: NodeCacheTable
        /// At most a few entries (one per computed, not yet committed version).
        var staged: [(version: UInt64, staged: Staged)] = []
    }

    /// The deepest cached path in nibbles; negative when the cache is off.
    let depth: Int
    private let state: Mutex<State>

    init(depth: Int) {
        self.depth = min(depth, 15)
        state = Mutex(State(table: NodeCacheTable(depth: depth)))
    }

    /// The cache's nodes as a value for one computation, or nil when the cache is off.
    func table() -> NodeCacheTable? {
        guard depth >= 0 else { return nil }
        return state.withLock { $0.table }
    }

    /// Keeps `computation`'s nodes aside until its batch is committed (replacing an earlier
    /// computation of the same version).
    func stage(_ computation: TreeComputation) {
        guard depth >= 0 else { return }
        let staged = Staged(
            root: computation.root, nodeCount: computation.nodeCount, staleCount: computation.staleCount,
            fill: computation.readFill, created: computation.createdFill)
        let version = computation.version
        state.withLock { state in
            state.staged.removeAll { $0.version == version }
            state.staged.append((version, staged))
        }
    }

    /// `batch` is committed: its staged nodes (if they are this batch's) enter the cache, the nodes it
    /// marks stale leave it, and staged computations of this or earlier versions are dropped.
    func committed(_ batch: TreeUpdateBatch) {
        guard depth >= 0 else { return }
        // The staged computations of this and earlier versions leave the staging area here, once; the
        // one of this version is kept only if it is this batch's.
        let staged = state.withLock { state -> Staged? in
            let found = state.staged.first(where: { $0.version == batch.version })?.staged
            state.staged.removeAll { $0.version <= batch.version }
            guard let found, found.root == batch.root, found.nodeCount == batch.nodes.count,
                  found.staleCount == batch.staleEntries.count else { return nil }
            return found
        }
        // The created nodes are decoded here, on the thread that applies the batch, from its encodings:
        // their arrays are allocated (and later freed) by this thread.
        let decoded = staged.map { TreeComputation.decode($0.created, from: batch) } ?? []
        state.withLock { state in
            if let staged {
                state.table.insert(staged.fill)
                state.table.insert(decoded)
            }
            state.table.removeStale(of: batch)
        }
    }

    /// The number of nodes held and an estimate of their memory in bytes.
    var statistics: (nodes: Int, bytes: Int) {
        state.withLock { ($0.table.count, $0.table.estimatedBytes) }
    }
}

