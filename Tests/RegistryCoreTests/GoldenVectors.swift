import Sodium
@testable import RegistryCore

/// Sample values of every encoded type, fixed forever; their canonical bytes are pinned in
/// `CodecGoldenTests.pinned` (Docs/spec/canonical-codec.md).
enum GoldenVectors {
    static let owner = AccountID(Digest256(w0: 0x0101_0101_0101_0101, w1: 0x0202_0202_0202_0202, w2: 0x0303_0303_0303_0303, w3: 0x0404_0404_0404_0404))
    static let modelID = ModelID(name: "resnet", version: "1.0")
    static let hash = Blake2b.hash256(Array("weights".utf8))

    static let registration = ModelRegistration(
        name: "resnet", version: "1.0", weightsHash: hash, sizeBytes: 1_048_577, parameterCount: 25_000_000,
        architecture: "ResNet-50", format: "onnx", category: "vision", license: "MIT", sourceURI: "hf://org/resnet",
        description: "d", tags: ["cnn", "vision"], inputShape: TensorShape([1, 3, 224, 224]), outputShape: TensorShape([1, 0]))

    static let model = Model(
        id: modelID, name: "resnet", version: "1.0", owner: owner, weightsHash: hash, sizeBytes: 1_048_577,
        parameterCount: 25_000_000, architecture: "ResNet-50", format: "onnx", category: "vision", license: "MIT",
        sourceURI: "hf://org/resnet", description: "d", tags: ["cnn"], inputShape: TensorShape([1, 3]),
        outputShape: TensorShape([10]), status: .active, registeredAt: 5, updatedAt: 9, activatedAt: 9,
        rentPaidThrough: 9, rentGraceEnds: nil, usageCount: 2, usageUnits: 30, usageFees: 700)

    static let proposal = Proposal(
        id: 3, proposer: owner, kind: .approveModel(modelID, activationRound: 100), status: .passed, submittedAt: 10,
        votingEnd: 20, executionDeadline: 30, deposit: 1_000, tally: TallyCounts(yes: 5, no: 1, abstain: 2, veto: 0),
        totalEligible: 10, decidedAt: 20, executedAt: nil, failureCode: 0)

    static let kinds: [(String, ProposalKind)] = [
        ("kind.approveModel", .approveModel(modelID, activationRound: 7)),
        ("kind.rejectModel", .rejectModel(modelID)),
        ("kind.deprecateModel", .deprecateModel(modelID, round: 8)),
        ("kind.emergencyRevoke", .emergencyRevoke(modelID)),
        ("kind.changeFeeSchedule", .changeFeeSchedule(.vote, FeeSchedule(method: .fixed(5), minimum: 0, maximum: 10))),
        ("kind.changeParameter", .changeParameter(.quorumBps, 4000)),
        ("kind.text", .text("hi")),
    ]

    static let actions: [(String, Action)] = [
        ("action.registerModel", .registerModel(registration)),
        ("action.updateModelMetadata", .updateModelMetadata(modelID, MetadataUpdate(description: "x", tags: ["a"], sizeBytes: 9))),
        ("action.transferModelOwnership", .transferModelOwnership(modelID, newOwner: owner)),
        ("action.submitProposal", .submitProposal(.text("t"))),
        ("action.vote", .vote(3, .veto)),
        ("action.executeProposal", .executeProposal(3)),
        ("action.recordUsage", .recordUsage(modelID, units: 12)),
        ("action.withdraw", .withdraw(amount: 500)),
        ("action.deprecateModel", .deprecateModel(modelID)),
        ("action.resumeModel", .resumeModel(modelID)),
    ]

    static let events: [(String, RegistryEvent)] = [
        ("event.stakeSet", .stakeSet(owner, stake: 1)),
        ("event.deposited", .deposited(owner, amount: 2, balance: 3)),
        ("event.hostUpdateRejected", .hostUpdateRejected(owner, code: .arithmeticOverflow)),
        ("event.modelRegistered", .modelRegistered(modelID, owner: owner, name: "resnet", version: "1.0")),
        ("event.modelUpdated", .modelUpdated(modelID)),
        ("event.modelStatus", .modelStatus(modelID, from: .approved, to: .active)),
        ("event.modelTransferred", .modelTransferred(modelID, from: owner, to: owner)),
        ("event.modelUsage", .modelUsage(modelID, user: owner, units: 4, fee: 5, ownerShare: 3)),
        ("event.proposalSubmitted", .proposalSubmitted(1, proposer: owner, votingEnd: 20)),
        ("event.proposalVote", .proposalVote(1, voter: owner, choice: .yes, weight: 9)),
        ("event.proposalTallied", .proposalTallied(1, status: .passed, yes: 1, no: 2, abstain: 3, veto: 4)),
        ("event.proposalExecuted", .proposalExecuted(1, status: .executionFailed, code: .executionTargetWrongStatus)),
        ("event.proposalExpired", .proposalExpired(1)),
        ("event.proposalDeposit", .proposalDeposit(1, amount: 10, burned: true)),
        ("event.scheduleFired", .scheduleFired(queue: 1, dueRound: 40, item: [0xAB], code: .ok)),
        ("event.feeCharged", .feeCharged(owner, operation: .usage, amount: 6)),
        ("event.rentCharged", .rentCharged(modelID, owner: owner, amount: 30, rounds: 10)),
        ("event.rentOverdue", .rentOverdue(modelID, graceEnds: 55)),
        ("event.withdrawal", .withdrawal(owner, amount: 7)),
        ("event.parameterChanged", .parameterChanged(.vetoBps, value: 3000)),
        ("event.feeScheduleChanged", .feeScheduleChanged(.rent)),
    ]

