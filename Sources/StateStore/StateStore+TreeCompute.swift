import LMDB
import Sodium
import StateTree

extension StateStore {
    /// Computes the tree's batch for `version` from the latest committed version, reading the committed
    /// tree through read transactions of this store. Nothing is written.
    ///
    /// The caller guarantees that no commit of this store runs meanwhile (it holds the write
    /// transaction, or it is the only committer and nothing is in flight), so every read transaction
    /// begun here sees the same committed version.
    func computeTreeBatch(version: UInt64, writes: [Write]) throws(StateStoreError) -> (root: Digest256, batch: TreeUpdateBatch) {
        let transaction: ReadTransaction
        do { transaction = try environment.beginRead() } catch {
            throw .storage(operation: "commit", database: nil, version: version, key: nil, error: error)
        }
        return try Self.computeTree(transaction, tables: tables, tree: commitTree, version: version, writes: writes).get()
    }

    /// Called once the batch of `batch.version` is committed, so that state kept between commits for
    /// the tree computation follows the committed tree.
    func treeBatchCommitted(_ batch: TreeUpdateBatch) {}
}
