extension StateTree {
    /// What to delete so that only versions `>= firstRetained` remain (rule ST-14).
    ///
    /// Let the cutoff `c` be the first committed version at or above `firstRetained` (versions may have
    /// gaps). The batch deletes every node whose stale index entry has `staleSince <= c`, those
    /// entries, and the root records of the versions below `c`. Every retained version keeps its root
    /// and proofs. `firstRetained` may not exceed the latest version.
    ///
    /// At most `limit` stale entries are taken. When the limit cuts the batch short, the batch prunes
    /// only below the `staleSince` of its last entry (the `firstRetained` of the result; `isComplete`
    /// false): call again for the rest. Each batch leaves a consistent store.
    public func pruneBatch<S: NodeStore & ~Copyable>(
        firstRetained: UInt64, limit: Int = .max, in store: borrowing S
    ) throws(StateTreeError) -> PruneBatch {
        let latest = try latestVersion(in: store)
        guard let latest, firstRetained <= latest else {
            throw .invalidPruneTarget(firstRetained: firstRetained, latest: latest)
        }
        let cutoff: UInt64
        do { cutoff = try store.versions(from: firstRetained, limit: 1).first ?? latest } catch { throw .store(error) }
        let limit = max(limit, 1)
        let raw: [[UInt8]]
        do { raw = try store.staleEntries(staleSinceAtMost: cutoff, limit: limit) } catch { throw .store(error) }
        var entries: [StaleNodeIndex] = []
        entries.reserveCapacity(raw.count)
        for bytes in raw {
            let entry: StaleNodeIndex
            do { entry = try StaleNodeIndex(decoding: bytes) } catch {
                throw .corruptStaleEntry(bytes: bytes, reason: error.description)
            }
            guard entry.staleSince <= cutoff else {
                throw .corruptStaleEntry(bytes: bytes, reason: "staleSince \(entry.staleSince) above \(cutoff)")
            }
            if let last = entries.last, !(last < entry) {
                throw .corruptStaleEntry(bytes: bytes, reason: "entries not strictly ascending")
            }
            entries.append(entry)
        }
        let truncated = raw.count >= limit
        let boundary = truncated ? min(cutoff, entries.last?.staleSince ?? cutoff) : cutoff
        var versions: [UInt64] = []
        var next: UInt64 = 0
        scan: while true {
            let chunk: [UInt64]
            do { chunk = try store.versions(from: next, limit: 256) } catch { throw .store(error) }
            for version in chunk {
                if version >= boundary { break scan }
                versions.append(version)
            }
            guard chunk.count == 256, let last = chunk.last, last < UInt64.max else { break }
            next = last + 1
        }
        return PruneBatch(
            firstRetained: boundary, nodeKeys: entries.map(\.nodeKey), staleEntries: entries,
            rootVersions: versions, isComplete: !truncated)
    }
}
