import Sodium

/// End-of-round scheduled work: activation, deactivation, tally, expiry and rent (SCH-*, ADR 0006).
extension ExecutionContext {
    /// One entry taken from a queue this round.
    struct DueItem {
        let kind: DueQueue.Kind
        let entry: DueQueue.Entry
    }

    /// Everything due at or before the current round across all queues, oldest round first, then by
    /// queue number, then by item bytes; at most `maxScheduledItemsPerRound` (SCH-2, SCH-3). The rest
    /// stays in the queues and is taken in later rounds (the queue itself is the carry-over, D7).
    func dueItems() throws(ExecutionFailure) -> [DueItem] {
        let limit = Int(params.maxScheduledItemsPerRound)
        var all: [DueItem] = []
        for kind in DueQueue.Kind.allCases {
            let entries: [DueQueue.Entry]
            do { entries = try DueQueue(kind).due(atOrBefore: round, limit: limit, in: state) } catch { throw .infrastructure(error) }
            all.append(contentsOf: entries.map { DueItem(kind: kind, entry: $0) })
        }
        all.sort { a, b in
            if a.entry.round != b.entry.round { return a.entry.round < b.entry.round }
            if a.kind.rawValue != b.kind.rawValue { return a.kind.rawValue < b.kind.rawValue }
            return a.entry.item.lexicographicallyPrecedes(b.entry.item)
        }
        return Array(all.prefix(limit))
    }

    /// Runs one due item in its own layer; a rejection becomes the code of its `schedule.fired` event.
    mutating func fire(_ item: DueItem) throws(StateError) {
        state.delete(item.entry.key)
        let failure = try inLayer { (ctx: inout ExecutionContext) throws(ExecutionFailure) in
            try ctx.handle(item)
        }
        emit(.scheduleFired(queue: item.kind.rawValue, dueRound: item.entry.round, item: item.entry.item,
                            code: failure?.0 ?? .ok))
    }

    mutating func handle(_ item: DueItem) throws(ExecutionFailure) {
        switch item.kind {
        case .activation:
            let model = try model(try modelID(item.entry.item))
            _ = try transition(model, to: .active)
        case .deactivation:
            let model = try model(try modelID(item.entry.item))
            _ = try transition(model, to: .deprecated)
        case .proposalTally:
            guard let id = Self.proposalID(item.entry.item) else { throw reject(.unknownProposal, "item") }
            try tally(id)
        case .proposalExpiry:
            guard let id = Self.proposalID(item.entry.item) else { throw reject(.unknownProposal, "item") }
            try expire(id)
        case .rentCollection:
            try collectRent(try modelID(item.entry.item))
        }
    }

    func modelID(_ item: [UInt8]) throws(ExecutionFailure) -> ModelID {
        guard let raw = Digest256Bytes.digest(item) else { throw reject(.unknownModel, "item") }
        return ModelID(raw)
    }

    /// Rent for the rounds since `rentPaidThrough` (ADR 0006): paid → next collection a period later;
    /// unpaid → grace period, retried when it ends; still unpaid then → Suspended.
    mutating func collectRent(_ id: ModelID) throws(ExecutionFailure) {
        var model = try model(id)
        guard model.status == .active else { throw reject(.modelNotActive, "status \(model.status.name)") }
        let rounds = try sub(round, model.rentPaidThrough, "rent rounds")
        let rent = try rentFee(rounds: rounds, sizeBytes: model.sizeBytes)
        let balance = try account(model.owner).balance
        if balance >= rent {
            try charge(model.owner, .rent, rent, model: id)
            emit(.rentCharged(id, owner: model.owner, amount: rent, rounds: rounds))
            let old = model
            model.rentPaidThrough = round
            model.rentGraceEnds = nil
            try putModel(old: old, new: model)
            DueQueue(.rentCollection).schedule(id.bytes, at: try add(round, params.rentPeriodRounds, "rent round"), in: &state)
        } else if let graceEnds = model.rentGraceEnds, round >= graceEnds {
            _ = try transition(model, to: .suspended)
        } else {
            let old = model
            let graceEnds = try add(round, params.rentGraceRounds, "grace end")
            model.rentGraceEnds = graceEnds
            try putModel(old: old, new: model)
            DueQueue(.rentCollection).schedule(id.bytes, at: graceEnds, in: &state)
            emit(.rentOverdue(id, graceEnds: graceEnds))
        }
    }
}

/// 32 raw bytes as a digest.
enum Digest256Bytes {
    static func digest(_ bytes: [UInt8]) -> Digest256? { Digest256(bytes: bytes) }
}
