import Foundation
import RegistryCore

/// Limits of a round request, checked before execution.
public enum RoundLimits {
    /// The most host updates in one round.
    public static let maxHostUpdates = 1 << 16
    /// The most transactions in one round.
    public static let maxTransactions = 1 << 16
    /// The largest single transaction accepted on the wire (the consensus parameter
    /// `maxTransactionBytes` is at most this; a larger tx would be refused by the round anyway).
    public static let maxTransactionBytes = 1 << 20
}

extension RoundInput {
    /// The core round input of an `ApplyRoundRequest`, every field validated; errors name the field
    /// under `path` (e.g. `apply_round.host_updates[3].deposit.account`).
    public init(_ request: AiRegistry_V1_ApplyRoundRequest, path: String = "apply_round") throws(WireError) {
        try WireValidation.count(request.hostUpdates.count, limit: RoundLimits.maxHostUpdates, field: "\(path).host_updates")
        try WireValidation.count(request.txs.count, limit: RoundLimits.maxTransactions, field: "\(path).txs")
        var updates: [HostUpdate] = []
        updates.reserveCapacity(request.hostUpdates.count)
        for (index, update) in request.hostUpdates.enumerated() {
            let field = "\(path).host_updates[\(index)]"
            switch update.update {
            case .setStake(let entry)?:
                updates.append(.setStake(try WireValidation.account(entry.account, field: "\(field).set_stake.account"), entry.amount))
            case .deposit(let entry)?:
                updates.append(.deposit(try WireValidation.account(entry.account, field: "\(field).deposit.account"), entry.amount))
            case nil:
                throw .invalid(field, "no update set (expected set_stake or deposit)")
            }
        }
        var txs: [[UInt8]] = []
        txs.reserveCapacity(request.txs.count)
        for (index, tx) in request.txs.enumerated() {
            guard tx.count <= RoundLimits.maxTransactionBytes else {
                throw .invalid("\(path).txs[\(index)]", "at most \(RoundLimits.maxTransactionBytes) bytes, got \(tx.count)")
            }
            txs.append([UInt8](tx))
        }
        self.init(round: request.round, timestampMillis: request.timestampMillis, hostUpdates: updates, transactions: txs)
    }
}

extension AiRegistry_V1_ApplyRoundRequest {
    /// The request carrying a core round input.
    public init(_ input: RoundInput) {
        self.init()
        round = input.round
        timestampMillis = input.timestampMillis
        hostUpdates = input.hostUpdates.map(AiRegistry_V1_HostUpdate.init)
        txs = input.transactions.map { Data($0) }
    }
}

extension AiRegistry_V1_HostUpdate {
    /// The wire form of a host update.
    public init(_ update: HostUpdate) {
        self.init()
        switch update {
        case .setStake(let account, let amount): setStake = AiRegistry_V1_StakeEntry(account: account, amount: amount)
        case .deposit(let account, let amount): deposit = AiRegistry_V1_StakeEntry(account: account, amount: amount)
        }
    }
}

extension AiRegistry_V1_StakeEntry {
    /// An (account, amount) pair.
    public init(account: AccountID, amount: Amount) {
        self.init()
        self.account = Data(account.bytes)
        self.amount = amount
    }
}
