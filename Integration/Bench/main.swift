// registry-bench: release-build benchmarks (Docs/benchmarks.md).
//
//   registry-bench tree [options]   the LMDB state store and tree (TreeBenchmark.swift)
//   registry-bench core [options]   the round executor (CoreBenchmark.swift)
//   registry-bench demo [options]   an end-to-end demonstration (Demo.swift)
//   registry-bench all              tree, then core
//
// Each subcommand lives in its own file as `enum X { static func run(_ arguments: [String]) -> Int32 }`
// and returns the process exit status.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let usage = """
    usage: registry-bench <subcommand> [options]
      tree   state store and tree: commit, get-with-proof, verify, bytes per key (--help for options)
      core   round executor
      demo   end-to-end demonstration
      all    tree, then core
    """

let arguments = Array(CommandLine.arguments.dropFirst())
let status: Int32
switch arguments.first {
case "tree": status = TreeBenchmark.run(Array(arguments.dropFirst()))
case "core": status = CoreBenchmark.run(Array(arguments.dropFirst()))
case "demo": status = Demo.run(Array(arguments.dropFirst()))
case "node": status = NodeBenchmark.run(Array(arguments.dropFirst()))
case "all":
    let tree = TreeBenchmark.run([])
    status = tree != 0 ? tree : CoreBenchmark.run([])
default:
    print(usage)
    status = arguments.first == nil || arguments.first == "--help" ? 0 : 2
}
exit(status)
