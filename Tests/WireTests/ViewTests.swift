import Foundation
import RegistryCore
import Sodium
import Testing
@testable import Wire

/// The decoded views returned beside canonical bytes by the query endpoint.
@Suite struct ViewTests {
    static let owner = AccountID(Digest256(bytes: [UInt8](repeating: 4, count: 32))!)

    @Test func modelView() {
        let id = ModelID(name: "bert", version: "2")
        let model = Model(id: id, name: "bert", version: "2", owner: Self.owner, weightsHash: Blake2b.hash256([1]),
                          sizeBytes: 1_024, parameterCount: 110, architecture: "transformer", format: "onnx",
                          category: "nlp", license: "MIT", sourceURI: "https://example.org/bert", description: "d",
                          tags: ["nlp", "bert"], inputShape: TensorShape([0, 128]), outputShape: TensorShape([0, 2]),
                          status: .active, registeredAt: 3, updatedAt: 4, activatedAt: 5, rentPaidThrough: 6)
        let view = AiRegistry_V1_Model(model)
        #expect(view.id == Data(id.bytes))
        #expect(view.owner == Data(Self.owner.bytes))
        #expect(view.status == "active")
        #expect(view.sourceUri == "https://example.org/bert")
        #expect(view.description_p == "d")
        #expect(view.tags == ["nlp", "bert"])
        #expect(view.inputShape.dimensions == [0, 128])
        #expect(view.hasActivatedAt && view.activatedAt == 5)
        #expect(!view.hasRentGraceEnds)
        #expect(view.rentPaidThrough == 6)
    }

    @Test func proposalView() {
        let proposal = Proposal(id: 3, proposer: Self.owner, kind: .text("hello"), status: .voting, submittedAt: 10,
                                votingEnd: 20, executionDeadline: 30, deposit: 100,
                                tally: TallyCounts(yes: 1, no: 2, abstain: 3, veto: 4), totalEligible: 50)
        let view = AiRegistry_V1_Proposal(proposal)
        #expect(view.kind == "text")
        #expect(view.text == "hello")
        #expect(view.kindData == Data(ProposalKind.text("hello").canonicalBytes()))
        #expect(!view.hasModelID)
        #expect(view.tally.veto == 4)
        #expect(view.status == "voting")
        #expect(!view.hasDecidedAt)

        let model = ModelID(name: "m", version: "1")
        let approve = Proposal(id: 4, proposer: Self.owner, kind: .approveModel(model, activationRound: 99), status: .passed,
                               submittedAt: 1, votingEnd: 2, executionDeadline: 3, deposit: 0, tally: .zero, totalEligible: 0,
                               decidedAt: 2)
        let approveView = AiRegistry_V1_Proposal(approve)
        #expect(approveView.kind == "approveModel")
        #expect(approveView.modelID == Data(model.bytes))
        #expect(approveView.decidedAt == 2)
        #expect(approveView.text.isEmpty)
    }

    @Test func voteAndAccountViews() {
        let vote = AiRegistry_V1_Vote(proposalID: 7, voter: Self.owner, vote: Vote(choice: .veto, weight: 9, round: 11))
        #expect(vote.choice == "veto")
        #expect(vote.weight == 9)
        #expect(vote.voter == Data(Self.owner.bytes))
        let account = AiRegistry_V1_Account(id: Self.owner, account: Account(nonce: 1, balance: 2, stake: 3))
        #expect(account.nonce == 1 && account.balance == 2 && account.stake == 3)
    }

    @Test func parametersView() {
        let view = AiRegistry_V1_Parameters(.defaults)
        #expect(view.values.map(\.name) == ParameterID.allCases.map(\.name))
        #expect(view.values.first { $0.name == "quorumBps" }?.value == Parameters.defaults.quorumBps)
        #expect(view.fees.count == Parameters.defaults.feeTable.entries.count)
        for (fee, entry) in zip(view.fees, Parameters.defaults.feeTable.entries) {
            #expect(fee.operation == entry.operation.description)
            #expect(fee.schedule == Data(entry.schedule.canonicalBytes()))
            #expect(fee.description_p.contains("clamped to ["))
        }
        #expect(FeeScheduleText.describe(FeeSchedule(method: .linear(base: 1000, perUnit: 10), minimum: 0, maximum: 1_000_000))
                == "linear(base: 1000, perUnit: 10) clamped to [0, 1000000]")
    }

    @Test func statisticsViews() {
        var statistics = RegistryStatistics()
        statistics.countsByStatus[Int(ModelStatus.active.rawValue) - 1] = 5
        statistics.registrations = 8
        let view = AiRegistry_V1_RegistryStatistics(statistics)
        #expect(view.modelsByStatus.count == ModelStatus.allCases.count)
        #expect(view.modelsByStatus["active"] == 5)
        #expect(view.modelsByStatus["pending"] == 0)
        #expect(view.registrations == 8)
        let totals = AiRegistry_V1_FeeTotals(FeeTotals(collected: 1, treasury: 2, burned: 3, ownerShares: 4, depositsHeld: 5, withdrawn: 6, deposited: 7))
        #expect([totals.collected, totals.treasury, totals.burned, totals.ownerShares, totals.depositsHeld, totals.withdrawn, totals.deposited] == [1, 2, 3, 4, 5, 6, 7])
        let perOperation = AiRegistry_V1_OperationFeeStatistics(operation: .vote, statistics: FeeStatistics(count: 2, total: 30))
        #expect(perOperation.operation == "vote")
        #expect(perOperation.statistics.total == 30)
    }
}