    static var body: TransactionBody { TransactionBody(chainID: "ai-registry-test", nonce: 4, maxFee: 1_000, action: .vote(3, .yes)) }

    static var signed: SignedTransaction {
        SignedTransaction.sign(body: body, with: try! Ed25519.KeyPair(seed: [UInt8](repeating: 7, count: 32)))
    }

    /// Every (name, bytes) pair that is pinned.
    static var all: [(String, [UInt8])] {
        var v: [(String, [UInt8])] = [
            ("modelID", modelID.bytes),
            ("model", model.canonicalBytes()),
            ("account", Account(nonce: 1, balance: 2, stake: 3).canonicalBytes()),
            ("parameters", Parameters.defaults.canonicalBytes()),
            ("proposal", proposal.canonicalBytes()),
            ("vote", Vote(choice: .no, weight: 77, round: 12).canonicalBytes()),
            ("feeStatistics", FeeStatistics(count: 2, total: 300).canonicalBytes()),
            ("feeTotals", FeeTotals(collected: 1, treasury: 2, burned: 3, ownerShares: 4, depositsHeld: 5, withdrawn: 6, deposited: 7).canonicalBytes()),
            ("registryStatistics", { var s = RegistryStatistics(); s.countsByStatus[2] = 4; s.totalSizeBytes = 9; s.registrations = 5; return s.canonicalBytes() }()),
            ("rateWindow", RateWindow(window: 3, count: 9).canonicalBytes()),
            ("stakeCheckpoint", StakeCheckpoint(1_000_000).canonicalBytes()),
            ("counter", Counter(42).canonicalBytes()),
            ("tensorShape", TensorShape([1, 3, 224, 224]).canonicalBytes()),
            ("modelRegistration", registration.canonicalBytes()),
            ("metadataUpdate", MetadataUpdate(license: "MIT", weightsHash: hash).canonicalBytes()),
            ("transactionBody", body.canonicalBytes()),
            ("signedTransaction", signed.canonicalBytes()),
            ("signBytes", SignedTransaction.signBytes(chainID: "c", bodyBytes: [1, 2])),
            ("hostUpdate.setStake", HostUpdate.setStake(owner, 5).canonicalBytes()),
            ("hostUpdate.deposit", HostUpdate.deposit(owner, 6).canonicalBytes()),
            ("roundInput", RoundInput(round: 9, timestampMillis: 1800, hostUpdates: [.deposit(owner, 1)], transactions: [[1, 2, 3]]).canonicalBytes()),
            ("transactionResult", TransactionResult(txID: hash, code: .staleNonce, feeCharged: 0, firstEvent: 2, eventCount: 1, log: "nonce").canonicalBytes()),
            ("roundOutcome", RoundOutcome(round: 9, writes: [StateWrite(key: [1], value: [2]), StateWrite(key: [3], value: nil)],
                                          results: [], events: [.proposalExpired(1)],
                                          fees: RoundFeeSummary(collected: 1, treasury: 1)).canonicalBytes()),
            ("resultCode", ResultCode.rateLimited.canonicalBytes()),
            ("key.modelByName", StateKey.modelByName(name: "resnet", version: "1.0")),
            ("key.stakeCheckpoint", StateKey.stakeCheckpoint(owner, 258)),
            ("key.dueQueue", StateKey.dueQueue(DueQueue.Kind.activation.rawValue, 40, modelID.bytes)),
        ]
        v += kinds.map { ($0.0, $0.1.canonicalBytes()) }
        v += actions.map { ($0.0, TransactionBody(chainID: "c", nonce: 0, maxFee: 1, action: $0.1).canonicalBytes()) }
        v += events.map { ($0.0, $0.1.canonicalBytes()) }
        return v
    }
}
