import Foundation
import RegistryCore
import Testing
@testable import RoundDriverKit

/// The scenario format (Integration/README.md): what parses, and that mistakes are errors naming the key path.
@Suite struct ScenarioParserTests {
    static func parse(_ text: String) throws(JSONReadError) -> Scenario { try ScenarioParser.parse(Data(text.utf8)) }

    static let minimal = """
        {"name": "t", "accounts": [{"name": "a", "balance": 5}, {"name": "v", "stake": 7}],
         "steps": [{"round": 1, "actions": [{"do": "register", "from": "a", "model": "m"}],
                    "expect": [{"model": "m", "status": "pending"}]}]}
        """

    @Test func parsesEveryActionWordAndExpectation() throws {
        let text = """
            {"name": "all", "description": "d", "seed": 9, "parameters": {"votingPeriodRounds": 10, "rentGraceRounds": 3},
             "accounts": [{"name": "a", "balance": 1000}, {"name": "b", "stake": 2000000, "balance": 5}],
             "steps": [
              {"round": 1, "note": "n", "actions": [
                {"do": "register", "from": "a", "model": "m", "name": "net", "version": "2", "sizeBytes": 1048576, "tags": ["x"], "inputShape": [1, 2]},
                {"do": "updateMetadata", "from": "a", "model": "m", "description": "new"},
                {"do": "transfer", "from": "a", "model": "m", "to": "b"},
                {"do": "propose", "from": "b", "proposal": "p1", "kind": "approve", "model": "m", "activationRound": 5},
                {"do": "propose", "from": "b", "proposal": "p2", "kind": "feeSchedule", "operation": "usage",
                 "schedule": {"method": "step", "tiers": [{"upTo": 10, "amount": 5}], "minimum": 0, "maximum": 100}},
                {"do": "propose", "from": "b", "proposal": "p3", "kind": "parameter", "parameter": "quorumBps", "value": 4000},
                {"do": "propose", "from": "b", "proposal": "p4", "kind": "text", "text": "hello"},
                {"do": "propose", "from": "b", "proposal": "p5", "kind": "revoke", "model": "m"},
                {"do": "vote", "voters": ["a", "b"], "proposal": "p1", "choice": "veto"},
                {"do": "execute", "from": "a", "proposal": "p1", "expect": "proposalNotTallied"},
                {"do": "usage", "from": "a", "model": "m", "units": 3, "expect": 114},
                {"do": "withdraw", "from": "a", "amount": "all"},
                {"do": "withdraw", "from": "a", "amount": 10, "corrupt": "signature", "expect": "invalidSignature"},
                {"do": "deprecate", "from": "b", "model": "m", "maxFee": 77},
                {"do": "resume", "from": "b", "model": "m", "expectFee": 12},
                {"do": "setStake", "account": "a", "amount": 3},
                {"do": "deposit", "account": "b", "amount": 4}],
               "expect": [
                {"model": "m", "status": "active"}, {"model": "m", "absent": true}, {"proposal": "p1", "status": "passed"},
                {"account": "a", "balance": 1}, {"account": "a", "minBalance": 2}, {"account": "a", "maxBalance": 3},
                {"account": "b", "stake": 4}, {"parameter": "quorumBps", "value": 4000},
                {"feeSchedule": "usage", "schedule": {"method": "fixed", "amount": 5, "minimum": 0, "maximum": 10}},
                {"event": "model.status", "count": 2}, {"event": "rent.overdue"}]}]}
            """
        let scenario = try Self.parse(text)
        #expect(scenario.name == "all")
        #expect(scenario.seed == 9)
        #expect(scenario.parameterOverrides.map(\.0) == [.rentGraceRounds, .votingPeriodRounds])
        #expect(scenario.accounts == [.init(name: "a", stake: 0, balance: 1000), .init(name: "b", stake: 2_000_000, balance: 5)])
        let step = try #require(scenario.steps.first)
        // The vote with two voters becomes two transactions.
        #expect(step.actions.count == 18)
        #expect(step.expectations.count == 11)
        guard case .transaction(let from, .register(let alias, let registration), let expect, _, nil) = step.actions[0] else {
            Issue.record("first action is not a registration: \(step.actions[0])"); return
        }
        #expect(from == "a" && alias == "m" && registration.name == "net" && registration.version == "2")
        #expect(registration.sizeBytes == 1_048_576 && registration.tags == ["x"] && registration.inputShape.dims == [1, 2])
        #expect(expect == TransactionOutcomeExpectation(code: .ok, fee: nil))
        guard case .transaction("b", .vote("p1", .veto), _, _, _) = step.actions[9] else { Issue.record("\(step.actions[9])"); return }
        guard case .transaction(_, .usage("m", 3), let usageExpect, _, _) = step.actions[11] else { Issue.record("\(step.actions[11])"); return }
        #expect(usageExpect.code == .modelNotActive)
        guard case .transaction(_, .withdraw(nil), _, _, _) = step.actions[12] else { Issue.record("\(step.actions[12])"); return }
        guard case .transaction(_, .withdraw(10), _, _, .signature?) = step.actions[13] else { Issue.record("\(step.actions[13])"); return }
        guard case .transaction(_, .deprecate("m"), _, 77?, _) = step.actions[14] else { Issue.record("\(step.actions[14])"); return }
        guard case .transaction(_, .resume("m"), let resumeExpect, _, _) = step.actions[15] else { Issue.record("\(step.actions[15])"); return }
        #expect(resumeExpect.fee == 12)
        #expect(step.actions[16] == .setStake(account: "a", amount: 3))
        #expect(step.actions[17] == .deposit(account: "b", amount: 4))
        guard case .transaction(_, .propose("p2", .feeSchedule(.usage, let schedule)), _, _, _) = step.actions[4] else {
            Issue.record("\(step.actions[4])"); return
        }
        #expect(schedule == FeeSchedule(method: .step(tiers: [FeeTier(upToUnits: 10, amount: 5)]), minimum: 0, maximum: 100))
        #expect(step.expectations[1] == .modelAbsent(model: "m"))
        #expect(step.expectations[4] == .balance(account: "a", .atLeast(2)))
        #expect(step.expectations[9] == .event(topic: "model.status", count: 2))
        #expect(step.expectations[10] == .event(topic: "rent.overdue", count: nil))
    }

