import Foundation
import RegistryCore
import Sodium
import StateStore
import StateTree
import TestSupport
import Testing
import Wire
@testable import RegistryNode

/// `ai-registry inspect diff` (run as a process) over two stores built from the same seeded workload,
/// one of which got a changed and an extra write in one round; and `StateEntryJSON`'s key decoding.
@Suite(.serialized)
struct InspectDiffTests {
    /// The account whose balance the tampered store changes, and the extra key it adds.
    static let extraKey = StateKey.counter("h6-extra")

    /// Two fixtures with identical rounds 0…3; round 4 of `tampered` also writes `extraKey` and adds 1 to
    /// the balance of `target`; round 5 is the workload's next round on both.
    static func divergentPair() throws -> (clean: QueryFixture, tampered: QueryFixture, target: [UInt8]) {
        let clean = try QueryFixture(rounds: 3, transactionsPerRound: 20)
        let tampered = try QueryFixture(rounds: 3, transactionsPerRound: 20)
        #expect(clean.roots == tampered.roots)
        let target = try #require(clean.sampleKeys.first)
        try clean.applyNextRound()

        let round = tampered.generator.nextRound()
        let reader = try SnapshotStateReader(store: tampered.store)
        let outcome = try tampered.executor.execute(round.input, state: reader)
        reader.close()
        var writes = outcome.writes.map { KeyUpdate(key: $0.key, value: $0.value) }
        let current: [UInt8]
        if let written = writes.first(where: { $0.key == target })?.value {
            current = written
        } else {
            let snapshot = try tampered.store.snapshot()
            current = try #require(try snapshot.value(target))
            snapshot.close()
        }
        var account = try Account(canonicalBytes: current)
        account.balance += 1
        writes.removeAll { $0.key == target || $0.key == extraKey }
        writes.append(KeyUpdate(key: target, value: account.canonicalBytes()))
        writes.append(KeyUpdate(key: extraKey, value: Counter(1).canonicalBytes()))
        writes.sort { $0.key.lexicographicallyPrecedes($1.key) }
        _ = try tampered.store.commit(
            version: round.input.round, writes: writes,
            roundRecord: RoundRecord(input: round.input, outcome: outcome).canonicalBytes())

        try clean.applyNextRound()
        // The tampered fixture's generator already produced round 4; its next round is 5, as clean's.
        let next = tampered.generator.nextRound()
        let nextReader = try SnapshotStateReader(store: tampered.store)
        let nextOutcome = try tampered.executor.execute(next.input, state: nextReader)
        nextReader.close()
        _ = try tampered.store.commit(
            version: next.input.round, writes: nextOutcome.writes.map { KeyUpdate(key: $0.key, value: $0.value) })
        return (clean, tampered, target)
    }

