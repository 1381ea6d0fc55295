import Foundation
import RegistryCore
import Sodium

extension AiRegistry_V1_TxResult {
    /// The wire form of one transaction's result (`code_name` is the `ResultCode` case name).
    public init(_ result: TransactionResult) {
        self.init()
        txID = Data(result.txID.bytes)
        code = result.code.rawValue
        codeName = result.code.name
        feeCharged = result.feeCharged
        log = result.log
        firstEvent = result.firstEvent
        eventCount = result.eventCount
    }
}

extension AiRegistry_V1_Event {
    /// The wire form of a domain event: its topic, canonical bytes and index in the round.
    public init(_ event: RegistryEvent, index: UInt32) {
        self.init()
        topic = event.topic
        data = Data(event.canonicalBytes())
        self.index = index
    }
}

extension AiRegistry_V1_FeeSummary {
    /// The wire form of the fees a round moved.
    public init(_ fees: RoundFeeSummary) {
        self.init()
        collected = fees.collected
        treasury = fees.treasury
        ownerShares = fees.ownerShares
        burned = fees.burned
        withdrawn = fees.withdrawn
        deposited = fees.deposited
    }
}

extension AiRegistry_V1_RoundResult {
    /// The reply to ApplyRound / PreviewRound for an executed round and its state root.
    public init(_ outcome: RoundOutcome, root: Digest256, replayed: Bool = false) {
        self.init(round: outcome.round, root: root, results: outcome.results, events: outcome.events,
                  fees: outcome.fees, writeCount: UInt32(clamping: outcome.writes.count), replayed: replayed)
    }

    /// The reply rebuilt from a stored round record and the round's root (identical to the original
    /// reply except for `replayed`).
    public init(_ record: RoundRecord, root: Digest256, replayed: Bool) {
        self.init(round: record.round, root: root, results: record.results, events: record.events,
                  fees: record.fees, writeCount: record.writeCount, replayed: replayed)
    }

    init(round: Round, root: Digest256, results: [TransactionResult], events: [RegistryEvent],
         fees: RoundFeeSummary, writeCount: UInt32, replayed: Bool) {
        self.init()
        self.round = round
        self.root = Data(root.bytes)
        self.results = results.map(AiRegistry_V1_TxResult.init)
        self.events = events.enumerated().map { AiRegistry_V1_Event($0.element, index: UInt32(clamping: $0.offset)) }
        self.fees = AiRegistry_V1_FeeSummary(fees)
        self.writeCount = writeCount
        self.replayed = replayed
    }
}
