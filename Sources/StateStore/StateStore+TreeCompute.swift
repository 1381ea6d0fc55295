import LMDB
import Sodium
import StateTree

extension StateStore {
    /// Computes the tree for `version` from the latest committed version, reading the committed tree
    /// through read transactions of this store (several threads for a large batch, and the node cache:
    /// ADR 0028). Nothing is written; the computation's cacheable nodes are staged for
    /// `treeBatchCommitted`. The batch is not sorted yet (ADR 0030): the writer takes
    /// `computation.batch`.
    ///
    /// The caller guarantees that no commit of this store runs meanwhile (it holds the write
    /// transaction, or it is the only committer and nothing is in flight), so every read transaction
    /// begun here sees the same committed version.
    func computeTreeBatch(version: UInt64, writes: [Write]) throws(StateStoreError) -> TreeComputation {
        let transaction: ReadTransaction
        do { transaction = try environment.beginRead() } catch {
            throw .storage(operation: "commit", database: nil, version: version, key: nil, error: error)
        }
        let computation = try computeTree(transaction, version: version, writes: writes)
        nodeCache.stage(computation)
        return computation
    }

    /// Called once the batch of `batch.version` is committed, so that state kept between commits for
    /// the tree computation follows the committed tree: the node cache takes the nodes staged for this
    /// batch and drops those it made stale.
    func treeBatchCommitted(_ batch: TreeUpdateBatch) {
        nodeCache.committed(batch)
    }
}
