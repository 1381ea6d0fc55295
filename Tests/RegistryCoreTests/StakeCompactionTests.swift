import Testing
@testable import RegistryCore
import RegistryWorkload

/// GOV-15 (ADR 0026): stake checkpoints below the oldest Voting proposal's snapshot are compacted, a
/// bounded number per `setStake`, without changing any read at a round that can still be asked for.
@Suite struct StakeCompactionTests {
    /// The uncompacted history: every value ever set, by round.
    struct Reference {
        var stakes: [[UInt8]: [(Round, Amount)]] = [:]
        var totals: [(Round, Amount)] = []

        static func value(_ history: [(Round, Amount)], at round: Round) -> Amount {
            history.last(where: { $0.0 <= round })?.1 ?? 0
        }
        static func set(_ history: inout [(Round, Amount)], _ round: Round, _ amount: Amount) {
            if history.last?.0 == round { history.removeLast() }
            history.append((round, amount))
        }
        mutating func setStake(_ account: AccountID, _ amount: Amount, at round: Round) {
            var h = stakes[account.bytes] ?? []
            Reference.set(&h, round, amount)
            stakes[account.bytes] = h
            let total = stakes.values.reduce(UInt64(0)) { $0 + Reference.value($1, at: round) }
            Reference.set(&totals, round, total)
        }
    }

    static let keys = [TestChain.alice, TestChain.bob, TestChain.carol, TestChain.dave]

    /// The total stake at `round` as the executor reads it (latest 0x13 checkpoint at or before it).
    static func totalStake(_ state: MemoryState, at round: Round) throws -> Amount {
        let rows = try state.scan(from: StateKey.totalStakeCheckpoint(0), to: StateKey.totalStakeCheckpoint(round + 1),
                                  reverse: true, limit: 1)
        guard let row = rows.first else { return 0 }
        return try StakeCheckpoint(canonicalBytes: row.value).amount
    }

    static func checkpointCount(_ state: MemoryState, _ account: AccountID) throws -> Int {
        try state.scan(prefix: StateKey.key(.stakeCheckpoint) { $0.write(account.raw) }, limit: 10_000).count
    }

    static func totalCheckpointCount(_ state: MemoryState) throws -> Int {
        try state.scan(prefix: [StateKey.Table.totalStakeCheckpoint.rawValue], limit: 10_000).count
    }

