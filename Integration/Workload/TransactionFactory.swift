import RegistryCore
import Sodium

/// Builds signed transaction bytes (ADR 0004 envelope) for any `Action`, tracking the next nonce of
/// each account it signed for. A transaction that will pass admission advances the nonce
/// (`signed(_:by:maxFee:)`); one built to fail the envelope uses an explicit nonce and advances nothing.
public struct TransactionFactory: Sendable {
    /// The chain id written into every body (unless overridden).
    public let chainID: String
    /// Next nonce per account (lookup only; never iterated, D2).
    private var nonces: [AccountID: UInt64] = [:]

    public init(chainID: String) { self.chainID = chainID }

    /// The next nonce the factory will use for `account`.
    public func nonce(of account: AccountID) -> UInt64 { nonces[account] ?? 0 }

    /// Overrides the tracked nonce of `account` (e.g. after reading it from state).
    public mutating func setNonce(_ nonce: UInt64, for account: AccountID) { nonces[account] = nonce }

    /// A transaction with the account's next nonce; the tracked nonce advances by one.
    public mutating func signed(_ action: Action, by key: Ed25519.KeyPair, maxFee: Amount) -> [UInt8] {
        let account = KeyRing.account(of: key)
        let nonce = nonce(of: account)
        nonces[account] = nonce + 1
        return Self.sign(TransactionBody(chainID: chainID, nonce: nonce, maxFee: maxFee, action: action), with: key)
    }

    /// A transaction with an explicit nonce and optionally another chain id; nothing advances.
    public func signed(_ action: Action, by key: Ed25519.KeyPair, nonce: UInt64, maxFee: Amount, chainID: String? = nil) -> [UInt8] {
        Self.sign(TransactionBody(chainID: chainID ?? self.chainID, nonce: nonce, maxFee: maxFee, action: action), with: key)
    }

    /// A transaction with the account's next nonce whose signature is corrupted (one bit flipped);
    /// nothing advances. It fails with `invalidSignature`.
    public func badlySigned(_ action: Action, by key: Ed25519.KeyPair, maxFee: Amount) -> [UInt8] {
        let body = TransactionBody(chainID: chainID, nonce: nonce(of: KeyRing.account(of: key)), maxFee: maxFee, action: action)
        var tx = SignedTransaction.sign(body: body, with: key)
        tx.signature[0] ^= 0x01
        return tx.canonicalBytes()
    }

    /// Encodes and signs a body (`SignedTransaction.sign`), returning the transmitted bytes.
    public static func sign(_ body: TransactionBody, with key: Ed25519.KeyPair) -> [UInt8] {
        SignedTransaction.sign(body: body, with: key).canonicalBytes()
    }

    /// A transaction whose body bytes are given as is (e.g. a body that does not decode), signed over
    /// the sign bytes of `chainID`.
    public static func signRaw(bodyBytes: [UInt8], chainID: String, with key: Ed25519.KeyPair) -> [UInt8] {
        let signature = key.sign(SignedTransaction.signBytes(chainID: chainID, bodyBytes: bodyBytes))
        return SignedTransaction(bodyBytes: bodyBytes, publicKey: key.publicKey, signature: signature).canonicalBytes()
    }
}
