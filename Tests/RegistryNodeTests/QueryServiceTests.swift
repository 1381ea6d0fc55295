import Foundation
import RegistryCore
import Sodium
import StateStore
import StateTree
import TestSupport
import Testing
import Wire
@testable import RegistryNode

/// QueryService against a store built from real executed rounds.
@Suite(.serialized)
struct QueryServiceTests {
    /// Shared and read-only; the one test that prunes builds its own.
    let fixture: QueryFixture

    init() throws {
        fixture = try QueryFixture.shared()
    }

    @Test func theWorkloadCreatedModelsProposalsAndVotes() throws {
        // Guards the meaning of the other tests.
        #expect(try fixture.allModels().count >= 10)
        #expect(try fixture.allProposals().count >= 2)
        #expect(try !fixture.scan(prefix: [StateKey.Table.vote.rawValue]).isEmpty)
    }

    @Test func everyModelWithAProofThatVerifiesAgainstTheRoundRootAndNoOther() throws {
        let latest = fixture.latest
        let root = try #require(fixture.roots[latest])
        let other = try #require(fixture.roots[1])
        for model in try fixture.allModels() {
            let response = fixture.respond(Q.model(model.id.bytes, prove: true))
            guard case .getModel(let reply)? = response.response else {
                Issue.record("get_model \(model.id): \(response)")
                continue
            }
            #expect(reply.round == latest)
            #expect(reply.model.name == model.name && reply.model.status == model.status.name)
            #expect([UInt8](reply.value) == model.canonicalBytes())
            #expect([UInt8](reply.proof.key) == StateKey.model(model.id))
            #expect(reply.proof.root == Data(root.bytes) && reply.proof.round == latest)
            #expect(verifyProof(reply.proof, value: [UInt8](reply.value), root: root) == nil)
            #expect(verifyProof(reply.proof, value: [UInt8](reply.value), root: other) != nil)
            var altered = [UInt8](reply.value)
            altered[altered.count - 1] ^= 1
            #expect(verifyProof(reply.proof, value: altered, root: root) != nil)
        }
    }

    @Test func modelByNameAndVersionIsTheSameModel() throws {
        let model = try #require(try fixture.allModels().first)
        var request = AiRegistry_V1_GetModelRequest()
        request.nameVersion.name = model.name
        request.nameVersion.version = model.version
        guard case .getModel(let reply)? = fixture.respond(.getModel(request)).response else {
            Issue.record("no model")
            return
        }
        #expect(reply.model.id == Data(model.id.bytes))
        #expect(!reply.hasProof)
    }

    @Test func historicalReadsReturnTheValueOfThatRoundWithAValidProof() throws {
        var changed = 0
        for round in stride(from: UInt64(0), through: fixture.latest, by: 3) {
            let root = try #require(fixture.roots[round])
            let expected = try #require(fixture.history[round])
            for key in fixture.sampleKeys {
                let response = fixture.respond(Q.key(key, round: round))
                guard case .getKey(let reply)? = response.response else {
                    Issue.record("get_key at \(round): \(response)")
                    continue
                }
                let value: [UInt8]? = reply.found ? [UInt8](reply.value) : nil
                #expect(value == expected[key] ?? nil, "key \(Hex.encode(key)) at round \(round)")
                #expect(reply.round == round && reply.proof.round == round)
                #expect(verifyProof(reply.proof, value: value, root: root) == nil)
                if let latestValue = fixture.history[fixture.latest]?[key], latestValue != value { changed += 1 }
            }
        }
        // Some sampled values did change over the rounds, so old reads really are historical.
        #expect(changed > 0)
    }

