// registry-testkit: helper processes for the cross-process tests.
//
//   registry-testkit <subcommand> [args]
//
// Each subcommand lives in its own file as `enum X { static func run(_ arguments: [String]) -> Int32 }`
// and is listed in `subcommands` below; it returns the process exit status.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let subcommands: [(name: String, summary: String, run: ([String]) -> Int32)] = [
    ("crash-writer", "commit deterministic rounds to a state store forever (crash test)", CrashWriter.run),
    ("determinism", "run a seeded workload through the executor, print per-round digests", Determinism.run),
]

let arguments = Array(CommandLine.arguments.dropFirst())
if let name = arguments.first, let subcommand = subcommands.first(where: { $0.name == name }) {
    exit(subcommand.run(Array(arguments.dropFirst())))
}
print("usage: registry-testkit <subcommand> [args]")
for subcommand in subcommands { print("  \(subcommand.name)  \(subcommand.summary)") }
exit(arguments.first == nil || arguments.first == "--help" ? 0 : 2)
