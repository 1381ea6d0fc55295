import Sodium
import Testing
@testable import RegistryCore

/// Docs/spec/lifecycle.md LC-1…LC-9.
@Suite struct ModelLifecycleTests {
    let alice = TestChain.alice, bob = TestChain.bob

    @Test func lc1RegistrationCreatesPendingModelWithIndexes() throws {
        var chain = TestChain()
        let r = TestChain.registration()
        #expect(chain.submit(chain.tx(alice, .registerModel(r))).code == .ok)
        let id = ModelID(name: "resnet", version: "1.0")
        let model = try #require(try chain.query.model(id))
        #expect(model.status == .pending)
        #expect(model.owner == alice.account)
        #expect(model.registeredAt == 1)
        #expect(try chain.query.models(.status(.pending), limit: 10).models.map(\.id) == [id])
        #expect(try chain.query.models(.owner(alice.account), limit: 10).models.map(\.id) == [id])
        #expect(try chain.query.models(.category("vision"), limit: 10).models.map(\.id) == [id])
        #expect(try chain.query.models(.tag("cnn"), limit: 10).models.map(\.id) == [id])
        #expect(try chain.query.models(.namePrefix("res"), limit: 10).models.map(\.id) == [id])
        #expect(try chain.query.models(.namePrefix("x"), limit: 10).models.isEmpty)
        let stats = try chain.query.statistics()
        #expect(stats.count(.pending) == 1 && stats.registrations == 1 && stats.totalSizeBytes == r.sizeBytes)
    }

    @Test func lc3SameNameAndVersionTwiceIsRefusedNewVersionAllowed() {
        var chain = TestChain()
        chain.submit(chain.tx(alice, .registerModel(TestChain.registration())))
        chain.expectRejected(chain.tx(bob, .registerModel(TestChain.registration())), by: bob, .modelAlreadyExists)
        #expect(chain.submit(chain.tx(bob, .registerModel(TestChain.registration(version: "2.0")))).code == .ok)
    }

    @Test(arguments: [
        ("", ResultCode.invalidModelName), ("-bad", .invalidModelName), ("has space", .invalidModelName),
        (String(repeating: "a", count: 65), .malformedBody),  // over the decode limit: envelope
    ])
    func lc4InvalidNamesAreRefused(name: String, code: ResultCode) {
        var chain = TestChain()
        chain.expectRejected(chain.tx(alice, .registerModel(TestChain.registration(name))), by: alice, code)
    }

    @Test func lc4FieldLimitsAreEnforced() {
        var chain = TestChain()
        var r = TestChain.registration()
        r.version = "v 1"; chain.expectRejected(chain.tx(alice, .registerModel(r)), by: alice, .invalidModelVersion)
        r = TestChain.registration(); r.sizeBytes = 0
        chain.expectRejected(chain.tx(alice, .registerModel(r)), by: alice, .invalidModelSize)
        r.sizeBytes = Limits.maxModelSizeBytes + 1
        chain.expectRejected(chain.tx(alice, .registerModel(r)), by: alice, .invalidModelSize)
        r = TestChain.registration(); r.parameterCount = 1_000_000_001
        chain.expectRejected(chain.tx(alice, .registerModel(r)), by: alice, .invalidParameterCount)
        r = TestChain.registration(); r.description = "bell\u{07}"
        chain.expectRejected(chain.tx(alice, .registerModel(r)), by: alice, .invalidTextField)
        r = TestChain.registration(); r.sourceURI = "ftp://x"
        chain.expectRejected(chain.tx(alice, .registerModel(r)), by: alice, .invalidSourceURI)
        r.sourceURI = "ipfs://bafy"
        r.tags = ["Upper"]
        chain.expectRejected(chain.tx(alice, .registerModel(r)), by: alice, .invalidTags)
        r.tags = ["a", "a"]
        chain.expectRejected(chain.tx(alice, .registerModel(r)), by: alice, .invalidTags)
        r.tags = ["ok"]; r.inputShape = TensorShape([])
        chain.expectRejected(chain.tx(alice, .registerModel(r)), by: alice, .invalidShape)
        r.inputShape = TensorShape([1]); r.outputShape = TensorShape([Limits.maxShapeDim + 1])
        chain.expectRejected(chain.tx(alice, .registerModel(r)), by: alice, .invalidShape)
        r.outputShape = TensorShape([1])
        #expect(chain.submit(chain.tx(alice, .registerModel(r))).code == .ok)
    }

    @Test func lc5UpdateIsOwnerOnlyAndMaintainsIndexes() throws {
        var chain = TestChain()
        chain.submit(chain.tx(alice, .registerModel(TestChain.registration())))
        let id = ModelID(name: "resnet", version: "1.0")
        chain.expectRejected(chain.tx(bob, .updateModelMetadata(id, MetadataUpdate(description: "x"))), by: bob, .notModelOwner)
        chain.expectRejected(chain.tx(alice, .updateModelMetadata(ModelID(name: "nope", version: "1"), MetadataUpdate(description: "x"))),
                             by: alice, .unknownModel)
        chain.expectRejected(chain.tx(alice, .updateModelMetadata(id, MetadataUpdate())), by: alice, .emptyUpdate)
        #expect(chain.submit(chain.tx(alice, .updateModelMetadata(id, MetadataUpdate(tags: ["nlp"], category: "text")))).code == .ok)
        #expect(try chain.query.models(.tag("cnn"), limit: 10).models.isEmpty)
        #expect(try chain.query.models(.tag("nlp"), limit: 10).models.map(\.id) == [id])
        #expect(try chain.query.models(.category("vision"), limit: 10).models.isEmpty)
        #expect(try chain.query.models(.category("text"), limit: 10).models.map(\.id) == [id])
    }

