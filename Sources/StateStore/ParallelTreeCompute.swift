#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LMDB
import Sodium
import StateTree
import Synchronization

/// Computing a commit's tree on several threads (ADR 0028, ADR 0030): the values' hashes on a helper
/// while this thread hashes the keys and makes the plan, then the root's child subtrees in groups
/// balanced by update count (`ApplyPlan.parts`, up to eight per thread), taken from a queue by
/// whichever thread is free, each thread through its own LMDB read transaction, merged in nibble order
/// into the computation the one-thread computation gives. The read transactions are all begun by the
/// calling thread before any work starts, while no commit can run (the caller holds the write
/// transaction or is the only committer), and each must see the same commit (`mdb_txn_id`): otherwise
/// the work stays on the calling thread.
enum TreeThreads {
    /// The online cores (`sysconf(_SC_NPROCESSORS_ONLN)`), at least 1.
    static func onlineCores() -> Int {
        max(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 1)
    }

    /// The value hashes of a commit's writes, computed on one of `pool`'s helpers while the committing
    /// thread hashes the keys and makes the plan (ADR 0030); `take` waits for them (or computes them
    /// here when no helper has started the job).
    final class ValueHashing: Sendable {
        private let box = Box<[Digest256]>()
        private let batch: TreeWorkerPool.Batch
        private let pool: TreeWorkerPool

        init(_ writes: [KeyUpdate], pool: TreeWorkerPool) {
            self.pool = pool
            let box = self.box
            batch = pool.submit([{ box.value = UpdateHashes.valueHashes(of: writes) }])
        }

        /// The value hashes in input order, once the job is done.
        func take() -> [Digest256]? {
            pool.wait(batch)
            return box.value
        }
    }

    /// A value written by one thread and read by another after `TreeWorkerPool.wait` (which orders the
    /// accesses).
    final class Box<T>: @unchecked Sendable {
        var value: T?
    }

    /// How many parts a commit of `updates` is cut into for `threads` threads: about 250 updates or more
    /// per part, from one per thread up to eight per thread, and at most 16 (one per root nibble). More
    /// parts than threads let a free thread take work from a slow one; fewer, larger parts cost less to
    /// set up and merge.
    static func partCount(threads: Int, updates: Int) -> Int {
        let perThread = min(max(updates / (max(threads, 1) * 250), 1), 8)
        return min(threads * perThread, 16)
    }

    /// The indices of a commit's parts, largest first (by update count; ties in nibble order), handed
    /// out once each to whichever thread asks.
    final class PartQueue: Sendable {
        private let order: [Int]
        private let next = Atomic<Int>(0)

        init(_ parts: [ApplyPart]) {
            order = parts.indices.sorted {
                parts[$0].updateCount != parts[$1].updateCount ? parts[$0].updateCount > parts[$1].updateCount : $0 < $1
            }
        }

        /// The next part to compute, or nil when all are taken.
        func take() -> Int? {
            let position = next.add(1, ordering: .relaxed).oldValue
            return position < order.count ? order[position] : nil
        }
    }
}

extension StateStore {
    /// Computes the tree of `version` for `writes` from the committed version `reader` sees, consulting
    /// the node cache and, for batches of at least `parallelTreeThreshold` updates, on up to
    /// `treeThreads` threads (further read transactions begun here). Nothing is written or staged.
    func computeTree(
        _ reader: consuming ReadTransaction, version: UInt64, writes: [Write]
    ) throws(StateStoreError) -> TreeComputation {
        let snapshot = try Snapshot(transaction: reader, tables: tables)
        let cache = nodeCache.table()
        let depth = nodeCache.depth
        let threads = min(max(configuration.treeThreads, 1), 16)
        let parallel = threads > 1 && writes.count >= max(configuration.parallelTreeThreshold, 2)
        do throws(StateTreeError) {
            var plan: ApplyPlan
            if parallel {
                let values = TreeThreads.ValueHashing(writes, pool: treeWorkers)
                do throws(StateTreeError) {
                    plan = try commitTree.plan(
                        version: version, updates: writes, keyHashes: nil, cache: cache, cacheDepth: depth, in: snapshot)
                } catch {
                    _ = values.take()
                    throw error
                }
                plan.provideValueHashes(values.take() ?? UpdateHashes.valueHashes(of: writes))
            } else {
                plan = try commitTree.plan(version: version, updates: writes, cache: cache, cacheDepth: depth, in: snapshot)
            }
            let parts = parallel ? plan.parts(TreeThreads.partCount(threads: threads, updates: writes.count)) : []
            guard parts.count > 1 else { return try commitTree.compute(plan, in: snapshot) }
            return try computeParts(plan, parts, threads: threads, snapshot: snapshot)
        } catch .versionNotIncreasing(let version, let latest) {
            throw .versionNotIncreasing(version: version, latest: latest)
        } catch {
            throw .tree(operation: "commit", error: error)
        }
    }

    /// Computes `parts` on this thread and the pool's helpers (each helper with its own read
    /// transaction of the same commit as `snapshot`), then merges them in part order. The parts are
    /// taken from a shared queue, largest first, by whichever thread is free (ADR 0030), so a thread
    /// slowed by its share or by the machine hands the rest of the work to the others. The first error
    /// in part order is thrown, as the one-thread computation would meet it first.
    private func computeParts(
        _ plan: ApplyPlan, _ parts: [ApplyPart], threads: Int, snapshot: borrowing Snapshot
    ) throws(StateTreeError) -> TreeComputation {
        let boxes = parts.map { _ in TreeThreads.Box<Result<PartialComputation, StateTreeError>>() }
        let queue = TreeThreads.PartQueue(parts)
        let tree = commitTree, tables = self.tables
        var jobs: [@Sendable () -> Void] = []
        for _ in 0..<min(threads - 1, parts.count - 1) {
            guard let reader = try? environment.beginRead() else { break }
            guard reader.id == snapshot.transactionID else {
                reader.abort()
                break
            }
            let handoff = ReaderHandoff(reader)
            jobs.append {
                guard let transaction = handoff.take(),
                      let view = try? Snapshot(transaction: transaction, tables: tables) else { return }
                while let index = queue.take() {
                    do throws(StateTreeError) { boxes[index].value = .success(try tree.computePart(plan, parts[index], in: view)) } catch {
                        boxes[index].value = .failure(error)
                    }
                }
                view.close()
            }
        }
        let batch = treeWorkers.submit(jobs)
        while let index = queue.take() {
            do { boxes[index].value = .success(try tree.computePart(plan, parts[index], in: snapshot)) } catch {
                boxes[index].value = .failure(error)
            }
        }
        treeWorkers.wait(batch)
        var results: [PartialComputation] = []
        results.reserveCapacity(parts.count)
        for box in boxes {
            guard let result = box.value else {
                throw .store(NodeStoreError(operation: "computePart", message: "a part produced no result"))
            }
            results.append(try result.get())
        }
        return try tree.merge(plan, results, in: snapshot)
    }
}
