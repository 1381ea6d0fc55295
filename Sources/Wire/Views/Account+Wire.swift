import Foundation
import RegistryCore

extension AiRegistry_V1_Account {
    /// The decoded view of an account (an account never written reads as nonce 0, balance 0, stake 0).
    public init(id: AccountID, account: Account) {
        self.init()
        self.id = Data(id.bytes)
        nonce = account.nonce
        balance = account.balance
        stake = account.stake
    }
}