    @Test func lc6FrozenFieldsAfterApproval() throws {
        var chain = TestChain()
        let id = chain.activeModel()
        chain.expectRejected(chain.tx(alice, .updateModelMetadata(id, MetadataUpdate(sizeBytes: 5))), by: alice, .modelFieldFrozen)
        #expect(chain.submit(chain.tx(alice, .updateModelMetadata(id, MetadataUpdate(description: "new")))).code == .ok)
        #expect(try chain.query.model(id)?.description == "new")
    }

    @Test func lc7TransferMovesOwnerIndex() throws {
        var chain = TestChain()
        chain.submit(chain.tx(alice, .registerModel(TestChain.registration())))
        let id = ModelID(name: "resnet", version: "1.0")
        chain.expectRejected(chain.tx(alice, .transferModelOwnership(id, newOwner: alice.account)), by: alice, .sameOwner)
        chain.expectRejected(chain.tx(bob, .transferModelOwnership(id, newOwner: bob.account)), by: bob, .notModelOwner)
        #expect(chain.submit(chain.tx(alice, .transferModelOwnership(id, newOwner: bob.account))).code == .ok)
        #expect(try chain.query.models(.owner(alice.account), limit: 10).models.isEmpty)
        #expect(try chain.query.models(.owner(bob.account), limit: 10).models.map(\.id) == [id])
    }

    @Test func lc2TransitionTableRejectsInvalidMoves() {
        #expect(ModelStatus.pending.canTransition(to: .approved))
        #expect(!ModelStatus.pending.canTransition(to: .active))
        #expect(!ModelStatus.revoked.canTransition(to: .active))
        #expect(!ModelStatus.deprecated.canTransition(to: .active))
        for status in ModelStatus.allCases where status != .revoked { #expect(status.canTransition(to: .revoked)) }
        var chain = TestChain()
        chain.submit(chain.tx(alice, .registerModel(TestChain.registration())))
        let id = ModelID(name: "resnet", version: "1.0")
        // Pending cannot be deprecated by its owner.
        chain.expectRejected(chain.tx(alice, .deprecateModel(id)), by: alice, .invalidStatusTransition)
    }

    @Test func lc8OwnerDeprecatesActiveModel() throws {
        var chain = TestChain()
        let id = chain.activeModel()
        #expect(try chain.query.model(id)?.status == .active)
        #expect(chain.submit(chain.tx(alice, .deprecateModel(id))).code == .ok)
        #expect(try chain.query.model(id)?.status == .deprecated)
        #expect(try chain.query.statistics().count(.deprecated) == 1)
        #expect(try chain.query.statistics().count(.active) == 0)
    }

    @Test func lc9UsageSplitsFeeBetweenOwnerAndTreasury() throws {
        var chain = TestChain()
        let id = chain.activeModel()
        let ownerBefore = chain.account(alice).balance
        let result = chain.submit(chain.tx(bob, .recordUsage(id, units: 100)))
        #expect(result.code == .ok)
        let share = CheckedMath.mulDiv(result.feeCharged, TestChain.parameters.usageOwnerShareBps, 10_000)!
        #expect(chain.account(alice).balance == ownerBefore + share)
        let model = try #require(try chain.query.model(id))
        #expect(model.usageCount == 1 && model.usageUnits == 100 && model.usageFees == result.feeCharged)
        #expect(try chain.query.feeStatistics(model: id).total >= result.feeCharged)
        #expect(try chain.query.feeStatistics(operation: .usage) == FeeStatistics(count: 1, total: result.feeCharged))
        chain.expectRejected(chain.tx(bob, .recordUsage(id, units: 0)), by: bob, .invalidUsageUnits)
    }

    @Test func usageOfPendingModelIsRefused() {
        var chain = TestChain()
        chain.submit(chain.tx(alice, .registerModel(TestChain.registration())))
        chain.expectRejected(chain.tx(bob, .recordUsage(ModelID(name: "resnet", version: "1.0"), units: 1)), by: bob, .modelNotActive)
    }

    @Test func withdrawEmitsEventAndRefusesOverdraw() {
        var chain = TestChain()
        let out = chain.run([chain.tx(bob, .withdraw(amount: 500))])
        #expect(out.results[0].code == .ok)
        #expect(out.events.contains(.withdrawal(bob.account, amount: 500)))
        chain.expectRejected(chain.tx(bob, .withdraw(amount: 1_000_000_000_000)), by: bob, .invalidWithdrawalAmount)
    }

    @Test func paginationWalksAllModelsInKeyOrder() throws {
        var chain = TestChain()
        var txs: [[UInt8]] = []
        for i in 0..<7 { txs.append(chain.tx(alice, .registerModel(TestChain.registration("m\(i)")), nonce: UInt64(i))) }
        #expect(chain.run(txs).results.allSatisfy { $0.code == .ok })
        var cursor: [UInt8]? = nil
        var names: [String] = []
        repeat {
            let page = try chain.query.models(.namePrefix("m"), after: cursor, limit: 3)
            names += page.models.map(\.name)
            cursor = page.nextCursor
        } while cursor != nil
        #expect(names == (0..<7).map { "m\($0)" })
        let byStatus = try chain.query.models(.status(.pending), limit: 500).models.map(\.id)
        #expect(byStatus == byStatus.sorted())
    }
}
