extension StateTree {
    /// What to delete so that only versions `>= firstRetained` remain (rule ST-14): every node whose
    /// stale index entry has `staleSince <= firstRetained`, those entries, and the root records of the
    /// versions below `firstRetained`. Every retained version keeps its root and proofs.
    ///
    /// At most `limit` stale entries are taken. When the limit cuts the batch short, the batch prunes
    /// only up to the `staleSince` of its last entry (`firstRetained` of the result; `isComplete`
    /// false): call again for the rest. `firstRetained` may not exceed the latest version.
    public func pruneBatch<S: NodeStore & ~Copyable>(
        firstRetained: UInt64, limit: Int = .max, in store: borrowing S
    ) throws(StateTreeError) -> PruneBatch {
        let latest = try latestVersion(in: store)
        guard let latest, firstRetained <= latest else {
            throw .invalidPruneTarget(firstRetained: firstRetained, latest: latest)
        }
        let limit = max(limit, 1)
        let raw: [[UInt8]]
        do { raw = try store.staleEntries(staleSinceAtMost: firstRetained, limit: limit) } catch { throw .store(error) }
        var entries: [StaleNodeIndex] = []
        entries.reserveCapacity(raw.count)
        for bytes in raw {
            let entry: StaleNodeIndex
            do { entry = try StaleNodeIndex(decoding: bytes) } catch {
                throw .corruptStaleEntry(bytes: bytes, reason: error.description)
            }
            guard entry.staleSince <= firstRetained else {
                throw .corruptStaleEntry(bytes: bytes, reason: "staleSince \(entry.staleSince) above \(firstRetained)")
            }
            if let last = entries.last, !(last < entry) {
                throw .corruptStaleEntry(bytes: bytes, reason: "entries not strictly ascending")
            }
            entries.append(entry)
        }
        let truncated = raw.count >= limit
        let effective = truncated ? min(firstRetained, entries.last?.staleSince ?? firstRetained) : firstRetained
        let versions: [UInt64]
        do { versions = try store.versions(below: effective, limit: .max) } catch { throw .store(error) }
        return PruneBatch(
            firstRetained: effective, nodeKeys: entries.map(\.nodeKey), staleEntries: entries,
            rootVersions: versions, isComplete: !truncated)
    }
}
