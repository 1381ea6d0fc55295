import RegistryCore
import Sodium

/// One builder per `Action`, each with the account's next nonce (the nonce advances).
extension TransactionFactory {
    /// `registerModel`.
    public mutating func registerModel(_ registration: ModelRegistration, by key: Ed25519.KeyPair, maxFee: Amount) -> [UInt8] {
        signed(.registerModel(registration), by: key, maxFee: maxFee)
    }

    /// `updateModelMetadata`.
    public mutating func updateModel(_ id: ModelID, _ update: MetadataUpdate, by key: Ed25519.KeyPair, maxFee: Amount) -> [UInt8] {
        signed(.updateModelMetadata(id, update), by: key, maxFee: maxFee)
    }

    /// `transferModelOwnership`.
    public mutating func transferModel(_ id: ModelID, to owner: AccountID, by key: Ed25519.KeyPair, maxFee: Amount) -> [UInt8] {
        signed(.transferModelOwnership(id, newOwner: owner), by: key, maxFee: maxFee)
    }

    /// `submitProposal`.
    public mutating func submitProposal(_ kind: ProposalKind, by key: Ed25519.KeyPair, maxFee: Amount) -> [UInt8] {
        signed(.submitProposal(kind), by: key, maxFee: maxFee)
    }

    /// `vote`.
    public mutating func vote(_ id: ProposalID, _ choice: VoteChoice, by key: Ed25519.KeyPair, maxFee: Amount) -> [UInt8] {
        signed(.vote(id, choice), by: key, maxFee: maxFee)
    }

    /// `executeProposal`.
    public mutating func executeProposal(_ id: ProposalID, by key: Ed25519.KeyPair, maxFee: Amount) -> [UInt8] {
        signed(.executeProposal(id), by: key, maxFee: maxFee)
    }

    /// `recordUsage`.
    public mutating func recordUsage(_ id: ModelID, units: UInt64, by key: Ed25519.KeyPair, maxFee: Amount) -> [UInt8] {
        signed(.recordUsage(id, units: units), by: key, maxFee: maxFee)
    }

    /// `withdraw`.
    public mutating func withdraw(_ amount: Amount, by key: Ed25519.KeyPair, maxFee: Amount) -> [UInt8] {
        signed(.withdraw(amount: amount), by: key, maxFee: maxFee)
    }

    /// `deprecateModel` (the owner's own deprecation).
    public mutating func deprecateModel(_ id: ModelID, by key: Ed25519.KeyPair, maxFee: Amount) -> [UInt8] {
        signed(.deprecateModel(id), by: key, maxFee: maxFee)
    }

    /// `resumeModel`.
    public mutating func resumeModel(_ id: ModelID, by key: Ed25519.KeyPair, maxFee: Amount) -> [UInt8] {
        signed(.resumeModel(id), by: key, maxFee: maxFee)
    }
}
