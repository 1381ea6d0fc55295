import Metrics
import StateStore

extension ConsensusService {
    /// The write-behind barrier (ADR 0027): waits until the round whose write is in flight is durable,
    /// then does what follows a commit: the status (last round, rounds applied) the snapshot scheduler
    /// and `/health` read, the background-write and barrier-wait metrics, and one bounded prune step
    /// (serialized with the writer). Every request runs it first, and the endpoint runs it right after
    /// each reply (so the wait overlaps the host's time between rounds).
    ///
    /// A failed write halts consensus through the halt path: Info reports the last durable round again,
    /// every later round gets the halted reply; the returned audit action records it.
    @discardableResult
    func settle() -> [ConsensusAction] {
        guard let inFlight = roundInFlight else { return [] }
        roundInFlight = nil
        let started = ConsensusStatus.monotonicNanoseconds()
        do {
            try store.awaitCommitted()
        } catch {
            lastRound = inFlight.durableRound
            lastRoot = inFlight.durableRoot
            let text = "write round \(inFlight.round): \(error.description)"
            haltReason = text
            logger.critical("consensus halted: the write-behind write of an answered round failed", metadata: [
                "round": "\(inFlight.round)", "error": "\(error)",
            ])
            status.update { $0.haltReason = text }
            publishStatus(committed: false)
            return [.audit(.internalError, detail: "consensus halted: \(text); the host re-delivers round \(inFlight.round) after a restart")]
        }
        let waited = ConsensusStatus.monotonicNanoseconds() - started
        Metrics.Timer(label: MetricsNames.commitBarrierWait).recordNanoseconds(Int64(clamping: waited))
        if let write = store.lastBackgroundWrite, write.version == inFlight.round {
            Metrics.Timer(label: MetricsNames.backgroundWrite).recordNanoseconds(Int64(clamping: write.writeNanoseconds))
        }
        publishStatus(committed: true)
        pruneAfterCommit()
        return []
    }
}