    @Test func accountAtAnOlderRoundDiffersFromTheLatestAndBothVerify() throws {
        let key = try #require(fixture.sampleKeys.first { key in
            key.first == StateKey.Table.account.rawValue && fixture.history[1]?[key] != fixture.history[fixture.latest]?[key]
        })
        let account = AccountID(try #require(Digest256(bytes: Array(key.dropFirst()))))
        for round in [UInt64(1), fixture.latest] {
            var request = AiRegistry_V1_GetAccountRequest()
            request.account = Data(account.bytes)
            request.read = Q.read(round: round, prove: true)
            guard case .getAccount(let reply)? = fixture.respond(.getAccount(request)).response else {
                Issue.record("get_account at \(round)")
                continue
            }
            let expected = try #require(fixture.history[round]?[key] ?? nil)
            #expect([UInt8](reply.value) == expected)
            #expect(reply.account.nonce == (try Account(canonicalBytes: expected)).nonce)
            #expect(verifyProof(reply.proof, value: expected, root: try #require(fixture.roots[round])) == nil)
        }
    }

    @Test func anAbsentModelIsNotFoundOrProvenAbsent() throws {
        let missing = [UInt8](repeating: 0xAB, count: 32)
        let plain = fixture.respond(Q.model(missing))
        #expect(plain.errorReply?.code == .notFound)
        #expect(plain.errorReply?.field == "get_model")
        #expect(plain.errorReply?.message.contains("does not exist at round \(fixture.latest)") == true)

        let proven = fixture.respond(Q.model(missing, prove: true))
        guard case .getModel(let reply)? = proven.response else {
            Issue.record("\(proven)")
            return
        }
        #expect(!reply.hasModel && reply.value.isEmpty)
        let root = try #require(fixture.roots[fixture.latest])
        #expect(verifyProof(reply.proof, value: nil, root: root) == nil)
        #expect(verifyProof(reply.proof, value: [1, 2, 3], root: root) != nil)
        // Absence at an old round too.
        let old = fixture.respond(Q.model(missing, round: 2, prove: true))
        guard case .getModel(let oldReply)? = old.response else { Issue.record("\(old)"); return }
        #expect(verifyProof(oldReply.proof, value: nil, root: try #require(fixture.roots[2])) == nil)
    }

    @Test func aModelRegisteredLaterIsAbsentAtAnEarlierRound() throws {
        let model = try #require(try fixture.allModels().first { $0.registeredAt > 1 })
        let before = model.registeredAt - 1
        let response = fixture.respond(Q.model(model.id.bytes, round: before, prove: true))
        guard case .getModel(let reply)? = response.response else { Issue.record("\(response)"); return }
        #expect(!reply.hasModel)
        #expect(verifyProof(reply.proof, value: nil, root: try #require(fixture.roots[before])) == nil)
        #expect(fixture.respond(Q.model(model.id.bytes, round: before)).errorReply?.code == .notFound)
    }

    @Test func aFutureRoundIsNotFoundNamingTheRound() {
        let future = fixture.latest + 5
        let error = fixture.respond(Q.model([UInt8](repeating: 1, count: 32), round: future)).errorReply
        #expect(error?.code == .notFound)
        #expect(error?.field == "get_model.read.round")
        #expect(error?.message.contains("round \(future)") == true)
    }

    @Test func aPrunedRoundIsRoundPrunedNamingTheEarliestRetained() throws {
        let fixture = try QueryFixture(rounds: 12)
        var outcome = try fixture.store.prune(retainLatest: 5, maxEntries: 100_000)
        while !outcome.isComplete { outcome = try fixture.store.prune(retainLatest: 5, maxEntries: 100_000) }
        let earliest = outcome.firstRetained
        #expect(earliest > 1)
        let error = fixture.respond(Q.key(StateKey.parameters, round: 1)).errorReply
        #expect(error?.code == .roundPruned)
        #expect(error?.field == "get_key.read.round")
        #expect(error?.message.contains("round 1 was pruned") == true)
        #expect(error?.message.contains("\(earliest)") == true)
        // Retained rounds still read and prove.
        guard case .getKey(let reply)? = fixture.respond(Q.key(StateKey.parameters, round: earliest)).response else {
            Issue.record("retained round")
            return
        }
        #expect(verifyProof(reply.proof, value: [UInt8](reply.value), root: try #require(fixture.roots[earliest])) == nil)
        var roundResult = AiRegistry_V1_GetRoundResultRequest()
        roundResult.round = 1
        #expect(fixture.respond(.getRoundResult(roundResult)).errorReply?.code == .roundPruned)
    }

    @Test func paginationWalksEveryModelExactlyOnceInOrder() throws {
        let expected = try fixture.allModels().map(\.id)
        for limit: UInt32 in [1, 3, 7, 100] {
            var seen: [ModelID] = []
            var cursor = Data()
            var pages = 0
            repeat {
                guard case .listModels(let page)? = fixture.respond(Q.listModels(cursor: cursor, limit: limit)).response else {
                    Issue.record("list_models")
                    return
                }
                #expect(page.models.count <= Int(limit))
                seen += try page.models.map { ModelID(try #require(Digest256(bytes: [UInt8]($0.id)))) }
                cursor = page.nextCursor
                pages += 1
            } while !cursor.isEmpty && pages < 1000
            #expect(seen == expected, "limit \(limit)")
        }
    }

    @Test func filteredPaginationByStatusOwnerAndNamePrefix() throws {
        let models = try fixture.allModels()
        func walk(_ filter: AiRegistry_V1_ModelFilter.OneOf_Filter) throws -> [AiRegistry_V1_Model] {
            var all: [AiRegistry_V1_Model] = []
            var cursor = Data()
            repeat {
                let response = fixture.respond(Q.listModels(filter: filter, cursor: cursor, limit: 2))
                guard case .listModels(let page)? = response.response else {
                    Issue.record("\(response)")
                    return all
                }
                all += page.models
                cursor = page.nextCursor
            } while !cursor.isEmpty
            return all
        }
        for status in ModelStatus.allCases {
            let listed = try walk(.status(status.name))
            #expect(listed.allSatisfy { $0.status == status.name })
            #expect(Set(listed.map(\.id)) == Set(models.filter { $0.status == status }.map { Data($0.id.bytes) }))
            #expect(listed.count == Set(listed.map(\.id)).count)
        }
        let owner = try #require(models.first?.owner)
        let owned = try walk(.owner(Data(owner.bytes)))
        #expect(Set(owned.map(\.id)) == Set(models.filter { $0.owner == owner }.map { Data($0.id.bytes) }))
        let prefix = String(try #require(models.first?.name.prefix(3)))
        let named = try walk(.namePrefix(prefix))
        #expect(Set(named.map(\.id)) == Set(models.filter { $0.name.hasPrefix(prefix) }.map { Data($0.id.bytes) }))
        // Name-prefix pages are ordered by name, then version.
        let keys = named.map { $0.name + "\u{0}" + $0.version }
        #expect(keys == keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
    }

    @Test func proposalsByStatusWalkEveryMatchExactlyOnce() throws {
        let proposals = try fixture.allProposals()
        for status in [""] + ProposalStatus.allCases.map(\.name) {
            var seen: [UInt64] = []
            var cursor = Data()
            var pages = 0
            repeat {
                let response = fixture.respond(Q.listProposals(status: status, cursor: cursor, limit: 2))
                guard case .listProposals(let page)? = response.response else {
                    Issue.record("\(response)")
                    return
                }
                #expect(page.proposals.allSatisfy { status.isEmpty || $0.status == status })
                seen += page.proposals.map(\.id)
                cursor = page.nextCursor
                pages += 1
            } while !cursor.isEmpty && pages < 1000
            #expect(seen == proposals.filter { status.isEmpty || $0.status.name == status }.map(\.id), "status \(status)")
        }
    }

    @Test func proposalVoteAndParametersWithProofs() throws {
        let root = try #require(fixture.roots[fixture.latest])
        let proposal = try #require(try fixture.allProposals().first)
        var request = AiRegistry_V1_GetProposalRequest()
        request.id = proposal.id
        request.read.prove = true
        guard case .getProposal(let p)? = fixture.respond(.getProposal(request)).response else {
            Issue.record("get_proposal")
            return
        }
        #expect(p.proposal.id == proposal.id && p.proposal.kind == proposal.kind.name)
        #expect(verifyProof(p.proof, value: [UInt8](p.value), root: root) == nil)

        let voteRow = try #require(try fixture.scan(prefix: [StateKey.Table.vote.rawValue]).first)
        let proposalID = voteRow.key[1..<9].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        var vote = AiRegistry_V1_GetVoteRequest()
        vote.proposalID = proposalID
        vote.voter = Data(voteRow.key[9...])
        vote.read.prove = true
        guard case .getVote(let v)? = fixture.respond(.getVote(vote)).response else {
            Issue.record("get_vote")
            return
        }
        #expect([UInt8](v.value) == voteRow.value)
        #expect(v.vote.proposalID == proposalID && ["yes", "no", "abstain", "veto"].contains(v.vote.choice))
        #expect(verifyProof(v.proof, value: voteRow.value, root: root) == nil)

        var parameters = AiRegistry_V1_GetParametersRequest()
        parameters.read = Q.read(round: 0, prove: true)
        guard case .getParameters(let params)? = fixture.respond(.getParameters(parameters)).response else {
            Issue.record("get_parameters")
            return
        }
        #expect(params.parameters.values.count == ParameterID.allCases.count)
        #expect(verifyProof(params.proof, value: [UInt8](params.value), root: try #require(fixture.roots[0])) == nil)
    }

    @Test func rootsOfPastRounds() throws {
        var request = AiRegistry_V1_GetRootsRequest()
        request.fromRound = 3
        request.limit = 5
        guard case .getRoots(let reply)? = fixture.respond(.getRoots(request)).response else {
            Issue.record("get_roots")
            return
        }
        #expect(reply.roots.map(\.round) == [3, 4, 5, 6, 7])
        for root in reply.roots { #expect(root.root == Data(try #require(fixture.roots[root.round]).bytes)) }
        #expect(reply.latestRound == fixture.latest)
        #expect(reply.earliestRetainedRound == 0)
    }

    @Test func roundResultIsTheStoredRecordWithTheRoundRoot() throws {
        for round: UInt64 in [1, 5, fixture.latest] {
            var request = AiRegistry_V1_GetRoundResultRequest()
            request.round = round
            guard case .getRoundResult(let reply)? = fixture.respond(.getRoundResult(request)).response else {
                Issue.record("get_round_result \(round)")
                continue
            }
            let result = try AiRegistry_V1_RoundResult(serializedBytes: reply.roundResult)
            #expect(result.round == round)
            #expect(result.root == Data(try #require(fixture.roots[round]).bytes))
            #expect(result.results.count == fixture.transactionCounts[round])
            #expect(!result.replayed)
        }
        var genesis = AiRegistry_V1_GetRoundResultRequest()
        genesis.round = 0
        let error = fixture.respond(.getRoundResult(genesis)).errorReply
        #expect(error?.code == .notFound && error?.field == "get_round_result.round")
    }

    @Test func statisticsMatchTheStoredValues() throws {
        guard case .getStatistics(let reply)? = fixture.respond(.getStatistics(AiRegistry_V1_GetStatisticsRequest())).response else {
            Issue.record("get_statistics")
            return
        }
        let snapshot = try fixture.store.snapshot()
        let stored = try RegistryStatistics(canonicalBytes: try #require(try snapshot.value(StateKey.registryStatistics)))
        let totals = try FeeTotals(canonicalBytes: try #require(try snapshot.value(StateKey.feeTotals)))
        snapshot.close()
        #expect(reply.registry.registrations == stored.registrations)
        #expect(reply.registry.modelsByStatus["active"] == stored.count(.active))
        #expect(reply.fees.collected == totals.collected && totals.collected > 0)
        #expect(reply.feesByOperation.map(\.operation) == FeeOperation.allCases.map(\.description))
        #expect(reply.round == fixture.latest)

        let model = try #require(try fixture.allModels().first)
        var fee = AiRegistry_V1_GetFeeStatisticsRequest()
        fee.model = Data(model.id.bytes)
        guard case .getFeeStatistics(let f)? = fixture.respond(.getFeeStatistics(fee)).response else {
            Issue.record("get_fee_statistics")
            return
        }
        #expect(f.statistics.count >= 1)
    }

    @Test func scheduleListsDueItemsInRoundOrderFromTheQueues() throws {
        var request = AiRegistry_V1_GetScheduleRequest()
        request.limit = 1000
        guard case .getSchedule(let reply)? = fixture.respond(.getSchedule(request)).response else {
            Issue.record("get_schedule")
            return
        }
        let stored = try fixture.scan(prefix: [StateKey.Table.dueQueue.rawValue])
        #expect(reply.entries.count == stored.count)
        #expect(reply.entries.map(\.dueRound) == reply.entries.map(\.dueRound).sorted())
        for entry in reply.entries {
            let kind = try #require(QueryService.queueNames.first { $0.name == entry.queue }?.kind)
            let key = StateKey.dueQueue(kind.rawValue, entry.dueRound, [UInt8](entry.item))
            #expect(stored.contains { $0.key == key })
        }
        var one = AiRegistry_V1_GetScheduleRequest()
        one.queue = "proposal_tally"
        guard case .getSchedule(let tallies)? = fixture.respond(.getSchedule(one)).response else {
            Issue.record("get_schedule one queue")
            return
        }
        #expect(tallies.entries.allSatisfy { $0.queue == "proposal_tally" })
        #expect(tallies.entries.count == stored.filter { $0.key[1] == DueQueue.Kind.proposalTally.rawValue }.count)
    }

    @Test(arguments: [
        (Q.listModels(limit: 101), "list_models.limit", AiRegistry_V1_ErrorCode.invalidArgument),
        (Q.listModels(cursor: Data(repeating: 1, count: 257), limit: 5), "list_models.cursor", .invalidArgument),
        (Q.listModels(filter: .status("sleeping"), limit: 5), "list_models.filter.status", .invalidArgument),
        (Q.listModels(filter: .owner(Data([1, 2])), limit: 5), "list_models.filter.owner", .invalidArgument),
        (Q.listModels(filter: .tag(String(repeating: "t", count: 33)), limit: 5), "list_models.filter.tag", .invalidArgument),
        (Q.listProposals(status: "maybe", limit: 5), "list_proposals.status", .invalidArgument),
        (Q.listProposals(cursor: Data([1, 2, 3]), limit: 5), "list_proposals.cursor", .invalidArgument),
        (Q.model(Array(repeating: 1, count: 31)), "get_model.id", .invalidArgument),
        (Q.key([]), "get_key.key", .invalidArgument),
        (Q.key(Array(repeating: 1, count: 1025)), "get_key.key", .invalidArgument),
        (.getModel(AiRegistry_V1_GetModelRequest()), "get_model.selector", .malformedRequest),
        (.getFeeStatistics(AiRegistry_V1_GetFeeStatisticsRequest()), "get_fee_statistics.subject", .malformedRequest),
        (.getProposal(AiRegistry_V1_GetProposalRequest()), "get_proposal.id", .invalidArgument),
    ] as [(AiRegistry_V1_QueryRequest.OneOf_Request, String, AiRegistry_V1_ErrorCode)])
    func invalidRequestsNameTheFieldAndLimit(request: AiRegistry_V1_QueryRequest.OneOf_Request, field: String, code: AiRegistry_V1_ErrorCode) {
        let response = fixture.respond(request, id: 99)
        #expect(response.requestID == 99)
        #expect(response.errorReply?.code == code)
        #expect(response.errorReply?.field == field)
        #expect(response.errorReply?.message.isEmpty == false)
    }

    @Test func limitsAreNamedInTheMessages() {
        #expect(fixture.respond(Q.listModels(limit: 101)).errorReply?.message.contains("between 1 and 100") == true)
        var roots = AiRegistry_V1_GetRootsRequest()
        roots.limit = 1001
        #expect(fixture.respond(.getRoots(roots)).errorReply?.message.contains("1000") == true)
        var schedule = AiRegistry_V1_GetScheduleRequest()
        schedule.queue = "weekly"
        let error = fixture.respond(.getSchedule(schedule)).errorReply
        #expect(error?.field == "get_schedule.queue" && error?.message.contains("activation") == true)
    }

    @Test func versionAndEmptyRequests() {
        let wrong = fixture.respond(Q.key(StateKey.parameters), version: 2).errorReply
        #expect(wrong?.code == .unsupportedVersion && wrong?.supportedVersions == [1])
        var empty = AiRegistry_V1_QueryRequest()
        empty.protocolVersion = 1
        let response = QueryService().respond(to: empty, store: fixture.store)
        #expect(response.errorReply?.code == .malformedRequest && response.errorReply?.field == "request")
    }

    @Test func anEmptyStoreAnswersNotFound() throws {
        let directory = TemporaryDirectory(prefix: "query-empty")
        let store = try StateStore(directory: directory.path)
        var request = AiRegistry_V1_QueryRequest()
        request.protocolVersion = 1
        request.request = Q.key(StateKey.parameters)
        #expect(QueryService().respond(to: request, store: store).errorReply?.code == .notFound)
        request.request = .getRoots(AiRegistry_V1_GetRootsRequest())
        guard case .getRoots(let roots)? = QueryService().respond(to: request, store: store).response else {
            Issue.record("roots of an empty store")
            return
        }
        #expect(roots.roots.isEmpty)
    }
}
