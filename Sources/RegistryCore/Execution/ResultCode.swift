/// The outcome of one transaction in a round result (D5, D6).
///
/// Every code is documented here, in this one file, and is never renumbered or reused. Ranges:
/// 0 success; 1–99 envelope and admission; 100–199 models; 200–299 governance; 300–399 fees and
/// accounts; 400–499 rate limits and scheduling. A rejected transaction is a value, not an error.
public enum ResultCode: UInt32, Sendable, CaseIterable {
    /// The transaction was applied.
    case ok = 0

    // MARK: Envelope and admission (1–99): nothing is charged, the nonce does not advance.

    /// The transaction bytes are not a canonical `SignedTransaction`.
    case malformedTransaction = 1
    /// The body bytes are not a canonical `TransactionBody`.
    case malformedBody = 2
    /// The public key is not 32 bytes.
    case invalidPublicKey = 3
    /// The Ed25519 signature does not verify over the sign bytes.
    case invalidSignature = 4
    /// The body's chain id is not this chain's.
    case wrongChainID = 5
    /// The nonce is lower than the account's next nonce (replay).
    case staleNonce = 6
    /// The nonce is higher than the account's next nonce.
    case futureNonce = 7
    /// The encoded transaction is larger than `Parameters.maxTransactionBytes`.
    case transactionTooLarge = 8
    /// The same transaction id already appeared earlier in this round.
    case duplicateTransaction = 9
    /// The fee of the operation exceeds the body's `maxFee`.
    case feeLimitExceeded = 10
    /// The fee account cannot pay the operation's fee.
    case insufficientFeeBalance = 11

    /// The case name, for logs and JSON.
    public var name: String { String(describing: self) }
}