    /// Random stake changes, proposals opening and closing, votes: every stake and total-stake read at
    /// every round from the oldest Voting snapshot to the current round equals the uncompacted reference,
    /// and every vote weighs the reference stake at its proposal's snapshot.
    @Test(arguments: [UInt64(1), 7, 42])
    func readsAtNeededRoundsMatchTheUncompactedReference(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)  // RegistryWorkload's: seeded, so failures replay
        var chain = TestChain(stakes: Self.keys.map { ($0, 1_000_000) },
                              balances: Self.keys.map { ($0, 10_000_000_000) })
        var reference = Reference()
        for key in Self.keys { reference.setStake(key.account, 1_000_000, at: 0) }
        var compared = 0
        for _ in 0..<160 {
            let round = chain.round + 1
            var host: [HostUpdate] = []
            for _ in 0..<rng.below(4) {
                let key = Self.keys[Int(rng.below(UInt64(Self.keys.count)))]
                let amount = rng.below(5) == 0 ? 0 : 100_000 + rng.below(3_000_000)
                host.append(.setStake(key.account, amount))
                reference.setStake(key.account, amount, at: round)
            }
            var txs: [[UInt8]] = []
            var senders: Set<[UInt8]> = []
            if rng.below(6) == 0 {
                let proposer = Self.keys[Int(rng.below(UInt64(Self.keys.count)))]
                senders.insert(proposer.account.bytes)
                txs.append(chain.tx(proposer, .submitProposal(.text("proposal in round \(round)"))))
            }
            let voting = try chain.query.proposals(limit: 1_000).filter { $0.status == .voting && $0.votingEnd >= round }
            if let target = voting.isEmpty ? nil : voting[Int(rng.below(UInt64(voting.count)))] {
                let voter = Self.keys[Int(rng.below(UInt64(Self.keys.count)))]
                if senders.insert(voter.account.bytes).inserted {
                    txs.append(chain.tx(voter, .vote(target.id, .yes)))
                }
            }
            chain.run(txs, host: host)

            let open = try chain.query.proposals(limit: 1_000).filter { $0.status == .voting }
            let oldest = open.map(\.submittedAt).min() ?? chain.round
            for r in oldest...chain.round {
                for key in Self.keys {
                    let expected = Reference.value(reference.stakes[key.account.bytes] ?? [], at: r)
                    #expect(try chain.query.stake(of: key.account, at: r) == expected, "seed \(seed) round \(r)")
                    compared += 1
                }
                #expect(try Self.totalStake(chain.state, at: r) == Reference.value(reference.totals, at: r))
            }
            for proposal in open {
                for key in Self.keys {
                    if let vote = try chain.query.vote(proposal.id, voter: key.account) {
                        let expected = Reference.value(reference.stakes[key.account.bytes] ?? [], at: proposal.submittedAt)
                        #expect(vote.weight == expected)
                    }
                }
                #expect(proposal.totalEligible == Reference.value(reference.totals, at: proposal.submittedAt))
            }
            // The index holds exactly the Voting proposals.
            let index = try chain.state.scan(prefix: [StateKey.Table.votingSnapshot.rawValue], limit: 1_000)
            #expect(index.map(\.key) == open.sorted { ($0.submittedAt, $0.id) < ($1.submittedAt, $1.id) }
                .map { StateKey.votingSnapshot($0.submittedAt, $0.id) })
        }
        #expect(compared > 0)
        // Proposals did open and close during the run.
        #expect(try chain.query.proposals(limit: 1_000).contains { $0.status != .voting })
    }

    /// With no proposal Voting, a long run of stake changes keeps a constant number of checkpoints.
    @Test func longRunWithoutProposalsStaysBounded() throws {
        var chain = TestChain()
        let alice = TestChain.alice.account, bob = TestChain.bob.account
        for i in 0..<300 {
            chain.run(host: [.setStake(alice, 1_000 + UInt64(i)), .setStake(bob, 2_000 + UInt64(i))])
            if i >= 2 {
                #expect(try Self.checkpointCount(chain.state, alice) == 1)
                #expect(try Self.checkpointCount(chain.state, bob) == 1)
                #expect(try Self.totalCheckpointCount(chain.state) == 1)
            }
        }
        #expect(try chain.query.stake(of: alice, at: chain.round) == 1_299)
        #expect(try Self.totalStake(chain.state, at: chain.round) == 1_299 + 2_299 + 1_000_000)
    }

    /// A Voting proposal holds its snapshot: checkpoints after it stay, the one in effect at it stays;
    /// after the tally the backlog is drained a bounded number per setStake.
    @Test func votingProposalHoldsItsSnapshotThenBacklogDrains() throws {
        var parameters = TestChain.parameters
        parameters.votingPeriodRounds = 40
        var chain = TestChain(parameters: parameters)
        let alice = TestChain.alice.account, bob = TestChain.bob.account
        chain.run(host: [.setStake(bob, 500)])
        chain.submit(chain.tx(TestChain.alice, .submitProposal(.text("hold"))))
        let snapshot = chain.round
        for i in 0..<30 { chain.run(host: [.setStake(bob, 600 + UInt64(i))]) }
        #expect(try chain.query.stake(of: bob, at: snapshot) == 500)
        #expect(try Self.checkpointCount(chain.state, bob) >= 31)
        chain.submit(chain.tx(TestChain.bob, .vote(1, .yes)))
        #expect(try chain.query.vote(1, voter: bob)?.weight == 500)
        chain.runToRound(try #require(try chain.query.proposal(1)).votingEnd)
        #expect(try chain.query.proposal(1)?.status != .voting)
        let before = try Self.checkpointCount(chain.state, bob)
        chain.run(host: [.setStake(bob, 1)])
        // One added, at most four removed.
        #expect(try Self.checkpointCount(chain.state, bob) == before + 1 - ExecutionContext.stakeCompactionLimit)
        for _ in 0..<20 { chain.run(host: [.setStake(bob, 2)]) }
        #expect(try Self.checkpointCount(chain.state, bob) == 1)
        #expect(try chain.query.stake(of: alice, at: chain.round) == 2_000_000)
    }
}
