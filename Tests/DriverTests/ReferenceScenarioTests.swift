import Foundation
import RegistryCore
import RegistryWorkload
import Testing
@testable import RoundDriverKit

/// The shipped scenarios on the in-process reference (no plugin): every transaction gets the code and
/// fee the file expects and every check holds. The same files then run against real plugins in CI
/// (`DriverProcessTests`) and in `make demo`.
@Suite struct ReferenceScenarioTests {
    static var scenariosDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Integration/scenarios")
    }

    @Test(arguments: ["model-lifecycle.json", "emergency-revoke.json", "fee-schedule-change.json"])
    func shippedScenarioHoldsOnTheReference(_ file: String) throws {
        let scenario = try ScenarioParser.load(path: Self.scenariosDirectory.appendingPathComponent(file).path)
        var source = ScenarioSource(scenario: scenario, parameters: try ScenarioSource.parameters(of: scenario))
        let result = try ReferenceDryRun.run(&source)
        #expect(result.transactionFailures.isEmpty, "\(result.transactionFailures)")
        #expect(result.failedChecks.isEmpty, "\(result.failedChecks)")
        #expect(result.checks.count == scenario.steps.reduce(0) { $0 + $1.expectations.count })
    }

    @Test func aFailingExpectationIsReported() throws {
        let text = """
            {"name": "wrong", "accounts": [{"name": "a", "balance": 100000000000}],
             "steps": [{"round": 1, "actions": [{"do": "register", "from": "a", "model": "m", "expect": "modelAlreadyExists"}],
                        "expect": [{"model": "m", "status": "active"}, {"account": "a", "balance": 1}]}]}
            """
        let scenario = try ScenarioParser.parse(Data(text.utf8))
        var source = ScenarioSource(scenario: scenario, parameters: try ScenarioSource.parameters(of: scenario))
        let result = try ReferenceDryRun.run(&source)
        #expect(result.transactionFailures.count == 1)
        #expect(result.transactionFailures.first?.actual.hasPrefix("ok") == true)
        #expect(result.failedChecks.count == 2)
        #expect(result.failedChecks.first?.contains("status pending") == true)
    }

    @Test func theDemoSequenceKeepsTheWorkloadExpectations() throws {
        let scenario = try ScenarioParser.load(path: Self.scenariosDirectory.appendingPathComponent("model-lifecycle.json").path)
        var source = try DemoPlan.source(scenario: scenario, seed: 7, workloadRounds: 30, transactionsPerRound: 40)
        let result = try ReferenceDryRun.run(&source)
        #expect(result.rounds == 30 + scenario.length)
        #expect(result.transactionFailures.isEmpty, "\(result.transactionFailures.prefix(5))")
        #expect(result.failedChecks.isEmpty, "\(result.failedChecks)")
    }
}
