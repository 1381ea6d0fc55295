import Testing
@testable import RegistryCore

/// Events (topics, per-transaction ranges) and read-side queries.
@Suite struct EventAndQueryTests {
    let alice = TestChain.alice, bob = TestChain.bob

    @Test func everyEventHasADistinctTopic() {
        let topics = GoldenVectors.events.map(\.1.topic)
        #expect(Set(topics).count == topics.count)
        #expect(topics.allSatisfy { $0.contains(".") })
    }

    @Test func transactionResultsPointAtTheirEvents() {
        var chain = TestChain()
        let out = chain.run([chain.tx(alice, .registerModel(TestChain.registration())), chain.tx(bob, .withdraw(amount: 3))],
                            host: [.deposit(bob.account, 1)])
        #expect(out.events.first?.topic == "account.deposit")
        let first = out.results[0]
        let own = out.events[Int(first.firstEvent)..<Int(first.firstEvent + first.eventCount)]
        #expect(own.map(\.topic) == ["fee.charged", "model.registered"])
        let second = out.results[1]
        #expect(second.firstEvent == first.firstEvent + first.eventCount)
        #expect(out.events[Int(second.firstEvent)..<Int(second.firstEvent + second.eventCount)].map(\.topic)
                    == ["fee.charged", "account.withdrawal"])
    }

    @Test func failedTransactionEventsAreOnlyItsFailedFee() {
        var chain = TestChain()
        let out = chain.run([chain.tx(bob, .vote(42, .yes))])
        #expect(out.results[0].code == .unknownProposal)
        #expect(out.results[0].log == "proposal 42")
        #expect(out.events == [.feeCharged(bob.account, operation: .failedTransaction, amount: out.results[0].feeCharged)])
    }

    @Test func statisticsFollowTheLifecycle() throws {
        var chain = TestChain()
        let id = chain.activeModel()
        var stats = try chain.query.statistics()
        #expect(stats.count(.active) == 1 && stats.count(.pending) == 0 && stats.count(.approved) == 0)
        #expect(stats.totalParameters == 25_000_000)
        chain.submit(chain.tx(bob, .recordUsage(id, units: 5)))
        stats = try chain.query.statistics()
        #expect(stats.usageCount == 1 && stats.usageUnits == 5)
        #expect(try chain.query.models(.status(.active), limit: 10).models.map(\.id) == [id])
        #expect(try chain.query.models(.all, limit: 10).models.map(\.id) == [id])
    }

    @Test func suspendedModelCannotBeUsedAndDroppedRentEntriesReport() throws {
        var chain = TestChain()
        let id = chain.activeModel()
        let activated = try #require(try chain.query.model(id)?.activatedAt)
        #expect(chain.submit(chain.tx(alice, .deprecateModel(id))).code == .ok)
        let out = chain.run(at: activated + 10)
        #expect(out.events.contains(.scheduleFired(queue: DueQueue.Kind.rentCollection.rawValue, dueRound: activated + 10,
                                                   item: id.bytes, code: .modelNotActive)))
        chain.expectRejected(chain.tx(bob, .recordUsage(id, units: 1)), by: bob, .modelNotActive)
        chain.expectRejected(chain.tx(alice, .resumeModel(id)), by: alice, .modelNotSuspended)
    }

    @Test func revokedModelIsImmutable() throws {
        var chain = TestChain()
        let id = chain.activeModel()
        let pid = chain.passProposal(.emergencyRevoke(id))
        chain.submit(chain.tx(bob, .executeProposal(pid)))
        #expect(try chain.query.model(id)?.status == .revoked)
        chain.expectRejected(chain.tx(alice, .updateModelMetadata(id, MetadataUpdate(description: "x"))), by: alice, .invalidStatusTransition)
        chain.expectRejected(chain.tx(alice, .deprecateModel(id)), by: alice, .invalidStatusTransition)
        chain.expectRejected(chain.tx(alice, .submitProposal(.emergencyRevoke(id))), by: alice, .proposalTargetInvalid)
    }

    @Test func proposalsAndStakeQueries() throws {
        var chain = TestChain()
        for _ in 0..<3 { chain.submit(chain.tx(alice, .submitProposal(.text("p")))) }
        #expect(try chain.query.proposals(limit: 2).map(\.id) == [1, 2])
        #expect(try chain.query.proposals(after: 2, limit: 10).map(\.id) == [3])
        chain.run(host: [.setStake(bob.account, 5)])
        let changed = chain.round
        #expect(try chain.query.stake(of: bob.account, at: changed - 1) == 1_000_000)
        #expect(try chain.query.stake(of: bob.account, at: changed) == 5)
        #expect(try chain.query.stake(of: TestChain.dave.account, at: changed) == 0)
    }

    @Test func missingParametersIsAnInfrastructureError() {
        let executor = RoundExecutor(chainID: "x")
        #expect(throws: StateError.self) { try executor.execute(RoundInput(round: 1, timestampMillis: 0), state: MemoryState()) }
    }
}
