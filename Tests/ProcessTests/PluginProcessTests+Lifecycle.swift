import Foundation
import RegistryClient
import RegistryCore
import RegistryWorkload
import Sodium
import StateStore
import TestSupport
import Testing
import Wire

/// A chain driven through the process and, in lock step, through the library (RoundExecutor over
/// MemoryState, roots from an in-process StateStore): every round's codes and root must agree.
final class DualChain {
    static let chainID = "ai-registry-process-test"
    let harness: PluginHarness
    var factory = TransactionFactory(chainID: DualChain.chainID)
    var state = MemoryState()
    let executor = RoundExecutor(chainID: DualChain.chainID)
    let storeDirectory = TemporaryDirectory(prefix: "ai-registry-dual")
    let store: StateStore
    private(set) var round: Round = 0
    private(set) var roots: [Digest256] = []
    private(set) var results: [Round: AiRegistry_V1_RoundResult] = [:]

    let alice = try! Ed25519.KeyPair(seed: [UInt8](repeating: 1, count: 32))
    let bob = try! Ed25519.KeyPair(seed: [UInt8](repeating: 2, count: 32))
    let carol = try! Ed25519.KeyPair(seed: [UInt8](repeating: 3, count: 32))

    /// Short periods so tests run few rounds.
    static var parameters: Parameters { .shortTestPeriods }

    init(harness: PluginHarness) throws {
        self.harness = harness
        store = try StateStore(directory: storeDirectory.path, configuration: .init(durability: .noSync))
        let genesis = Genesis(
            chainID: Self.chainID, parameters: Self.parameters,
            stakes: [.init(KeyRing.account(of: alice), 2_000_000), .init(KeyRing.account(of: bob), 1_000_000),
                     .init(KeyRing.account(of: carol), 1_000_000)],
            balances: [alice, bob, carol].map { .init(KeyRing.account(of: $0), 10_000_000_000) })
        let writes = try genesis.writes()
        state.apply(writes)
        roots.append(try store.commit(version: 0, writes: writes.map { StateStore.Write(key: $0.key, value: $0.value) }))
        let reply = try harness.consensus.initChain(genesis: genesis)
        #expect(reply.root == Data(roots[0].bytes))
    }

    func account(_ key: Ed25519.KeyPair) -> AccountID { KeyRing.account(of: key) }

    /// Applies the next round through the process and the library; returns the process's result.
    @discardableResult
    func run(_ transactions: [[UInt8]] = [], sourceLocation: SourceLocation = #_sourceLocation) throws -> AiRegistry_V1_RoundResult {
        round += 1
        let input = RoundInput(round: round, timestampMillis: 1_700_000_000_000 + round * 200, transactions: transactions)
        let outcome = try executor.execute(input, state: state)
        state.apply(outcome.writes)
        roots.append(try store.commit(version: round, writes: outcome.writes.map { StateStore.Write(key: $0.key, value: $0.value) }))
        let result = try harness.consensus.applyRound(input)
        // Write-behind (ADR 0027): queries see the round once it is durable. Info begins with the
        // barrier, so after its reply the round is visible to the queries that follow.
        _ = try harness.consensus.info()
        #expect(result.codes == outcome.codes, "round \(round): \(result.results.map(\.log))", sourceLocation: sourceLocation)
        #expect(result.root == Data(roots[Int(round)].bytes), "round \(round): root", sourceLocation: sourceLocation)
        results[round] = result
        return result
    }

