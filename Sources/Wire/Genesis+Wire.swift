import Foundation
import RegistryCore

extension Genesis {
    /// The core genesis of an `InitChainRequest`, every field validated (names under `path`). Empty
    /// `parameters` means `Parameters.defaults`; otherwise they must be canonical `Parameters` bytes
    /// within their bounds.
    public init(_ request: AiRegistry_V1_InitChainRequest, path: String = "init_chain") throws(WireError) {
        let chainID = request.chainID
        guard !chainID.isEmpty else { throw .invalid("\(path).chain_id", "must not be empty") }
        guard chainID.utf8.count <= Limits.maxChainIDLength else {
            throw .invalid("\(path).chain_id", "at most \(Limits.maxChainIDLength) bytes, got \(chainID.utf8.count)")
        }
        guard Validation.isText(chainID, limit: Limits.maxChainIDLength, required: true) else {
            throw .invalid("\(path).chain_id", "must be printable text without control characters")
        }
        try WireValidation.count(request.stakes.count, limit: RoundLimits.maxHostUpdates, field: "\(path).stakes")
        try WireValidation.count(request.balances.count, limit: RoundLimits.maxHostUpdates, field: "\(path).balances")
        var stakes: [Allocation] = []
        for (index, entry) in request.stakes.enumerated() {
            stakes.append(Allocation(try WireValidation.account(entry.account, field: "\(path).stakes[\(index)].account"), entry.amount))
        }
        var balances: [Allocation] = []
        for (index, entry) in request.balances.enumerated() {
            balances.append(Allocation(try WireValidation.account(entry.account, field: "\(path).balances[\(index)].account"), entry.amount))
        }
        var parameters = Parameters.defaults
        if !request.parameters.isEmpty {
            do { parameters = try Parameters(canonicalBytes: [UInt8](request.parameters)) } catch {
                throw .invalid("\(path).parameters", "not canonical Parameters bytes: \(error.description)")
            }
            guard parameters.isValid else { throw .invalid("\(path).parameters", "a parameter is outside its bounds") }
        }
        self.init(chainID: chainID, parameters: parameters, stakes: stakes, balances: balances)
        // The remaining checks (duplicates, totals overflow) are Genesis's own; map them to fields.
        do { _ = try writes() } catch {
            switch error {
            case .invalidChainID: throw .invalid("\(path).chain_id", "invalid chain id")
            case .invalidParameters: throw .invalid("\(path).parameters", "a parameter is outside its bounds")
            case .duplicateAccount(let account): throw .invalid("\(path)", "account \(account) appears twice in stakes or balances")
            case .overflow: throw .invalid("\(path)", "the total of stakes or balances overflows UInt64")
            }
        }
    }
}

extension AiRegistry_V1_InitChainRequest {
    /// The request carrying a core genesis at `genesisRound`; parameters are always sent explicitly
    /// unless `explicitParameters` is false and they equal the defaults.
    public init(_ genesis: Genesis, genesisRound: UInt64 = 0, explicitParameters: Bool = false) {
        self.init()
        chainID = genesis.chainID
        self.genesisRound = genesisRound
        stakes = genesis.stakes.map { AiRegistry_V1_StakeEntry(account: $0.account, amount: $0.amount) }
        balances = genesis.balances.map { AiRegistry_V1_StakeEntry(account: $0.account, amount: $0.amount) }
        if explicitParameters || genesis.parameters != .defaults {
            parameters = Data(genesis.parameters.canonicalBytes())
        }
    }
}
