import Testing
@testable import RegistryCore

/// Docs/spec/governance.md GOV-1…GOV-14, including regressions of the IPPAN crate's defects.
@Suite struct GovernanceTests {
    let alice = TestChain.alice, bob = TestChain.bob, carol = TestChain.carol, dave = TestChain.dave

    mutating func pendingModel(_ chain: inout TestChain) -> ModelID {
        #expect(chain.submit(chain.tx(alice, .registerModel(TestChain.registration()))).code == .ok)
        return ModelID(name: "resnet", version: "1.0")
    }

    @Test mutating func gov1ProposerNeedsMinimumStake() {
        var chain = TestChain(balances: [(TestChain.alice, 10_000_000_000), (TestChain.dave, 10_000_000_000)])
        let id = pendingModel(&chain)
        chain.expectRejected(chain.tx(dave, .submitProposal(.approveModel(id, activationRound: 0))), by: dave, .insufficientProposerStake)
    }

    @Test mutating func gov3DepositTakenThenRefundedOnPass() throws {
        var chain = TestChain()
        let id = pendingModel(&chain)
        let before = chain.account(alice).balance
        let r = chain.submit(chain.tx(alice, .submitProposal(.approveModel(id, activationRound: 0))))
        #expect(r.code == .ok)
        #expect(chain.account(alice).balance == before - r.feeCharged - 1_000)
        #expect(try chain.query.feeTotals().depositsHeld == 1_000)
        let balanceAfterSubmit = chain.account(alice).balance
        let vote = chain.submit(chain.tx(alice, .vote(1, .yes)))
        chain.run([chain.tx(bob, .vote(1, .yes))])
        chain.runToRound(try chain.query.proposal(1)!.votingEnd)
        #expect(try chain.query.proposal(1)?.status == .passed)
        #expect(chain.account(alice).balance == balanceAfterSubmit - vote.feeCharged + 1_000)
        #expect(try chain.query.feeTotals().depositsHeld == 0)
    }

    @Test mutating func gov3DepositBurnedWhenQuorumMissed() throws {
        var chain = TestChain()
        let id = pendingModel(&chain)
        chain.submit(chain.tx(alice, .submitProposal(.rejectModel(id))))
        chain.runToRound(try chain.query.proposal(1)!.votingEnd)
        #expect(try chain.query.proposal(1)?.status == .rejectedQuorum)
        #expect(try chain.query.feeTotals().burned == 1_000)
    }

    @Test mutating func gov3VetoBurnsDeposit() throws {
        var chain = TestChain()
        let id = pendingModel(&chain)
        chain.submit(chain.tx(alice, .submitProposal(.rejectModel(id))))
        chain.run([chain.tx(alice, .vote(1, .veto)), chain.tx(bob, .vote(1, .yes))])
        chain.runToRound(try chain.query.proposal(1)!.votingEnd)
        #expect(try chain.query.proposal(1)?.status == .vetoed)
        #expect(try chain.query.feeTotals().burned == 1_000)
    }