    /// One transaction in its own round; returns its code.
    func submit(_ tx: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> ResultCode? {
        try run([tx], sourceLocation: sourceLocation).results.first.flatMap { ResultCode(rawValue: $0.code) }
    }

    func runToRound(_ target: Round) throws { while round < target { try run() } }

    func root(_ round: Round) -> Digest256 { roots[Int(round)] }
}

extension PluginProcessTests {
    /// A model's life through the process, checked through the query endpoint with every proof
    /// verified against the root the library computed: register → approval proposal → votes → tally →
    /// execution → activation → usage → deprecation; reads at past rounds, lists, roots, round results.
    @Test func modelLifecycleThroughQueriesWithProofs() throws {
        let harness = try PluginHarness()
        let chain = try DualChain(harness: harness)
        let query = try harness.queryClient()
        defer { query.close() }
        let fee: Amount = 1_000_000_000
        let id = ModelID(name: "resnet", version: "1.0")
        let modelKey = StateKey.model(id)

        func model(at round: Round? = nil) throws -> Model? {
            let reply = try query.getModel(id: id, round: round, prove: true)
            let read = round ?? chain.round
            #expect(reply.round == read)
            try ProofCheck.verify(reply.proof, valueOrEmpty: reply.value, key: modelKey, trustedRoot: chain.root(read))
            return reply.value.isEmpty ? nil : try Model(canonicalBytes: [UInt8](reply.value))
        }

        #expect(try model() == nil)  // absence, proven
        let registration = ModelRegistration(
            name: "resnet", version: "1.0", weightsHash: Blake2b.hash256(Array("resnet".utf8)), sizeBytes: 3 << 20,
            parameterCount: 25_000_000, architecture: "ResNet-50", format: "onnx", category: "vision", license: "Apache-2.0",
            sourceURI: "https://example.org/resnet", description: "A test model", tags: ["vision", "cnn"],
            inputShape: TensorShape([1, 3, 224, 224]), outputShape: TensorShape([1, 1000]))
        #expect(try chain.submit(chain.factory.registerModel(registration, by: chain.alice, maxFee: fee)) == .ok)
        #expect(try model()?.status == .pending)
        let byName = try query.getModel(name: "resnet", version: "1.0")
        #expect(byName.value == (try query.getModel(id: id).value))

        let activation: Round = 16
        #expect(try chain.submit(chain.factory.submitProposal(.approveModel(id, activationRound: activation), by: chain.alice, maxFee: fee)) == .ok)
        let votes = try chain.run([chain.factory.vote(1, .yes, by: chain.alice, maxFee: fee),
                                   chain.factory.vote(1, .yes, by: chain.bob, maxFee: fee),
                                   chain.factory.vote(1, .no, by: chain.carol, maxFee: fee)])
        #expect(votes.codes == [0, 0, 0])
        let vote = try query.getVote(proposal: 1, voter: chain.account(chain.carol), prove: true)
        try ProofCheck.verify(vote.proof, valueOrEmpty: vote.value, key: StateKey.vote(1, chain.account(chain.carol)),
                              trustedRoot: chain.root(chain.round))
        #expect(try Vote(canonicalBytes: [UInt8](vote.value)).choice == .no)

        let proposalID: ProposalID = 1
        func proposal() throws -> Proposal {
            let reply = try query.getProposal(id: proposalID, prove: true)
            try ProofCheck.verify(reply.proof, valueOrEmpty: reply.value, key: StateKey.proposal(proposalID), trustedRoot: chain.root(chain.round))
            return try Proposal(canonicalBytes: [UInt8](reply.value))
        }
        #expect(try proposal().status == .voting)
        try chain.runToRound(try proposal().votingEnd)
        #expect(try proposal().status == .passed)

        #expect(try chain.submit(chain.factory.executeProposal(proposalID, by: chain.bob, maxFee: fee)) == .ok)
        #expect(try proposal().status == .executed)
        #expect(try model()?.status == .approved)
        let approvedAt = chain.round
        let schedule = try query.getSchedule(queue: "activation")
        #expect(schedule.entries.contains { $0.dueRound == activation && $0.item == Data(id.bytes) })

        try chain.runToRound(activation)
        #expect(try model()?.status == .active)
        #expect(try model()?.activatedAt == activation)
        #expect(chain.results[activation]?.events.contains { $0.topic == "model.status" } == true)

        #expect(try chain.submit(chain.factory.recordUsage(id, units: 5, by: chain.carol, maxFee: fee)) == .ok)
        #expect(try model()?.usageCount == 1)
        #expect(try model()?.usageUnits == 5)

        #expect(try chain.submit(chain.factory.deprecateModel(id, by: chain.alice, maxFee: fee)) == .ok)
        #expect(try model()?.status == .deprecated)

        // Reads at past rounds prove what was true then.
        #expect(try model(at: approvedAt)?.status == .approved)
        #expect(try model(at: activation)?.status == .active)

        // Lists, accounts, parameters, roots and stored round results.
        let deprecated = try query.listModels(filter: .status("deprecated"))
        #expect(deprecated.models.map(\.id) == [Data(id.bytes)])
        #expect(try query.listModels(filter: .status("active")).models.isEmpty)
        #expect(try query.listModels(filter: .tag("cnn")).models.count == 1)
        let carol = try query.getAccount(chain.account(chain.carol), prove: true)
        try ProofCheck.verify(carol.proof, valueOrEmpty: carol.value, key: StateKey.account(chain.account(chain.carol)),
                              trustedRoot: chain.root(chain.round))
        #expect(try Account(canonicalBytes: [UInt8](carol.value)).nonce == 2)
        let parameters = try query.getParameters(prove: true)
        try ProofCheck.verify(parameters.proof, valueOrEmpty: parameters.value, key: StateKey.parameters, trustedRoot: chain.root(chain.round))
        #expect(try Parameters(canonicalBytes: [UInt8](parameters.value)) == DualChain.parameters)
        let roots = try query.getRoots(fromRound: 0, limit: 1000)
        #expect(roots.latestRound == chain.round)
        for entry in roots.roots { #expect(entry.root == Data(chain.root(entry.round).bytes), "root of round \(entry.round)") }
        #expect(roots.roots.count == Int(chain.round) + 1)
        let stored = try query.getRoundResult(round: activation)
        #expect(stored.root == chain.results[activation]?.root)
        #expect(stored.codes == chain.results[activation]?.codes)
        #expect(stored.events.map(\.topic) == chain.results[activation]?.events.map(\.topic))

        // A forged proof claim fails: the value of another round against this root.
        let old = try query.getModel(id: id, round: approvedAt, prove: true)
        #expect(throws: ProofCheck.Failure.self) {
            try ProofCheck.verify(old.proof, valueOrEmpty: old.value, key: modelKey, trustedRoot: chain.root(chain.round))
        }
    }
}
