import ArgumentParser
import Foundation
import RegistryNode
import Sodium
import StateStore
import StateTree

/// `ai-registry inspect diff --data-dir A --other B [--round R] [--first-round] [--limit N]`: where two
/// data directories disagree at a round. Walks both state trees from the roots of the round, descending
/// only where child hashes differ (`StateTree.diff`), and prints one JSON line per divergent key in
/// key-hash order; a summary goes to standard error. Both stores are opened read-only, so it works
/// while plugins run. Exit status: 0 when the roots agree, 1 when keys differ, 2 when a store cannot be
/// read (a corrupt node, an LMDB error), 64 on bad input.
struct InspectDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Find the keys where two data directories disagree at a round (JSON lines, key-hash order).",
        discussion: """
            Exit status 0: the roots agree (nothing printed); 1: keys differ; 2: a store could not be read \
            (corrupt node, LMDB error). With --first-round, the first \
            round whose roots differ is found by binary search over the rounds both directories retain \
            (at or below --round if given), and that round is diffed.
            """
    )

    @Option(name: .long, help: "One plugin data directory (holding data.mdb); its side is \"data_dir\" in the output.")
    var dataDir: String

    @Option(name: .long, help: "The other data directory; its side is \"other\" in the output.")
    var other: String

    @Option(name: .long, help: "The round to compare (default: the highest round both retain).")
    var round: UInt64?

    @Flag(name: .long, help: "Find the first round at which the roots differ, and diff that round.")
    var firstRound = false

    @Option(name: .long, help: "Print at most this many keys (0: no limit).")
    var limit: Int = 1000

    func validate() throws {
        guard limit >= 0 else { throw ValidationError("--limit must be 0 or more") }
    }

    func run() throws {
        // One LMDB environment per directory per process: refuse the same directory twice.
        guard realPath(dataDir) != realPath(other) else {
            throw ValidationError("--data-dir and --other name the same directory")
        }
        let left = try Self.open(dataDir, option: "--data-dir")
        let right = try Self.open(other, option: "--other")
        do {
            try compare(left, right)
        } catch let error as StateTreeError {
            Self.note("inspect diff: \(error)")
            throw ExitCode(2)
        } catch let error as StateStoreError {
            Self.note("inspect diff: \(error)")
            throw ExitCode(2)
        }
    }

    /// Compares the two stores and prints the differing keys; throws `ExitCode(1)` when there are some.
    private func compare(_ left: StateStore, _ right: StateStore) throws {
        // Both snapshots (read transactions) end when they go out of scope.
        let a = try left.snapshot()
        let b = try right.snapshot()
        let common = try Self.commonVersions(a.retainedVersions(), b.retainedVersions())
        guard let highest = common.last else {
            throw ValidationError("the two data directories retain no round in common")
        }
        var target = round ?? highest
        if let round, !common.contains(round) {
            throw ValidationError("--round \(round): not retained by both directories (common rounds \(common.first ?? 0)…\(highest))")
        }
        let tree = StateTree()
        if firstRound {
            let candidates = common.filter { $0 <= target }
            guard let first = try tree.firstDivergentVersion(a, b, among: candidates) else {
                Self.note("roots agree at every round both retain up to \(target) (\(candidates.first ?? 0)…\(target))")
                return
            }
            let earlier = candidates.last { $0 < first }
            Self.note("first divergent round: \(first)" + (earlier.map { " (roots agree at \($0))" } ?? " (the earliest common round)"))
            target = first
        }
        let diff = try tree.diff(a, at: target, b, at: target, limit: limit == 0 ? .max : limit)
        for difference in diff.differences {
            print(Self.line(difference, round: target).rendered(pretty: false))
        }
        if diff.leftRoot == diff.rightRoot {
            Self.note("round \(target): roots agree (\(diff.leftRoot.hex))")
            return
        }
        Self.note(
            "round \(target): root \(diff.leftRoot.hex) (--data-dir) vs \(diff.rightRoot.hex) (--other); "
                + "\(diff.differences.count)\(diff.truncated ? "+ (truncated by --limit)" : "") differing keys; "
                + "\(diff.nodesRead) nodes read")
        throw ExitCode(1)
    }

    /// One JSON line: the round, the raw key and its hash, the decoded key, and each side.
    static func line(_ difference: TreeDifference, round: UInt64) -> QueryJSONValue {
        var members: [(String, QueryJSONValue)] = [
            ("round", .unsigned(round)), ("key", .string(Hex.encode(difference.key))),
            ("key_hash", .string(difference.keyHash.hex)), ("decoded_key", StateEntryJSON.key(difference.key)),
        ]
        for (name, leaf) in [("data_dir", difference.left), ("other", difference.right)] {
            guard let leaf else {
                members.append((name, .null))
                continue
            }
            var side: [(String, QueryJSONValue)] = [
                ("value_hash", .string(leaf.valueHash.hex)), ("value", .string(Hex.encode(leaf.value))),
            ]
            if let decoded = StateEntryJSON.value(key: leaf.key, value: leaf.value) { side.append(("decoded", decoded)) }
            members.append((name, .object(side)))
        }
        return .object(members)
    }

    /// The versions in both ascending lists.
    static func commonVersions(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        var out: [UInt64] = []
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                out.append(a[i])
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return out
    }

    /// Opens a data directory read-only (a running plugin may keep writing).
    static func open(_ directory: String, option: String) throws -> StateStore {
        guard FileManager.default.fileExists(atPath: directory + "/data.mdb") else {
            throw ValidationError("\(option): \(directory) holds no data.mdb")
        }
        do {
            return try StateStore(directory: directory, configuration: StateStore.Configuration(createDirectory: false, readOnly: true))
        } catch {
            throw ValidationError("\(option): cannot open the store in \(directory): \(error)")
        }
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    private func realPath(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
    }
}
