import Foundation
import Metrics
import RegistryCore
import Sodium
import StateStore
import StateTree
import Wire

extension ConsensusService {
    /// ApplyRound (D8, D9): replay, conflict, gap, or execute and commit the next round.
    func applyRound(_ request: AiRegistry_V1_ApplyRoundRequest, requestID: UInt64) -> ConsensusReply {
        if let halted = haltedReply(requestID: requestID) { return halted }
        guard isInitialized, let last = lastRound, let executor else {
            return refuse(WireError(.wrongState, "ApplyRound before InitChain"), requestID: requestID, audit: .roundRefused)
        }
        let input: RoundInput
        do { input = try RoundInput(request) } catch {
            return refuse(error, requestID: requestID, audit: .malformedRequest)
        }
        let round = input.round
        if round <= last {
            return redelivered(input, last: last, requestID: requestID)
        }
        guard round == last + 1 else {
            return refuse(WireError(.roundGap, "round \(round) skips rounds: the next round is \(last + 1)",
                                    field: "apply_round.round", expectedRound: last + 1),
                          requestID: requestID, audit: .roundRefused)
        }
        let started = ConsensusStatus.monotonicNanoseconds()
        let outcome: RoundOutcome
        do {
            outcome = try execute(input, executor: executor)
        } catch {
            return halt("execute round \(round)", "\(error)", requestID: requestID)
        }
        let record = RoundRecord(input: input, outcome: outcome)
        let root: Digest256
        let writes = outcome.writes.map { StateStore.Write(key: $0.key, value: $0.value) }
        let behind = options.writeBehind && writes.count >= options.writeBehindMinimumWrites
        do {
            if behind {
                // Answered once the root is computed; durable a few milliseconds later (ADR 0027). The
                // next request's barrier (`settle`) publishes the status and prunes.
                root = try store.commitWriteBehind(version: round, writes: writes, roundRecord: record.canonicalBytes())
                roundInFlight = (round, lastRound, lastRoot)
            } else {
                root = try store.commit(version: round, writes: writes, roundRecord: record.canonicalBytes())
            }
        } catch {
            return halt("commit round \(round)", error.description, requestID: requestID)
        }
        lastRound = round
        lastRoot = root
        let elapsed = ConsensusStatus.monotonicNanoseconds() - started
        recordRoundMetrics(outcome, nanoseconds: elapsed)
        if !behind {
            publishStatus(committed: true)
            pruneAfterCommit()
        }
        let result = AiRegistry_V1_RoundResult(outcome, root: root)
        logger.debug("round committed", metadata: [
            "round": "\(round)", "root": "\(root.hex)", "txs": "\(outcome.results.count)", "writes": "\(outcome.writes.count)",
        ])
        return ConsensusReply(response: response(requestID, .applyRound(result)), actions: [.publishRound(result)])
    }

    /// PreviewRound: executes over the committed state, computes the root it would have, commits nothing.
    func previewRound(_ request: AiRegistry_V1_PreviewRoundRequest, requestID: UInt64) -> ConsensusReply {
        if let halted = haltedReply(requestID: requestID) { return halted }
        guard isInitialized, let last = lastRound, let executor else {
            return refuse(WireError(.wrongState, "PreviewRound before InitChain"), requestID: requestID, audit: .roundRefused)
        }
        guard request.hasRound else {
            return refuse(WireError.malformed("preview_round.round is required", field: "preview_round.round"),
                          requestID: requestID, audit: .malformedRequest)
        }
        let input: RoundInput
        do { input = try RoundInput(request.round, path: "preview_round.round") } catch {
            return refuse(error, requestID: requestID, audit: .malformedRequest)
        }
        guard input.round > last else {
            return refuse(WireError.invalid("preview_round.round.round", "must be above the last committed round \(last), got \(input.round)"),
                          requestID: requestID, audit: .roundRefused)
        }
        do {
            let reader = try SnapshotStateReader(store: store)
            defer { reader.close() }
            let outcome = try execute(input, executor: executor, reader: reader)
            let updates = outcome.writes.map { KeyUpdate(key: $0.key, value: $0.value) }
            let tree = StateTree(applyVerification: store.configuration.commitVerification)
            let root = try reader.withSnapshot { snapshot throws(StateStoreError) in
                do throws(StateTreeError) { return try tree.apply(version: input.round, updates: updates, in: snapshot).rootHash } catch {
                    throw .tree(operation: "preview", error: error)
                }
            }
            return ConsensusReply(response: response(requestID, .previewRound(AiRegistry_V1_RoundResult(outcome, root: root))))
        } catch {
            // Nothing was written: report it, but a failed preview does not halt consensus.
            logger.error("PreviewRound failed", metadata: ["round": "\(input.round)", "error": "\(error)"])
            return refuse(WireError(.internal, "PreviewRound of round \(input.round) failed: \(error)"), requestID: requestID, audit: .internalError)
        }
    }

