/// The outcome of one transaction in a round result (D5, D6).
///
/// Every code is documented here, in this one file, and is never renumbered or reused. Ranges:
/// 0 success; 1–99 envelope and admission; 100–199 models; 200–299 governance; 300–399 fees and
/// accounts; 400–499 rate limits and scheduling. A rejected transaction is a value, not an error.
public enum ResultCode: UInt32, Sendable, CaseIterable, CanonicalCodable {
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
    /// The account is over its transaction budget for the current rate-limit window (RL-2). Like the
    /// envelope codes, nothing is charged and the nonce does not advance (ADR 0005).
    case rateLimited = 12

    // MARK: Models (100–199): a well-signed failing transaction pays the failedTransaction fee (ADR 0005).

    /// A model with the same name and version is already registered (LC-3).
    case modelAlreadyExists = 100
    /// No model has the given id.
    case unknownModel = 101
    /// The sender does not own the model.
    case notModelOwner = 102
    /// The model name is empty, too long, or uses characters outside `[A-Za-z0-9._-]` / not starting alnum.
    case invalidModelName = 103
    /// The version string is empty, too long or has forbidden characters.
    case invalidModelVersion = 104
    /// `sizeBytes` is 0 or above `Limits.maxModelSizeBytes` (100 MiB).
    case invalidModelSize = 105
    /// `parameterCount` is 0 or above `Limits.maxParameterCount` (10^9).
    case invalidParameterCount = 106
    /// A text field (architecture, format, category, license, description) is too long, empty when
    /// required, or contains control characters.
    case invalidTextField = 107
    /// The source URI is too long, malformed, or not one of the schemes https, ipfs, ar, hf.
    case invalidSourceURI = 108
    /// Too many tags, a tag too long or empty, a tag outside `[a-z0-9-]`, or a duplicate tag.
    case invalidTags = 109
    /// An input or output shape has too many dimensions or a dimension out of range.
    case invalidShape = 110
    /// The model's status does not allow the requested transition (LC-2 table).
    case invalidStatusTransition = 111
    /// The field is frozen once the model leaves Pending (LC-6).
    case modelFieldFrozen = 112
    /// The new owner is the current owner.
    case sameOwner = 113
    /// Usage can only be recorded for an Active model.
    case modelNotActive = 114
    /// The usage unit count is 0 or above `Limits.maxUsageUnits`.
    case invalidUsageUnits = 115
    /// The metadata update changes nothing.
    case emptyUpdate = 116
    /// Resume refused: the model is not Suspended.
    case modelNotSuspended = 117

    // MARK: Governance (200–299)

    /// The proposer's stake is below `minProposerStake`.
    case insufficientProposerStake = 200
    /// The proposer already has `maxOpenProposalsPerProposer` proposals open.
    case tooManyOpenProposals = 201
    /// No proposal has the given id.
    case unknownProposal = 202
    /// The proposal is not in Voting, or the voting deadline has passed (GOV-5).
    case votingClosed = 203
    /// The voter had no stake at the proposal's snapshot round (GOV-4).
    case noVotingPower = 204
    /// Execution before the voting deadline has passed and the tally was done (GOV-8).
    case proposalNotTallied = 205
    /// Execution of a proposal that did not pass (GOV-8).
    case proposalNotPassed = 206
    /// A second execution of the same proposal (GOV-9).
    case proposalAlreadyExecuted = 207
    /// Execution after the execution deadline (GOV-10).
    case executionDeadlinePassed = 208
    /// The proposed fee schedule is invalid or changes a fee by more than the allowed ±20% (GOV-12).
    case invalidFeeScheduleChange = 209
    /// The parameter value is outside its documented bounds (GOV-13, Docs/spec/governance.md).
    case parameterOutOfBounds = 210
    /// The proposal's text is too long or has control characters.
    case invalidProposalText = 211
    /// The proposed activation or deprecation round is too far in the future.
    case invalidScheduleRound = 212
    /// The target model of a proposal does not exist at submission.
    case proposalTargetInvalid = 213
    /// The proposal has expired (not executed before the execution deadline).
    case proposalExpired = 214
    /// Recorded on a proposal whose execution failed (GOV-11): the model was no longer Pending.
    case executionTargetWrongStatus = 215

    // MARK: Fees and accounts (300–399)

    /// Fee arithmetic would overflow (D3): refused, never wrapped.
    case arithmeticOverflow = 300
    /// The fee account cannot pay the proposal deposit.
    case insufficientDepositBalance = 301
    /// A withdrawal of 0 or more than the balance.
    case invalidWithdrawalAmount = 302
    /// The fee account cannot pay the usage fee or the outstanding rent.
    case insufficientBalance = 303
    /// The fee schedule of the operation cannot compute a fee for these units.
    case feeComputationFailed = 304

    // MARK: Rate limits and scheduling (400–499)

    /// The scheduled round is before the current round (internal guard; never expected).
    case scheduleInPast = 400

    /// The case name, for logs and JSON.
    public var name: String { String(describing: self) }
}

extension ResultCode {
    public func encode(to writer: inout CanonicalWriter) { writer.write(rawValue) }
    public init(from reader: inout CanonicalReader) throws(CodecError) {
        let raw = try reader.readUInt32("result code")
        guard let code = ResultCode(rawValue: raw) else { throw .unknownDiscriminant(field: "result code", value: UInt64(raw)) }
        self = code
    }

    /// Whether the code is an envelope/admission failure (1–99): nothing charged, nonce unchanged.
    public var isEnvelopeFailure: Bool { rawValue >= 1 && rawValue <= 99 }
}
