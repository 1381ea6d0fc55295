import Foundation
import RegistryWorkload
import Sodium
import StateStore
import StateSync
import StateTree
import TestSupport

/// A source store with a few seeded rounds, for export/import tests.
struct SnapshotTestStore {
    let directory = TemporaryDirectory(prefix: "statesync-test")
    let store: StateStore
    /// The expected key-value set of each committed round.
    private(set) var states: [UInt64: [[UInt8]: [UInt8]]] = [:]
    private(set) var rounds: [UInt64] = []

    var catalog: SnapshotCatalog { SnapshotCatalog(directory: directory.path + "/snapshots") }

    /// A target directory for an import (does not exist yet).
    func target(_ name: String = "imported") -> String { directory.path + "/" + name }

    init() throws {
        store = try StateStore(directory: directory.path + "/data", configuration: .init(durability: .noSync))
    }

    /// Commits `round` with `puts` random keys (and deletes of `deletes` existing ones), with metadata.
    mutating func commit(round: UInt64, puts: Int, deletes: Int = 0, seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var state = rounds.last.flatMap { states[$0] } ?? [:]
        var writes: [[UInt8]: [UInt8]?] = [:]
        for key in state.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }).prefix(deletes) { writes[key] = .some(nil) }
        for _ in 0..<puts { writes[rng.bytes(1 + Int(rng.below(48)))] = .some(rng.bytes(Int(rng.below(200)))) }
        let sorted = writes.keys.sorted { $0.lexicographicallyPrecedes($1) }
        for key in sorted { state[key] = writes[key]! }
        let metadata: [StateStore.Write] = rounds.isEmpty
            ? [.put(SnapshotExporter.chainIDMetadataKey, Array("test-chain".utf8)), .put(Array("registry.genesis_round".utf8), [0, 0, 0, 0, 0, 0, 0, 1])]
            : []
        try store.commit(version: round, writes: sorted.map { StateStore.Write(key: $0, value: writes[$0]!) },
                         roundRecord: [1], metadata: metadata)
        states[round] = state
        rounds.append(round)
    }

    /// Checks that the store at `path` holds exactly `states[round]` at `round` as its only version,
    /// with values and proofs equal to the source's; returns a description of the first difference.
    func verifyImported(at path: String, round: UInt64) throws -> String? {
        let imported = try StateStore(directory: path, configuration: .init(createDirectory: false, readOnly: true))
        let source = try store.snapshot()
        let target = try imported.snapshot()
        let result = try compare(source: source, target: target, round: round)
        target.close()
        source.close()
        return result
    }

    private func compare(source: borrowing Snapshot, target: borrowing Snapshot, round: UInt64) throws -> String? {
        guard target.version == round else { return "latest \(String(describing: target.version)), expected \(round)" }
        guard try target.rootHash(version: round) == source.rootHash(version: round) else { return "root differs" }
        guard try target.retainedVersions() == [round] else { return "versions \(try target.retainedVersions())" }
        let expected = states[round] ?? [:]
        let flat = try target.scan()
        guard flat.count == expected.count else { return "flat state has \(flat.count) entries, expected \(expected.count)" }
        for entry in flat where expected[entry.key] != entry.value { return "flat value of \(Hex.encode(entry.key)) differs" }
        let root = try target.rootHash(version: round)
        for key in expected.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let (value, proof) = try target.get(key, version: round)
            guard value == expected[key] else { return "tree value of \(Hex.encode(key)) differs" }
            let (sourceValue, sourceProof) = try source.get(key, version: round)
            guard sourceValue == value, sourceProof == proof else { return "proof of \(Hex.encode(key)) differs" }
            guard (try? StateTree.verify(proof: proof, root: root, key: key, value: value)) != nil else { return "proof of \(Hex.encode(key)) fails" }
        }
        let absent: [UInt8] = Array("absent-key".utf8)
        let (none, proof) = try target.get(absent, version: round)
        guard none == nil, (try? StateTree.verify(proof: proof, root: root, key: absent, value: nil)) != nil else { return "non-inclusion proof fails" }
        for key in [SnapshotExporter.chainIDMetadataKey, Array("registry.genesis_round".utf8)] {
            guard try target.metadata(key) == source.metadata(key) else { return "metadata \(String(decoding: key, as: UTF8.self)) differs" }
        }
        return nil
    }
}

/// Whether anything named like a staging directory or the target is left beside `target`.
func leftovers(beside target: String) -> [String] {
    let parent = (target as NSString).deletingLastPathComponent
    let name = (target as NSString).lastPathComponent
    let names = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
    return names.filter { $0 == name || $0.hasPrefix("." + name) }.sorted()
}
