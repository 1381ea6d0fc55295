// registry-bench: release-build benchmarks (Docs/benchmarks.md).
//
//   registry-bench tree [options]   the LMDB state store and tree (TreeBenchmark.swift)
//   registry-bench core [options]   the round executor (CoreBenchmark.swift)
//   registry-bench node [options]   the plugin process over ZeroMQ (NodeBenchmark.swift; needs the
//                                   release ai-registry next to it)
//   registry-bench retention [opts] disk use over many rounds with pruning (RetentionBenchmark.swift)
//   registry-bench snapshot [opts] state-sync snapshot export and import (SnapshotBenchmark.swift)
//   registry-bench all              tree, core, then node (rent period 50, then 18000)
//
// The end-to-end demonstration is `round-driver demo` (`make demo`).
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
      node   the plugin process over ZeroMQ: round trips, 1k-tx rounds, get-with-proof, queries vs rounds
      retention  disk use over 100k rounds with the retention policy, and without pruning (--help)
      snapshot   state-sync snapshot export and import of a 1M-key store (--help)
      all    tree, core, then node
    """

let arguments = Array(CommandLine.arguments.dropFirst())
let status: Int32
switch arguments.first {
case "tree": status = TreeBenchmark.run(Array(arguments.dropFirst()))
case "core": status = CoreBenchmark.run(Array(arguments.dropFirst()))
case "node": status = NodeBenchmark.run(Array(arguments.dropFirst()))
case "retention": status = RetentionBenchmark.run(Array(arguments.dropFirst()))
case "snapshot": status = SnapshotBenchmark.run(Array(arguments.dropFirst()))
case "all":
    // The store's synchronous commit, then the write-behind commit the plugin uses by default (ADR 0027)
    // with commits spaced like round ticks.
    let synchronous = TreeBenchmark.run([])
    let tree = synchronous != 0 ? synchronous : TreeBenchmark.run(["--write-behind", "--interval-ms", "200"])
    let core = tree != 0 ? tree : CoreBenchmark.run([])
    let node = core != 0 ? core : NodeBenchmark.run([])
    // The same with the domain's default rent period (18,000 rounds): empty rounds without the rent
    // collections the benchmark's 50-round period puts in every round.
    status = node != 0 ? node : NodeBenchmark.run(["--rent-period", "18000"])
default:
    print(usage)
    status = arguments.first == nil || arguments.first == "--help" ? 0 : 2
}
exit(status)