    /// The JSON objects printed one per line.
    static func lines(_ output: String) throws -> [[String: Any]] {
        try output.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "not a JSON object: \($0)")
        }
    }

    @Test func reportsExactlyTheChangedAndTheExtraKey() throws {
        let (clean, tampered, target) = try Self.divergentPair()
        let a = clean.directory.path, b = tampered.directory.path

        // Rounds before the tampering agree: nothing printed, exit 0.
        let same = try QueryCLITests.run(["inspect", "diff", "--data-dir", a, "--other", b, "--round", "3"])
        #expect(same.status == 0)
        #expect(same.output.isEmpty)

        let (status, output) = try QueryCLITests.run(["inspect", "diff", "--data-dir", a, "--other", b, "--round", "4"])
        #expect(status == 1)
        let lines = try Self.lines(output)
        let expectedKeys = [target, Self.extraKey].sorted { TreeHash.keyHash($0) < TreeHash.keyHash($1) }
        #expect(lines.compactMap { $0["key"] as? String } == expectedKeys.map { Hex.encode($0) })
        #expect(lines.allSatisfy { ($0["round"] as? Int) == 4 })
        #expect(lines.compactMap { $0["key_hash"] as? String } == expectedKeys.map { TreeHash.keyHash($0).hex })

        let extra = try #require(lines.first { $0["key"] as? String == Hex.encode(Self.extraKey) })
        #expect(extra["data_dir"] is NSNull)
        let extraOther = try #require(extra["other"] as? [String: Any])
        #expect((extraOther["decoded"] as? [String: Any])?["value"] as? Int == 1)
        #expect((extra["decoded_key"] as? [String: Any])?["table"] as? String == "counter")
        #expect((extra["decoded_key"] as? [String: Any])?["name"] as? String == "h6-extra")

        let changed = try #require(lines.first { $0["key"] as? String == Hex.encode(target) })
        #expect((changed["decoded_key"] as? [String: Any])?["table"] as? String == "account")
        let mine = try #require((changed["data_dir"] as? [String: Any])?["decoded"] as? [String: Any])
        let theirs = try #require((changed["other"] as? [String: Any])?["decoded"] as? [String: Any])
        let myBalance = try #require(mine["balance"] as? Int), theirBalance = try #require(theirs["balance"] as? Int)
        #expect(theirBalance == myBalance + 1)
        #expect((changed["data_dir"] as? [String: Any])?["value_hash"] as? String != (changed["other"] as? [String: Any])?["value_hash"] as? String)

        // --first-round finds round 4 by itself (the highest common round, 5, differs too) and prints its diff.
        let first = try QueryCLITests.run(["inspect", "diff", "--data-dir", a, "--other", b, "--first-round"])
        #expect(first.status == 1)
        #expect(first.output == output)

        // --limit truncates; the sides swap with the arguments.
        let limited = try QueryCLITests.run(["inspect", "diff", "--data-dir", a, "--other", b, "--round", "4", "--limit", "1"])
        #expect(limited.status == 1)
        #expect(try Self.lines(limited.output).count == 1)
        let swapped = try Self.lines(try QueryCLITests.run(["inspect", "diff", "--data-dir", b, "--other", a, "--round", "4"]).output)
        #expect(swapped.first { $0["key"] as? String == Hex.encode(Self.extraKey) }?["other"] is NSNull)
    }

    @Test func identicalStoresPrintNothing() throws {
        let a = try QueryFixture(rounds: 3, transactionsPerRound: 20)
        let b = try QueryFixture(rounds: 3, transactionsPerRound: 20)
        for extra in [[], ["--first-round"]] {
            let (status, output) = try QueryCLITests.run(["inspect", "diff", "--data-dir", a.directory.path, "--other", b.directory.path] + extra)
            #expect(status == 0)
            #expect(output.isEmpty)
        }
    }

    @Test func refusesBadInput() throws {
        let a = try QueryFixture(rounds: 1, transactionsPerRound: 5)
        let empty = TemporaryDirectory(prefix: "diff-empty")
        #expect(try QueryCLITests.run(["inspect", "diff", "--data-dir", a.directory.path, "--other", empty.path]).status == 64)
        #expect(try QueryCLITests.run(["inspect", "diff", "--data-dir", a.directory.path, "--other", a.directory.path]).status == 64)
        let b = try QueryFixture(rounds: 1, transactionsPerRound: 5)
        #expect(try QueryCLITests.run(["inspect", "diff", "--data-dir", a.directory.path, "--other", b.directory.path, "--round", "9"]).status == 64)
        #expect(try QueryCLITests.run(["inspect", "diff", "--data-dir", a.directory.path, "--other", b.directory.path, "--limit", "-1"]).status == 64)
    }

    @Test func keyDescriptions() {
        let model = ModelID(name: "resnet", version: "1.0")
        let account = AccountID(Digest256(w0: 1, w1: 2, w2: 3, w3: 4))
        #expect(StateEntryJSON.key(StateKey.model(model)) == .object([("table", .string("model")), ("model_id", .string(model.raw.hex))]))
        #expect(StateEntryJSON.key(StateKey.modelByName(name: "resnet", version: "1.0"))
            == .object([("table", .string("modelByName")), ("name", .string("resnet")), ("version", .string("1.0"))]))
        #expect(StateEntryJSON.key(StateKey.vote(12, account))
            == .object([("table", .string("vote")), ("proposal_id", .unsigned(12)), ("voter", .string(account.raw.hex))]))
        #expect(StateEntryJSON.key(StateKey.modelsByStatus(ModelStatus.active.rawValue, model))
            == .object([("table", .string("modelsByStatus")), ("status", .string("active")), ("model_id", .string(model.raw.hex))]))
        #expect(StateEntryJSON.key(StateKey.parameters) == .object([("table", .string("parameters"))]))
        #expect(StateEntryJSON.key(StateKey.votingSnapshot(40, 7))
            == .object([("table", .string("votingSnapshot")), ("submitted_at", .unsigned(40)), ("proposal_id", .unsigned(7))]))
        // Short, unknown and empty keys are described, never trapped on.
        #expect(StateEntryJSON.key([StateKey.Table.model.rawValue, 1, 2])
            == .object([("table", .string("model")), ("model_id", .null), ("rest", .string("0102")), ("malformed", .bool(true))]))
        #expect(StateEntryJSON.key([0x7F, 0xAB]) == .object([("table", .string("0x7f")), ("rest", .string("ab"))]))
        #expect(StateEntryJSON.key([])["malformed"] == .bool(true))
        // Values decode by table through the query views; undecodable bytes give nil.
        let value = Account(nonce: 3, balance: 40, stake: 5).canonicalBytes()
        #expect(StateEntryJSON.value(key: StateKey.account(account), value: value)?["balance"] == .unsigned(40))
        #expect(StateEntryJSON.value(key: StateKey.account(account), value: [1, 2, 3]) == nil)
        #expect(StateEntryJSON.value(key: StateKey.modelsByOwner(account, model), value: []) == nil)
    }
}
