import Foundation
import RegistryCore
import Sodium
import StateStore
import Wire

extension ConsensusService {
    /// Info: initialisation, chain id, last committed round and root, versions, retention, history start.
    func info() -> AiRegistry_V1_InfoResponse {
        var info = AiRegistry_V1_InfoResponse()
        info.initialized = isInitialized
        info.chainID = chainID ?? ""
        info.lastRound = lastRound ?? 0
        info.lastRoot = Data(lastRoot?.bytes ?? [])
        info.protocolVersions = WireProtocol.supportedVersions
        info.softwareVersion = WireProtocol.softwareVersion
        info.schemaVersion = StateStore.schemaVersion
        if let snapshot = try? store.snapshot() {
            info.earliestRetainedRound = (try? snapshot.retainedVersions(from: 0, limit: 1).first) ?? 0
            info.historyStart = (try? snapshot.historyStart()) ?? 0
            snapshot.close()
        }
        return info
    }

    /// InitChain: validates the genesis, refuses a non-empty store, commits the genesis state at
    /// `genesis_round` with the chain id in the store metadata.
    func initChain(_ request: AiRegistry_V1_InitChainRequest, requestID: UInt64) -> ConsensusReply {
        if let halted = haltedReply(requestID: requestID) { return halted }
        guard lastRound == nil else {
            return refuse(WireError(.wrongState, "InitChain on a store that already holds round \(lastRound ?? 0) (chain \(chainID ?? "unknown")); InitChain runs only on an empty data directory"),
                          requestID: requestID, audit: .roundRefused)
        }
        let genesis: Genesis
        do { genesis = try Genesis(request) } catch {
            return refuse(error, requestID: requestID, audit: .malformedRequest)
        }
        let writes: [StateWrite]
        do { writes = try genesis.writes() } catch {
            return refuse(WireError.invalid("init_chain", "genesis refused: \(error)"), requestID: requestID, audit: .malformedRequest)
        }
        let round = request.genesisRound
        var roundBytes: [UInt8] = []
        for shift in stride(from: 56, through: 0, by: -8) { roundBytes.append(UInt8(truncatingIfNeeded: round >> UInt64(shift))) }
        let metadata: [StateStore.Write] = [
            .put(MetadataKey.chainID, Array(genesis.chainID.utf8)),
            .put(MetadataKey.genesisRound, roundBytes),
        ]
        let root: Digest256
        do {
            root = try store.commit(version: round, writes: writes.map { StateStore.Write(key: $0.key, value: $0.value) },
                                    roundRecord: nil, metadata: metadata)
        } catch {
            return halt("commit genesis", error.description, requestID: requestID)
        }
        chainID = genesis.chainID
        genesisRound = round
        lastRound = round
        lastRoot = root
        executor = RoundExecutor(chainID: genesis.chainID)
        publishStatus(committed: true)
        logger.info("genesis committed", metadata: ["chain_id": "\(genesis.chainID)", "round": "\(round)", "root": "\(root.hex)"])
        var reply = AiRegistry_V1_InitChainResponse()
        reply.round = round
        reply.root = Data(root.bytes)
        return ConsensusReply(response: response(requestID, .initChain(reply)))
    }

    /// CheckTx: admission of one transaction against committed state; no writes.
    func checkTx(_ request: AiRegistry_V1_CheckTxRequest, requestID: UInt64) -> ConsensusReply {
        guard let executor, isInitialized else {
            return refuse(WireError(.wrongState, "CheckTx before InitChain"), requestID: requestID, audit: .roundRefused)
        }
        guard request.tx.count <= RoundLimits.maxTransactionBytes else {
            return refuse(WireError.invalid("check_tx.tx", "at most \(RoundLimits.maxTransactionBytes) bytes, got \(request.tx.count)"),
                          requestID: requestID, audit: .malformedRequest)
        }
        let bytes = [UInt8](request.tx)
        let code: ResultCode
        do {
            let reader = try SnapshotStateReader(store: store)
            defer { reader.close() }
            code = try executor.check(bytes, state: reader)
        } catch {
            logger.error("CheckTx failed", metadata: ["error": "\(error)"])
            return refuse(WireError(.internal, "CheckTx could not read committed state: \(error)"), requestID: requestID, audit: .internalError)
        }
        var reply = AiRegistry_V1_CheckTxResponse()
        reply.code = code.rawValue
        reply.log = code.name
        reply.txID = Data(Blake2b.hash256(bytes).bytes)
        return ConsensusReply(response: response(requestID, .checkTx(reply)))
    }
}
