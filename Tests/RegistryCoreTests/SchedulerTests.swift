import Testing
@testable import RegistryCore

/// Docs/spec/scheduler.md SCH-1…SCH-6 and ADR 0006 (rent).
@Suite struct SchedulerTests {
    let alice = TestChain.alice, bob = TestChain.bob, carol = TestChain.carol

    /// Regression (IPPAN): activations due in skipped rounds fire (SCH-3).
    @Test func sch3ActivationDueInSkippedRoundsFires() throws {
        var chain = TestChain()
        chain.submit(chain.tx(alice, .registerModel(TestChain.registration())))
        let id = ModelID(name: "resnet", version: "1.0")
        let pid = chain.passProposal(.approveModel(id, activationRound: 40))
        chain.submit(chain.tx(bob, .executeProposal(pid)))
        #expect(try chain.query.model(id)?.status == .approved)
        let out = chain.run(at: 100)  // rounds 20…99 never executed
        #expect(try chain.query.model(id)?.status == .active)
        #expect(try chain.query.model(id)?.activatedAt == 100)
        #expect(out.events.contains(.modelStatus(id, from: .approved, to: .active)))
        #expect(out.events.contains(.scheduleFired(queue: DueQueue.Kind.activation.rawValue, dueRound: 40, item: id.bytes, code: .ok)))
    }

    /// SCH-2, D7: at most maxScheduledItemsPerRound per round; the rest carries over, oldest first then by id.
    @Test func sch2BoundedPerRoundWithCarryOver() throws {
        var params = TestChain.parameters
        params.maxScheduledItemsPerRound = 2
        params.maxOpenProposalsPerProposer = 10
        var chain = TestChain(parameters: params)
        let names = ["m0", "m1", "m2", "m3", "m4"]
        var txs: [[UInt8]] = []
        for (i, n) in names.enumerated() { txs.append(chain.tx(alice, .registerModel(TestChain.registration(n)), nonce: UInt64(i))) }
        chain.run(txs)
        let ids = names.map { ModelID(name: $0, version: "1.0") }
        txs = []
        for (i, id) in ids.enumerated() {
            // m4 activates first (round 60), the others at round 70.
            txs.append(chain.tx(alice, .submitProposal(.approveModel(id, activationRound: i == 4 ? 60 : 70)), nonce: UInt64(5 + i)))
        }
        #expect(chain.run(txs).results.allSatisfy { $0.code == .ok })
        txs = []
        for key in [alice, bob, carol] {
            let n = chain.account(key).nonce
            for p in 1...5 { txs.append(chain.tx(key, .vote(ProposalID(p), .yes), nonce: n + UInt64(p - 1))) }
        }
        #expect(chain.run(txs).results.allSatisfy { $0.code == .ok })
        let end = try chain.query.proposal(1)!.votingEnd
        chain.runToRound(end)
        // Five tallies due at `end`, two per round: the carry-over takes three rounds.
        #expect(try (1...5).filter { try chain.query.proposal(ProposalID($0))?.status == .passed }.count == 2)
        chain.runToRound(end + 2)
        #expect(try (1...5).allSatisfy { try chain.query.proposal(ProposalID($0))?.status == .passed })
        let n = chain.account(bob).nonce
        #expect(chain.run((1...5).map { chain.tx(bob, .executeProposal(ProposalID($0)), nonce: n + UInt64($0 - 1)) })
            .results.allSatisfy { $0.code == .ok })
        // Round 100: everything is due; 2 per round, oldest (m4 at 60) first, then by id.
        let first = chain.run(at: 100)
        let fired = first.events.compactMap { e -> [UInt8]? in
            if case .scheduleFired(let q, _, let item, _) = e, q == DueQueue.Kind.activation.rawValue { return item } else { return nil }
        }
        let rest = ids[0..<4].sorted()
        #expect(fired == [ids[4].bytes, rest[0].bytes])
        chain.run(); chain.run()
        #expect(try ids.allSatisfy { try chain.query.model($0)?.status == .active })
    }

    /// ADR 0006: unpaid rent opens a grace period, then suspends; deposit + resume restores Active.
    @Test func rentGraceSuspendAndResume() throws {
        var chain = TestChain()
        let id = chain.activeModel()
        let activated = try #require(try chain.query.model(id)?.activatedAt)
        // Alice empties her fee account (withdrawal fee is charged first).
        let withdrawFee = try TestChain.parameters.feeTable.schedule(for: .withdrawal).fee(units: 1).get()
        let balance = chain.account(alice).balance
        #expect(chain.submit(chain.tx(alice, .withdraw(amount: balance - withdrawFee))).code == .ok)
        #expect(chain.account(alice).balance == 0)
        chain.runToRound(activated + 10)
        let model = try #require(try chain.query.model(id))
        #expect(model.status == .active)
        #expect(model.rentGraceEnds == activated + 15)
        chain.runToRound(activated + 15)
        #expect(try chain.query.model(id)?.status == .suspended)
        #expect(try chain.query.statistics().count(.suspended) == 1)
        chain.expectRejected(chain.tx(bob, .resumeModel(id)), by: bob, .notModelOwner)
        chain.run(host: [.deposit(alice.account, 10_000_000)])
        let r = chain.submit(chain.tx(alice, .resumeModel(id)))
        #expect(r.code == .ok, "\(r.log)")
        let resumed = try #require(try chain.query.model(id))
        #expect(resumed.status == .active && resumed.rentGraceEnds == nil && resumed.rentPaidThrough == chain.round)
        #expect(try chain.query.feeStatistics(operation: .rent).count == 1)
    }

    @Test func rentIsChargedEachPeriod() throws {
        var chain = TestChain()
        let id = chain.activeModel()
        let activated = try #require(try chain.query.model(id)?.activatedAt)
        let before = chain.account(alice).balance
        let out = chain.run(at: activated + 10)
        // 3 MiB × 10 rounds = 30 units at 1 base unit each.
        #expect(out.events.contains(.rentCharged(id, owner: alice.account, amount: 30, rounds: 10)))
        #expect(chain.account(alice).balance == before - 30)
        #expect(try chain.query.model(id)?.rentPaidThrough == activated + 10)
    }

    @Test func sch5DeprecationProposalSchedulesDeactivation() throws {
        var chain = TestChain()
        let id = chain.activeModel()
        let pid = chain.passProposal(.deprecateModel(id, round: chain.round + 30))
        #expect(chain.submit(chain.tx(bob, .executeProposal(pid))).code == .ok)
        #expect(try chain.query.model(id)?.status == .active)
        chain.runToRound(chain.round + 30)
        #expect(try chain.query.model(id)?.status == .deprecated)
    }
}