    /// Regression (IPPAN): repeated votes must not pile up weight.
    @Test mutating func gov5RepeatedVotesReplaceNotAccumulate() throws {
        var chain = TestChain()
        let id = pendingModel(&chain)
        chain.submit(chain.tx(alice, .submitProposal(.approveModel(id, activationRound: 0))))
        for _ in 0..<3 { #expect(chain.submit(chain.tx(bob, .vote(1, .yes))).code == .ok) }
        var p = try #require(try chain.query.proposal(1))
        #expect(p.tally == TallyCounts(yes: 1_000_000, no: 0, abstain: 0, veto: 0))
        chain.submit(chain.tx(bob, .vote(1, .no)))
        p = try #require(try chain.query.proposal(1))
        #expect(p.tally == TallyCounts(yes: 0, no: 1_000_000, abstain: 0, veto: 0))
        #expect(try chain.query.vote(1, voter: bob.account)?.choice == VoteChoice.no)
    }

    /// Regression (IPPAN): the first vote does not decide; the tally happens at the deadline only.
    @Test mutating func gov7FirstVoteDoesNotDecide() throws {
        var chain = TestChain()
        let id = pendingModel(&chain)
        chain.submit(chain.tx(alice, .submitProposal(.approveModel(id, activationRound: 0))))
        chain.submit(chain.tx(alice, .vote(1, .yes)))
        #expect(try chain.query.proposal(1)?.status == .voting)
        let end = try chain.query.proposal(1)!.votingEnd
        chain.runToRound(end - 1)
        #expect(try chain.query.proposal(1)?.status == .voting)
        chain.run()
        #expect(try chain.query.proposal(1)?.status == .passed)
    }

    /// GOV-4: stake acquired after the snapshot does not vote.
    @Test mutating func gov4SnapshotAtSubmission() throws {
        var chain = TestChain()
        let id = pendingModel(&chain)
        chain.submit(chain.tx(alice, .submitProposal(.approveModel(id, activationRound: 0))))
        chain.run(host: [.setStake(dave.account, 5_000_000), .deposit(dave.account, 1_000_000)])
        chain.expectRejected(chain.tx(dave, .vote(1, .no)), by: dave, .noVotingPower)
        // Bob's stake drops after the snapshot: his weight stays the snapshot's.
        chain.run(host: [.setStake(bob.account, 1)])
        chain.submit(chain.tx(bob, .vote(1, .yes)))
        #expect(try chain.query.vote(1, voter: bob.account)?.weight == 1_000_000)
    }

    /// Regression (IPPAN): execution before the voting deadline is refused; a second execution is refused.
    @Test mutating func gov8and9ExecutionTimingAndOnce() throws {
        var chain = TestChain()
        let id = pendingModel(&chain)
        chain.submit(chain.tx(alice, .submitProposal(.approveModel(id, activationRound: 0))))
        chain.run([chain.tx(alice, .vote(1, .yes)), chain.tx(bob, .vote(1, .yes))])
        chain.expectRejected(chain.tx(carol, .executeProposal(1)), by: carol, .proposalNotTallied)
        chain.runToRound(try chain.query.proposal(1)!.votingEnd)
        #expect(chain.submit(chain.tx(carol, .executeProposal(1))).code == .ok)
        #expect(try chain.query.proposal(1)?.status == .executed)
        // Activation round 0 is past: it fires at the end of the execution round (SCH-4).
        #expect(try chain.query.model(id)?.status == .active)
        chain.expectRejected(chain.tx(carol, .executeProposal(1)), by: carol, .proposalAlreadyExecuted)
        chain.expectRejected(chain.tx(carol, .executeProposal(99)), by: carol, .unknownProposal)
    }

    @Test mutating func gov8RejectedProposalCannotExecute() throws {
        var chain = TestChain()
        let id = pendingModel(&chain)
        chain.submit(chain.tx(alice, .submitProposal(.approveModel(id, activationRound: 0))))
        chain.run([chain.tx(alice, .vote(1, .no)), chain.tx(bob, .vote(1, .yes))])
        chain.runToRound(try chain.query.proposal(1)!.votingEnd)
        #expect(try chain.query.proposal(1)?.status == .rejected)
        chain.expectRejected(chain.tx(carol, .executeProposal(1)), by: carol, .proposalNotPassed)
    }

    @Test mutating func gov10PassedButNotExecutedExpires() throws {
        var chain = TestChain()
        let id = pendingModel(&chain)
        let pid = chain.passProposal(.approveModel(id, activationRound: 0))
        chain.runToRound(try chain.query.proposal(pid)!.executionDeadline + 1)
        #expect(try chain.query.proposal(pid)?.status == .expired)
        chain.expectRejected(chain.tx(carol, .executeProposal(pid)), by: carol, .proposalExpired)
    }

    @Test mutating func gov11FailedExecutionIsRecordedNotHalted() throws {
        var chain = TestChain()
        let id = pendingModel(&chain)
        let out = chain.run([chain.tx(alice, .submitProposal(.approveModel(id, activationRound: 0)), nonce: 1),
                             chain.tx(alice, .submitProposal(.rejectModel(id)), nonce: 2)])
        #expect(out.results.map(\.code) == [.ok, .ok])
        let (approve, reject): (ProposalID, ProposalID) = (1, 2)
        var votes: [[UInt8]] = []
        for key in [alice, bob, carol] {
            let n = chain.account(key).nonce
            votes += [chain.tx(key, .vote(approve, .yes), nonce: n), chain.tx(key, .vote(reject, .yes), nonce: n + 1)]
        }
        #expect(chain.run(votes).results.allSatisfy { $0.code == .ok })
        chain.runToRound(try chain.query.proposal(reject)!.votingEnd)
        #expect(chain.submit(chain.tx(carol, .executeProposal(reject))).code == .ok)
        #expect(try chain.query.model(id)?.status == .rejected)
        let r = chain.submit(chain.tx(carol, .executeProposal(approve)))
        #expect(r.code == .ok)
        let p = try #require(try chain.query.proposal(approve))
        #expect(p.status == .executionFailed)
        #expect(p.failureCode == ResultCode.executionTargetWrongStatus.rawValue)
    }

    @Test mutating func gov2OpenProposalCap() {
        var chain = TestChain()
        let id = pendingModel(&chain)
        for _ in 0..<3 { #expect(chain.submit(chain.tx(alice, .submitProposal(.text("hello")))).code == .ok) }
        chain.expectRejected(chain.tx(alice, .submitProposal(.rejectModel(id))), by: alice, .tooManyOpenProposals)
    }

    @Test mutating func gov12And13ParameterAndFeeChanges() throws {
        var chain = TestChain()
        chain.expectRejected(chain.tx(alice, .submitProposal(.changeParameter(.quorumBps, 20_000))), by: alice, .parameterOutOfBounds)
        chain.expectRejected(chain.tx(alice, .submitProposal(.text(""))), by: alice, .invalidProposalText)
        let pid = chain.passProposal(.changeParameter(.rateLimitMaxTransactions, 7))
        #expect(chain.submit(chain.tx(carol, .executeProposal(pid))).code == .ok)
        #expect(try chain.query.parameters().rateLimitMaxTransactions == 7)
    }

    @Test mutating func gov12FeeScheduleChangeWithinTwentyPercent() throws {
        var chain = TestChain()
        let current = TestChain.parameters.feeTable.schedule(for: .registration)
        var tooBig = current
        tooBig.method = .linear(base: 100_000_000, perUnit: 1_000_000)
        chain.expectRejected(chain.tx(alice, .submitProposal(.changeFeeSchedule(.registration, tooBig))), by: alice,
                             .invalidFeeScheduleChange)
        var modest = current
        modest.method = .linear(base: 11_000_000, perUnit: 1_000_000)
        let pid = chain.passProposal(.changeFeeSchedule(.registration, modest))
        #expect(chain.submit(chain.tx(carol, .executeProposal(pid))).code == .ok)
        #expect(try chain.query.parameters().feeTable.schedule(for: .registration) == modest)
        // GOV-14: the new fee applies from the next round.
        let r = chain.submit(chain.tx(bob, .registerModel(TestChain.registration())))
        #expect(r.feeCharged == 11_000_000 + 3 * 1_000_000)
    }

    @Test mutating func emergencyRevokeUsesEmergencyThreshold() throws {
        var chain = TestChain()
        let id = chain.activeModel()
        // 2M yes of 4M total voting; no 1M → 66.7% < 75%: rejected.
        chain.submit(chain.tx(alice, .submitProposal(.emergencyRevoke(id))))
        let pid = try chain.query.proposal(3) != nil ? ProposalID(3) : ProposalID(2)
        chain.run([chain.tx(alice, .vote(pid, .yes)), chain.tx(bob, .vote(pid, .no))])
        chain.runToRound(try chain.query.proposal(pid)!.votingEnd)
        #expect(try chain.query.proposal(pid)?.status == .rejected)
        let revoke = chain.passProposal(.emergencyRevoke(id))
        #expect(chain.submit(chain.tx(bob, .executeProposal(revoke))).code == .ok)
        #expect(try chain.query.model(id)?.status == .revoked)
    }

    @Test mutating func votingAfterDeadlineIsRefused() throws {
        var chain = TestChain()
        chain.submit(chain.tx(alice, .submitProposal(.text("t"))))
        chain.runToRound(try chain.query.proposal(1)!.votingEnd)
        chain.expectRejected(chain.tx(bob, .vote(1, .yes)), by: bob, .votingClosed)
    }
}
