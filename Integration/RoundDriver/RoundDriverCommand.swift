import ArgumentParser
import Foundation
import RoundDriverKit

/// `round-driver`: drives `ai-registry run` replicas through seeded workloads and scenarios over the
/// real consensus protocol, injects faults, verifies proofs and measures (Integration/README.md).
struct RoundDriverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "round-driver",
        abstract: "The simulated host node: drives ai-registry replicas round by round, injects faults, checks convergence.",
        subcommands: [RunCommand.self, ScenarioCommand.self, BenchCommand.self, DemoCommand.self],
        defaultSubcommand: RunCommand.self
    )
}
