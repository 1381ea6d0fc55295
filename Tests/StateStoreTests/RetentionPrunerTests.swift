import RegistryWorkload
import StateStore
import TestSupport
import Testing

/// `RetentionPruner`: the after-round retention policy the plugin and `registry-bench retention` share.
@Suite("StateStore · retention pruner")
struct RetentionPrunerTests {
    /// Commits version `round` of `StoreRounds` with a round record.
    static func commit(_ store: StateStore, _ round: UInt64) throws {
        let writes = StoreRounds.writes(round: round, keysPerRound: 20).map { StateStore.Write(key: $0.key, value: $0.value) }
        _ = try store.commit(version: round, writes: writes, roundRecord: StoreRounds.record(round: round))
    }

    static func retained(_ store: StateStore) throws -> [UInt64] {
        try store.withSnapshot { snapshot in try snapshot.retainedVersions() }
    }

    /// Whether the round record of `version` is stored.
    static func hasRecord(_ store: StateStore, _ version: UInt64) throws -> Bool {
        try store.withSnapshot { snapshot in try snapshot.roundRecord(version: version) != nil }
    }

    @Test func keepsExactlyTheWindowAfterEveryRound() throws {
        let directory = TemporaryDirectory(prefix: "retention")
        let store = try StateStore(directory: directory.path, configuration: StateStore.Configuration(durability: .noSync))
        var pruner = RetentionPruner(window: 10, batchEntries: 20_000)
        var steps = 0
        for round: UInt64 in 1...60 {
            try Self.commit(store, round)
            // Unknown before the first step; then nothing is due until a version falls outside the window.
            if (2...9).contains(round) { #expect(!pruner.isDue(latest: round)) }
            if round >= 11 { #expect(pruner.isDue(latest: round)) }
            if try pruner.afterCommit(latest: round, store: store) != nil, round >= 11 { steps += 1 }
            let versions = try Self.retained(store)
            #expect(versions == Array(max(1, round >= 10 ? round - 9 : 1)...round), "round \(round)")
            // Round records follow the versions.
            #expect(try Self.hasRecord(store, versions[0]))
            if versions[0] > 1 { #expect(try !Self.hasRecord(store, versions[0] - 1)) }
        }
        #expect(steps == 50)
        #expect(pruner.earliestRetained == 51)
        // Right after a complete step nothing is outside the window: no write transaction is due.
        #expect(!pruner.isDue(latest: 60))
        #expect(pruner.isDue(latest: 61))
    }

    @Test func zeroWindowKeepsEverything() throws {
        let directory = TemporaryDirectory(prefix: "retention")
        let store = try StateStore(directory: directory.path, configuration: StateStore.Configuration(durability: .noSync))
        var pruner = RetentionPruner(window: 0, batchEntries: 100)
        for round: UInt64 in 1...30 {
            try Self.commit(store, round)
            #expect(try pruner.afterCommit(latest: round, store: store) == nil)
        }
        #expect(try Self.retained(store) == Array(1...30))
    }

    @Test func smallStepsCatchUpOverLaterRounds() throws {
        let directory = TemporaryDirectory(prefix: "retention")
        let store = try StateStore(directory: directory.path, configuration: StateStore.Configuration(durability: .noSync))
        for round: UInt64 in 1...40 { try Self.commit(store, round) }
        // A window of 5 on 40 versions with at most 100 entries per step: several incomplete steps,
        // one per round, until the window holds.
        var pruner = RetentionPruner(window: 5, batchEntries: 100)
        var round: UInt64 = 40
        var incomplete = 0
        while true {
            let outcome = try #require(try pruner.afterCommit(latest: round, store: store))
            if outcome.isComplete { break }
            incomplete += 1
            #expect(pruner.earliestRetained == nil)
            #expect(pruner.isDue(latest: round + 1))
            round += 1
            try Self.commit(store, round)
            #expect(incomplete < 100)
        }
        #expect(incomplete > 0)
        #expect(try Self.retained(store) == Array((round - 4)...round))
    }
}
