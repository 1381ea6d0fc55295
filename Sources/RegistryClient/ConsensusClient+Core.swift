import Foundation
import RegistryCore
import Wire

/// Requests built from RegistryCore values (the round driver and the tests generate those).
extension ConsensusClient {
    /// InitChain of `genesis` at `genesisRound` (the first ApplyRound is then `genesisRound + 1`).
    public func initChain(genesis: Genesis, genesisRound: UInt64 = 0) throws(RegistryClientError) -> AiRegistry_V1_InitChainResponse {
        try initChain(CoreRequests.initChain(genesis, genesisRound: genesisRound))
    }

    /// ApplyRound of `input`.
    public func applyRound(_ input: RoundInput, timeout: Duration? = nil) throws(RegistryClientError) -> AiRegistry_V1_RoundResult {
        try applyRound(CoreRequests.applyRound(input), timeout: timeout)
    }

    /// PreviewRound of `input`.
    public func previewRound(_ input: RoundInput, timeout: Duration? = nil) throws(RegistryClientError) -> AiRegistry_V1_RoundResult {
        try previewRound(CoreRequests.applyRound(input), timeout: timeout)
    }
}

/// The wire requests of RegistryCore values.
public enum CoreRequests {
    /// The InitChainRequest of a genesis: stakes and balances in the genesis's order, the parameters
    /// as canonical bytes.
    public static func initChain(_ genesis: Genesis, genesisRound: UInt64 = 0) -> AiRegistry_V1_InitChainRequest {
        var request = AiRegistry_V1_InitChainRequest()
        request.chainID = genesis.chainID
        request.genesisRound = genesisRound
        request.stakes = genesis.stakes.map { entry($0.account, $0.amount) }
        request.balances = genesis.balances.map { entry($0.account, $0.amount) }
        request.parameters = Data(genesis.parameters.canonicalBytes())
        return request
    }

    /// The ApplyRoundRequest of a round input: host updates and transactions in order.
    public static func applyRound(_ input: RoundInput) -> AiRegistry_V1_ApplyRoundRequest {
        var request = AiRegistry_V1_ApplyRoundRequest()
        request.round = input.round
        request.timestampMillis = input.timestampMillis
        request.hostUpdates = input.hostUpdates.map { update in
            var wire = AiRegistry_V1_HostUpdate()
            switch update {
            case .setStake(let account, let amount): wire.setStake = entry(account, amount)
            case .deposit(let account, let amount): wire.deposit = entry(account, amount)
            }
            return wire
        }
        request.txs = input.transactions.map { Data($0) }
        return request
    }

    static func entry(_ account: AccountID, _ amount: Amount) -> AiRegistry_V1_StakeEntry {
        var entry = AiRegistry_V1_StakeEntry()
        entry.account = Data(account.bytes)
        entry.amount = amount
        return entry
    }
}