    /// A round at or below the last committed one: its stored result if the input is the same (D9).
    private func redelivered(_ input: RoundInput, last: UInt64, requestID: UInt64) -> ConsensusReply {
        let round = input.round
        if let genesis = genesisRound, round <= genesis {
            return refuse(WireError(.roundConflict, "round \(round) is not after the genesis round \(genesis)",
                                    field: "apply_round.round", expectedRound: last + 1),
                          requestID: requestID, audit: .roundRefused)
        }
        let stored: (record: [UInt8]?, root: Digest256?)
        do {
            let snapshot = try store.snapshot()
            let record = try snapshot.roundRecord(version: round)
            let root = record == nil ? nil : try? snapshot.rootHash(version: round)
            snapshot.close()
            stored = (record, root)
        } catch {
            logger.error("reading a committed round failed", metadata: ["round": "\(round)", "error": "\(error)"])
            return refuse(WireError(.internal, "reading committed round \(round) failed: \(error)"), requestID: requestID, audit: .internalError)
        }
        guard let bytes = stored.record, let root = stored.root else {
            return refuse(WireError(.roundPruned, "round \(round) is committed but its record was pruned (retention window); cannot compare",
                                    field: "apply_round.round", expectedRound: last + 1),
                          requestID: requestID, audit: .roundRefused)
        }
        let record: RoundRecord
        do { record = try RoundRecord(canonicalBytes: bytes) } catch {
            return halt("decode round record \(round)", error.description, requestID: requestID)
        }
        guard record.inputHash == RoundRecord.inputHash(input) else {
            return refuse(WireError(.roundConflict,
                                    "round \(round) was committed with other content (input hash \(record.inputHash.hex), this request \(RoundRecord.inputHash(input).hex))",
                                    field: "apply_round", expectedRound: last + 1),
                          requestID: requestID, audit: .roundRefused)
        }
        let result = AiRegistry_V1_RoundResult(record, root: root, replayed: true)
        return ConsensusReply(response: response(requestID, .applyRound(result)))
    }

    /// Executes `input` over a fresh snapshot of the committed state; a large round verifies signatures on
    /// worker threads overlapped with execution (ConsensusPreparer, ADR 0025).
    private func execute(_ input: RoundInput, executor: RoundExecutor) throws -> RoundOutcome {
        let reader = try SnapshotStateReader(store: store)
        defer { reader.close() }
        return try execute(input, executor: executor, reader: reader)
    }

    private func execute(_ input: RoundInput, executor: RoundExecutor, reader: SnapshotStateReader) throws -> RoundOutcome {
        guard input.transactions.count >= options.parallelPrepareThreshold else {
            return try executor.execute(input, state: reader)
        }
        let parameters = try RoundExecutor.parameters(in: reader)
        return try ConsensusPreparer.execute(input, executor: executor, state: reader, maxBytes: parameters.maxTransactionBytes)
    }

    private func recordRoundMetrics(_ outcome: RoundOutcome, nanoseconds: UInt64) {
        Counter(label: MetricsNames.roundsApplied).increment()
        Metrics.Timer(label: MetricsNames.roundLatency).recordNanoseconds(Int64(clamping: nanoseconds))
        var counts: [ResultCode: Int] = [:]
        for result in outcome.results { counts[result.code, default: 0] += 1 }
        for (code, count) in counts {  // metrics only: order does not matter
            Counter(label: MetricsNames.transactions, dimensions: [("code", code.name)]).increment(by: count)
        }
        roundsSinceSizeUpdate += 1
        if roundsSinceSizeUpdate >= 64 || outcome.round == (genesisRound ?? 0) + 1 {
            roundsSinceSizeUpdate = 0
            if let statistics = try? store.statistics() {
                Gauge(label: MetricsNames.lmdbUsedBytes).record(Int64(statistics.usedBytes))
            }
        }
    }

    /// One bounded prune step when the retention window is exceeded (`RetentionPruner`); a failure is
    /// logged, not fatal (a failed prune changes nothing). Skipped (no write transaction) while nothing
    /// is outside the window.
    func pruneAfterCommit() {
        guard let last = lastRound else { return }
        do {
            try retention.afterCommit(latest: last, store: store)
        } catch {
            logger.error("prune failed (state unchanged; retried after the next round)", metadata: ["error": "\(error)"])
        }
    }
}