    @Test func theShippedScenariosParse() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Integration/scenarios")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(files.count >= 3)
        for file in files {
            let scenario = try ScenarioParser.load(path: directory.appendingPathComponent(file).path)
            #expect(scenario.length > 0, "\(file)")
            #expect(scenario.expectationCount > 0, "\(file)")
            _ = try ScenarioSource.parameters(of: scenario)
        }
    }

    @Test(arguments: [
        (#"{"name": "t", "accounts": [{"name": "a"}], "steps": [{"round": 1, "actions": [{"do": "fly", "from": "a"}]}]}"#, "steps[0].actions[0].do"),
        (#"{"name": "t", "accounts": [{"name": "a"}], "steps": [{"round": 1, "actions": [{"do": "usage", "from": "a", "model": "nope"}]}]}"#, "steps[0].actions[0].model"),
        (#"{"name": "t", "accounts": [{"name": "a"}], "steps": [{"round": 1, "actions": [{"do": "withdraw", "from": "zed", "amount": 1}]}]}"#, "steps[0].actions[0].from"),
        (#"{"name": "t", "accounts": [{"name": "a"}], "steps": [{"round": 1, "actions": [{"do": "withdraw", "from": "a", "amount": 1, "colour": 2}]}]}"#, "steps[0].actions[0].colour"),
        (#"{"name": "t", "accounts": [{"name": "a"}], "steps": [{"round": 1, "actions": [{"do": "withdraw", "from": "a", "amount": -1}]}]}"#, "steps[0].actions[0].amount"),
        (#"{"name": "t", "accounts": [{"name": "a"}], "steps": [{"round": 1, "actions": [{"do": "withdraw", "from": "a", "amount": 1.5}]}]}"#, "steps[0].actions[0].amount"),
        (#"{"name": "t", "accounts": [{"name": "a"}], "steps": [{"round": 1, "actions": [{"do": "withdraw", "from": "a", "amount": 1, "expect": "soggy"}]}]}"#, "steps[0].actions[0].expect"),
        (#"{"name": "t", "accounts": [{"name": "a"}], "steps": [{"round": 2}, {"round": 2}]}"#, "steps[1].round"),
        (#"{"name": "t", "accounts": [{"name": "a"}], "steps": [{"round": 0}]}"#, "steps[0].round"),
        (#"{"name": "t", "accounts": [{"name": "a"}], "steps": [{"round": 1, "expect": [{"proposal": "p", "status": "passed"}]}]}"#, "steps[0].expect[0].proposal"),
        (#"{"name": "t", "accounts": [{"name": "a"}], "steps": [{"round": 1, "expect": [{"colour": 1}]}]}"#, "steps[0].expect[0]"),
        (#"{"name": "t", "parameters": {"quorumBps": 0}, "accounts": [{"name": "a"}], "steps": [{"round": 1}]}"#, "parameters.quorumBps"),
        (#"{"name": "t", "parameters": {"speed": 1}, "accounts": [{"name": "a"}], "steps": [{"round": 1}]}"#, "parameters.speed"),
        (#"{"name": "t", "accounts": [{"name": "a"}, {"name": "a"}], "steps": [{"round": 1}]}"#, "accounts[1].name"),
        (#"{"name": "t", "accounts": [{"name": "a", "stake": 1}], "steps": [{"round": 1, "actions": [{"do": "propose", "from": "a", "proposal": "p", "kind": "feeSchedule", "operation": "usage", "schedule": {"method": "fixed", "amount": 5, "minimum": 9, "maximum": 1}}]}]}"#, "steps[0].actions[0].schedule"),
        (#"{"name": "t", "accounts": [{"name": "a"}], "steps": [], "extra": 1}"#, "extra"),
        (#"{"accounts": [{"name": "a"}], "steps": [{"round": 1}]}"#, "name"),
    ])
    func refusesMistakesNamingTheKeyPath(_ text: String, _ path: String) {
        do {
            _ = try Self.parse(text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.path == path, "\(error)")
        }
    }

    @Test func refusesADocumentThatIsNotAnObject() {
        #expect(throws: JSONReadError.self) { try Self.parse("[1, 2]") }
        #expect(throws: JSONReadError.self) { try Self.parse("{not json") }
    }
}
