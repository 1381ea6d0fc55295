import Sodium
import TestSupport
import Testing
@testable import RegistryCore

/// Deterministic test keys from one-byte seeds.
struct TestKey {
    let pair: Ed25519.KeyPair
    var account: AccountID { AccountID(publicKey: pair.publicKey)! }

    init(_ seed: UInt8) {
        pair = try! Ed25519.KeyPair(seed: [UInt8](repeating: seed, count: 32))
    }
}

/// A chain over `MemoryState`: genesis, rounds, a transaction builder, queries (FRAME-style harness).
struct TestChain {
    static let chainID = "ai-registry-test"
    var state = MemoryState()
    var round: Round = 0
    let executor = RoundExecutor(chainID: TestChain.chainID)
    var outcomes: [RoundOutcome] = []

    static let alice = TestKey(1)
    static let bob = TestKey(2)
    static let carol = TestKey(3)
    static let dave = TestKey(4)

    /// Alice, Bob and Carol hold stake 2,000,000 / 1,000,000 / 1,000,000 and balance 10,000,000,000 (100 tokens) each.
    init(parameters: Parameters = TestChain.parameters, stakes: [(TestKey, Amount)]? = nil, balances: [(TestKey, Amount)]? = nil) {
        let stakes = stakes ?? [(Self.alice, 2_000_000), (Self.bob, 1_000_000), (Self.carol, 1_000_000)]
        let balances = balances ?? [(Self.alice, 10_000_000_000), (Self.bob, 10_000_000_000), (Self.carol, 10_000_000_000)]
        let genesis = Genesis(chainID: Self.chainID, parameters: parameters,
                              stakes: stakes.map { .init($0.0.account, $0.1) },
                              balances: balances.map { .init($0.0.account, $0.1) })
        state.apply(try! genesis.writes())
    }

    /// Short periods so tests run few rounds.
    static var parameters: Parameters { .shortTestPeriods }

    var query: ModelQuery { ModelQuery(state: state) }

    func account(_ key: TestKey) -> Account { try! query.account(key.account) }

    /// Executes the next round (or `at`) with the given transactions and host updates, applying the writes.
    @discardableResult
    mutating func run(_ txs: [[UInt8]] = [], host: [HostUpdate] = [], at: Round? = nil) -> RoundOutcome {
        let next = at ?? round + 1
        let outcome = try! executor.execute(RoundInput(round: next, timestampMillis: next * 200, hostUpdates: host,
                                                       transactions: txs), state: state)
        state.apply(outcome.writes)
        round = next
        outcomes.append(outcome)
        return outcome
    }

    /// Executes one transaction in its own round; returns its result.
    @discardableResult
    mutating func submit(_ tx: [UInt8]) -> TransactionResult { run([tx]).results[0] }

    /// Executes empty rounds up to `target`.
    mutating func runToRound(_ target: Round) { while round < target { run() } }

    /// A signed transaction; the nonce defaults to the account's committed nonce.
    func tx(_ key: TestKey, _ action: Action, nonce: UInt64? = nil, maxFee: Amount = 1_000_000_000,
            chainID: String = TestChain.chainID) -> [UInt8] {
        let body = TransactionBody(chainID: chainID, nonce: nonce ?? account(key).nonce, maxFee: maxFee, action: action)
        return SignedTransaction.sign(body: body, with: key.pair).canonicalBytes()
    }

    static func registration(_ name: String = "resnet", version: String = "1.0", size: UInt64 = 3 * 1024 * 1024,
                             tags: [String] = ["vision", "cnn"], category: String = "vision") -> ModelRegistration {
        ModelRegistration(name: name, version: version, weightsHash: Blake2b.hash256(Array(name.utf8)), sizeBytes: size,
                          parameterCount: 25_000_000, architecture: "ResNet-50", format: "onnx", category: category,
                          license: "Apache-2.0", sourceURI: "https://example.org/\(name)", description: "A test model",
                          tags: tags, inputShape: TensorShape([1, 3, 224, 224]), outputShape: TensorShape([1, 1000]))
    }

    /// Registers a model and passes + executes an approval; returns its id (Active after activation).
    mutating func activeModel(_ name: String = "resnet", owner: TestKey = TestChain.alice) -> ModelID {
        let id = ModelID(name: name, version: "1.0")
        #expect(submit(tx(owner, .registerModel(Self.registration(name)))).code == .ok)
        let pid = passProposal(.approveModel(id, activationRound: 0))
        #expect(submit(tx(Self.alice, .executeProposal(pid))).code == .ok)
        return id
    }

    /// Submits a proposal by Alice, votes yes with everyone, runs past the tally; returns its id.
    mutating func passProposal(_ kind: ProposalKind) -> ProposalID {
        let r = submit(tx(Self.alice, .submitProposal(kind)))
        #expect(r.code == .ok, "\(r.log)")
        let pid = (try? ExecutionContext(state: StateOverlay(base: state), params: TestChain.parameters, round: 0,
                                         timestampMillis: 0).counter(ExecutionContext.nextProposalCounter)) ?? 0
        run([tx(Self.alice, .vote(pid, .yes)), tx(Self.bob, .vote(pid, .yes)), tx(Self.carol, .vote(pid, .yes))])
        let end = try! query.proposal(pid)!.votingEnd
        runToRound(end)
        #expect(try! query.proposal(pid)!.status == .passed)
        return pid
    }

    /// Every pair except the keys ADR 0005 lets a failing transaction touch (sender account, rate window,
    /// fee statistics and totals).
    func pairsOutsideFeeKeys(_ sender: TestKey) -> [KeyValue] {
        let excluded: [[UInt8]] = [StateKey.account(sender.account), StateKey.rateWindow(sender.account), StateKey.feeTotals,
                                   StateKey.feeStatsByAccount(sender.account)]
        return state.pairs.filter { kv in
            !excluded.contains(kv.key) && kv.key.first != StateKey.Table.feeStatsByOperation.rawValue
                && kv.key.first != StateKey.Table.feeStatsByModel.rawValue
        }
    }

    /// Runs `tx`, expects `code`, and checks that only the ADR 0005 keys changed and that the nonce advanced.
    mutating func expectRejected(_ tx: [UInt8], by key: TestKey, _ code: ResultCode, sourceLocation: SourceLocation = #_sourceLocation) {
        let before = pairsOutsideFeeKeys(key)
        let nonce = account(key).nonce
        let balance = account(key).balance
        let result = submit(tx)
        #expect(result.code == code, "log: \(result.log)", sourceLocation: sourceLocation)
        #expect(pairsOutsideFeeKeys(key) == before, "state changed beyond ADR 0005", sourceLocation: sourceLocation)
        if code.isEnvelopeFailure {
            #expect(account(key).nonce == nonce, sourceLocation: sourceLocation)
            #expect(account(key).balance == balance, sourceLocation: sourceLocation)
            #expect(result.feeCharged == 0, sourceLocation: sourceLocation)
        } else {
            #expect(account(key).nonce == nonce + 1, sourceLocation: sourceLocation)
            #expect(account(key).balance == balance - result.feeCharged, sourceLocation: sourceLocation)
        }
    }
}
