import Testing
@testable import RegistryCore

/// Fees (TX-6…TX-9, ADR 0005), rate limits (RL-1…RL-3) and overflow (D3).
@Suite struct FeeAndLimitTests {
    let alice = TestChain.alice, bob = TestChain.bob, dave = TestChain.dave

    @Test func adr0005FailingTransactionPaysFailedFeeOnly() throws {
        var chain = TestChain()
        let failed = try TestChain.parameters.feeTable.schedule(for: .failedTransaction).fee(units: 1).get()
        let before = chain.account(bob).balance
        chain.expectRejected(chain.tx(bob, .executeProposal(7)), by: bob, .unknownProposal)
        #expect(chain.account(bob).balance == before - failed)
        #expect(try chain.query.feeStatistics(operation: .failedTransaction) == FeeStatistics(count: 1, total: failed))
        #expect(try chain.query.feeStatistics(operation: .proposalExecution).count == 0)
    }

    @Test func adr0005FailedFeeCappedByMaxFee() throws {
        var chain = TestChain()
        // Execution fee 1_000_000 ≤ maxFee; failed fee 10_000 capped at maxFee? maxFee ≥ fee, so cap = min(10_000, maxFee).
        let r = chain.submit(chain.tx(bob, .executeProposal(7), maxFee: 1_000_000))
        #expect(r.code == .unknownProposal)
        #expect(r.feeCharged == 10_000)
    }

    @Test func statisticsByOperationAccountAndTotals() throws {
        var chain = TestChain()
        let r = chain.submit(chain.tx(alice, .registerModel(TestChain.registration())))
        #expect(try chain.query.feeStatistics(operation: .registration) == FeeStatistics(count: 1, total: r.feeCharged))
        #expect(try chain.query.feeStatistics(account: alice.account) == FeeStatistics(count: 1, total: r.feeCharged))
        #expect(try chain.query.feeStatistics(model: ModelID(name: "resnet", version: "1.0")).total == r.feeCharged)
        let totals = try chain.query.feeTotals()
        #expect(totals.collected == r.feeCharged && totals.treasury == r.feeCharged)
        #expect(chain.outcomes.last?.fees.collected == r.feeCharged)
    }

    /// Regression (IPPAN): fee arithmetic that would overflow is refused, not wrapped.
    @Test func feeOverflowIsRefusedNotWrapped() throws {
        var params = TestChain.parameters
        params.feeTable = params.feeTable.replacing(.usage, with: FeeSchedule(method: .linear(base: 0, perUnit: FeeSchedule.amountCap),
                                                                               minimum: 0, maximum: FeeSchedule.amountCap))
        var chain = TestChain(parameters: params)
        let id = chain.activeModel()
        // 10^18 × 1000 does not fit in 64 bits: the fee is computed in 128 bits and clamped to the
        // schedule's maximum, never wrapped to a small number.
        let r = chain.submit(chain.tx(bob, .recordUsage(id, units: 1_000)))
        #expect(r.code == .feeLimitExceeded)
        #expect(r.log == "fee \(FeeSchedule.amountCap) > maxFee 1000000000")
        #expect(try chain.query.model(id)?.usageCount == 0)
    }

    @Test func totalStakeOverflowIsRefusedNotWrapped() {
        var chain = TestChain()
        let out = chain.run(host: [.setStake(dave.account, UInt64.max)])
        #expect(out.events == [.hostUpdateRejected(dave.account, code: .arithmeticOverflow)])
        #expect(chain.account(dave).stake == 0)
    }

    @Test func depositOverflowIsRejectedAsHostUpdate() {
        var chain = TestChain()
        let before = chain.account(alice).balance
        let out = chain.run(host: [.deposit(alice.account, UInt64.max)])
        #expect(out.events == [.hostUpdateRejected(alice.account, code: .arithmeticOverflow)])
        #expect(chain.account(alice).balance == before)
    }

    @Test func hostUpdatesApplyFirstInOrder() {
        var chain = TestChain()
        let out = chain.run([chain.tx(dave, .withdraw(amount: 1))],
                            host: [.deposit(dave.account, 5_000_000), .setStake(dave.account, 7)])
        #expect(out.results[0].code == .ok)
        #expect(chain.account(dave).stake == 7)
        #expect(out.events.prefix(2) == [.deposited(dave.account, amount: 5_000_000, balance: 5_000_000), .stakeSet(dave.account, stake: 7)])
    }

    @Test func rl2RateLimitPerWindow() {
        var params = TestChain.parameters
        params.rateLimitMaxTransactions = 2
        params.rateLimitWindowRounds = 100
        var chain = TestChain(parameters: params)
        let out = chain.run((0..<3).map { chain.tx(bob, .withdraw(amount: 1), nonce: UInt64($0)) })
        #expect(out.results.map(\.code) == [.ok, .ok, .rateLimited])
        #expect(chain.account(bob).nonce == 2)
        chain.expectRejected(chain.tx(bob, .withdraw(amount: 1)), by: bob, .rateLimited)
        // A new window (round 100) resets the count.
        let next = chain.run([chain.tx(bob, .withdraw(amount: 1))], at: 100)
        #expect(next.results[0].code == .ok)
    }

    @Test func genesisRefusesDuplicatesAndBadParameters() {
        let a = TestChain.alice.account
        #expect(throws: Genesis.GenesisError.duplicateAccount(a)) {
            try Genesis(chainID: "c", stakes: [.init(a, 1), .init(a, 2)]).writes()
        }
        var bad = Parameters.defaults
        bad.quorumBps = 0
        #expect(throws: Genesis.GenesisError.invalidParameters) { try Genesis(chainID: "c", parameters: bad).writes() }
        #expect(throws: Genesis.GenesisError.invalidChainID) { try Genesis(chainID: "").writes() }
    }

    @Test func parameterBoundsAreEnforced() {
        for id in ParameterID.allCases {
            let b = id.bounds
            if b.upperBound < UInt64.max { #expect(Parameters.defaults.setting(id, to: b.upperBound + 1) == nil) }
            if b.lowerBound > 0 { #expect(Parameters.defaults.setting(id, to: b.lowerBound - 1) == nil) }
            #expect(id.bounds.contains(Parameters.defaults.value(of: id)), "default of \(id.name)")
        }
        #expect(Parameters.defaults.isValid)
    }
}
