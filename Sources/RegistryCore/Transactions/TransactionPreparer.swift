import Sodium

/// A transaction after the pure, parallelisable step: decoded and signature-checked (TX-1…TX-4).
public struct PreparedTransaction: Sendable {
    /// BLAKE2b-256 of the whole transaction bytes (TX-3).
    public let txID: Digest256
    /// The encoded size.
    public let size: Int
    /// The size limit the preparation used (re-prepared when the round's limit differs).
    public let maxBytes: UInt64
    /// The envelope failure, or nil when the transaction is well formed and signed for this chain.
    public let failure: ResultCode?
    /// A short deterministic reason for `failure`.
    public let log: String
    /// The signer (nil on failure before the key was known).
    public let sender: AccountID?
    /// The decoded body (nil on failure).
    public let body: TransactionBody?
    /// The bytes and chain id it was prepared from (with `maxBytes`, every input of `prepare`): the
    /// executor uses an entry handed to it only if these equal its own (see `belongs(to:chainID:maxBytes:)`).
    let source: [UInt8]
    let chainID: String

    /// Whether this entry is exactly `TransactionPreparer.prepare(bytes, chainID:, maxBytes:)`.
    ///
    /// Sound without re-hashing: a `PreparedTransaction` has no public initializer and immutable fields,
    /// so every value was made by `prepare`, a pure function of (bytes, chain id, size limit) that records
    /// those three inputs here; equal inputs therefore mean an equal entry. The byte comparison is
    /// `Array ==`: constant time when both share one buffer (the pipeline and the benchmark hand back the
    /// round's own arrays), else an element-wise compare, still far cheaper than BLAKE2b of the bytes.
    @inline(__always)
    func belongs(to bytes: [UInt8], chainID: String, maxBytes: UInt64) -> Bool {
        self.maxBytes == maxBytes && self.chainID == chainID && source == bytes
    }
}

/// Decodes and verifies one transaction without touching state; safe to run on several cores.
public enum TransactionPreparer {
    /// Size check, strict decode, chain id, Ed25519 over the sign bytes (in that order).
    public static func prepare(_ bytes: [UInt8], chainID: String, maxBytes: UInt64) -> PreparedTransaction {
        let txID = Blake2b.hash256(bytes)
        func fail(_ code: ResultCode, _ log: String, _ sender: AccountID? = nil) -> PreparedTransaction {
            PreparedTransaction(txID: txID, size: bytes.count, maxBytes: maxBytes, failure: code, log: log, sender: sender, body: nil,
                                source: bytes, chainID: chainID)
        }
        guard UInt64(bytes.count) <= maxBytes else {
            return fail(.transactionTooLarge, "size \(bytes.count) > maxTransactionBytes \(maxBytes)")
        }
        let signed: SignedTransaction
        do { signed = try SignedTransaction(canonicalBytes: bytes) } catch { return fail(.malformedTransaction, error.description) }
        guard let sender = AccountID(publicKey: signed.publicKey) else { return fail(.invalidPublicKey, "public key length") }
        let body: TransactionBody
        do { body = try TransactionBody(canonicalBytes: signed.bodyBytes) } catch {
            return fail(.malformedBody, error.description, sender)
        }
        guard body.chainID == chainID else { return fail(.wrongChainID, "chainID \(body.chainID)", sender) }
        let message = SignedTransaction.signBytes(chainID: chainID, bodyBytes: signed.bodyBytes)
        guard Ed25519.verify(signature: signed.signature, message: message, publicKey: signed.publicKey) else {
            return fail(.invalidSignature, "signature", sender)
        }
        return PreparedTransaction(txID: txID, size: bytes.count, maxBytes: maxBytes, failure: nil, log: "",
                                   sender: sender, body: body, source: bytes, chainID: chainID)
    }
}
