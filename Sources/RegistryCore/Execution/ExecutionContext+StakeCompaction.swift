/// Bounded compaction of the stake checkpoints (GOV-15, ADR 0026): checkpoints are read only at the
/// snapshot round of a Voting proposal, so those older than the oldest such snapshot are dropped, a few
/// per `setStake`, keeping the newest one at or below it.
extension ExecutionContext {
    /// Most checkpoints deleted per table per `setStake` (D7): each call adds at most one, so the
    /// backlog shrinks while no proposal holds it.
    static let stakeCompactionLimit = 4

    /// The oldest round whose stake must still read as before: the least `submittedAt` of the Voting
    /// proposals (table 0x15, one forward scan), or the current round if none is Voting.
    func oldestNeededSnapshot() throws(ExecutionFailure) -> Round {
        let prefix = [StateKey.Table.votingSnapshot.rawValue]
        guard let row = try scan(from: prefix, to: StateKey.prefixEnd(prefix), limit: 1).first else { return round }
        var reader = CanonicalReader(row.key)
        do {
            _ = try reader.readUInt8("table")
            return Swift.min(try reader.readUInt64("submittedAt"), round)
        } catch {
            throw .infrastructure(StateError(operation: "decode voting snapshot key", key: row.key, reason: error.description))
        }
    }

    /// Deletes up to `stakeCompactionLimit` checkpoints of `account` and of the total stake below
    /// `oldestNeededSnapshot()`, never the newest one at or below it (GOV-15).
    mutating func compactStakeCheckpoints(_ account: AccountID) throws(ExecutionFailure) {
        let needed = try oldestNeededSnapshot()
        let accountPrefix = StateKey.key(.stakeCheckpoint) { $0.write(account.raw) }
        try compact(from: StateKey.stakeCheckpoint(account, 0),
                    to: needed == Round.max ? StateKey.prefixEnd(accountPrefix) : StateKey.stakeCheckpoint(account, needed + 1))
        try compact(from: StateKey.totalStakeCheckpoint(0),
                    to: needed == Round.max ? StateKey.prefixEnd([StateKey.Table.totalStakeCheckpoint.rawValue])
                                            : StateKey.totalStakeCheckpoint(needed + 1))
    }

    /// Deletes the oldest keys in `[lower, upper)`, at most `stakeCompactionLimit`, keeping the last key
    /// of the range (the value in effect at its upper end).
    private mutating func compact(from lower: [UInt8], to upper: [UInt8]) throws(ExecutionFailure) {
        let rows = try scan(from: lower, to: upper, limit: Self.stakeCompactionLimit + 1)
        guard rows.count > 1 else { return }
        for row in rows.prefix(Swift.min(rows.count - 1, Self.stakeCompactionLimit)) { state.delete(row.key) }
    }
}
