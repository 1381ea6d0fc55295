import Foundation
import RegistryClient
import RegistryCore
import RegistryNode
import RegistryWorkload
import Testing
import Wire

extension PluginProcessTests {
    /// /metrics and /health of the running process answer over HTTP, and the counters move with the
    /// rounds applied: rounds, transactions by code, the latency histogram, the last-round gauge.
    @Test func metricsAndHealthFollowTheRounds() throws {
        let reference = try ReferenceRun.make(seed: Self.seed, rounds: Self.rounds, transactions: Self.transactions)
        let harness = try PluginHarness()
        let http = try harness.http()

        let health = try http.get("/health")
        #expect(health.status == 200)
        let fresh = try #require(try JSONSerialization.jsonObject(with: Data(health.body.utf8)) as? [String: Any])
        #expect(fresh["status"] as? String == "ok")
        #expect(fresh["initialized"] as? Bool == false)

        let before = try http.get("/metrics")
        #expect(before.status == 200)
        let rounds0 = before.sample(MetricsNames.roundsApplied) ?? 0
        let transactions0 = before.sum(MetricsNames.transactions)
        let latencyCount0 = before.sample("\(MetricsNames.roundLatency)_count") ?? 0

        _ = try harness.consensus.initChain(genesis: reference.genesis)
        for index in 0..<5 { _ = try harness.consensus.applyRound(reference.rounds[index].input) }
        // A replay is not a new round.
        _ = try harness.consensus.applyRound(reference.rounds[4].input)

        let after = try http.get("/metrics")
        #expect(after.sample(MetricsNames.roundsApplied) == rounds0 + 5, "\(after.body)")
        #expect(after.sum(MetricsNames.transactions) == transactions0 + Double(5 * Self.transactions))
        let okCount = Double(reference.outcomes.prefix(5).reduce(0) { $0 + $1.results.filter { $0.code == .ok }.count })
        #expect(after.sample(#"\#(MetricsNames.transactions){code="ok"}"#) == okCount)
        #expect((after.sample("\(MetricsNames.roundLatency)_count") ?? 0) >= latencyCount0 + 5)
        #expect(after.sample(MetricsNames.lastRound) == 5)
        #expect((after.sample(MetricsNames.lmdbUsedBytes) ?? 0) > 0)

        let later = try http.get("/health")
        #expect(later.status == 200)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(later.body.utf8)) as? [String: Any])
        #expect(json["status"] as? String == "ok")
        #expect(json["initialized"] as? Bool == true)
        #expect((json["last_round"] as? NSNumber)?.intValue == 5)
        #expect(json["seconds_since_last_commit"] is NSNumber)
        #expect(((json["store_used_bytes"] as? NSNumber)?.intValue ?? 0) > 0)

        #expect(try http.get("/other").status == 404)
        #expect(try http.request("POST", "/metrics").status == 405)
    }

    /// The event endpoint publishes one "round" message per committed round and one message per domain
    /// event, numbered without gaps; a topic filter receives only its topics.
    @Test func eventsArePublishedPerRound() throws {
        let reference = try ReferenceRun.make(seed: Self.seed, rounds: Self.rounds, transactions: Self.transactions)
        let harness = try PluginHarness()
        let everything = try EventSubscriber(endpoint: harness.ready.events)
        defer { everything.close() }
        let models = try EventSubscriber(endpoint: harness.ready.events, topics: ["model."])
        defer { models.close() }
        // Subscriptions travel to the publisher asynchronously (ZeroMQ's slow joiner): give them time
        // before the first round; the assertions below only count messages of rounds seen in full.
        usleep(300_000)

        _ = try harness.consensus.initChain(genesis: reference.genesis)
        for index in 0..<4 { _ = try harness.consensus.applyRound(reference.rounds[index].input) }

        var roundResults: [UInt64: AiRegistry_V1_RoundResult] = [:]
        var eventCounts: [UInt64: Int] = [:]
        while let received = try everything.next(timeout: .seconds(5)) {
            #expect(received.missed == 0)
            #expect(!received.publisherRestarted)
            switch received.envelope.payload {
            case .roundResult(let result)?:
                #expect(received.topic == "round")
                roundResults[result.round] = result
            case .event(let event)?:
                #expect(received.topic == event.topic)
                eventCounts[received.envelope.round, default: 0] += 1
            case nil:
                Issue.record("an envelope without payload")
            }
            // Round 4's result comes first, then its events.
            if let last = roundResults[4], eventCounts[4, default: 0] == last.events.count { break }
        }
        for index in 0..<4 {
            let round = reference.rounds[index].input.round
            let result = try #require(roundResults[round], "no round message for round \(round)")
            #expect(result.root == Data(reference.root(after: round).bytes))
            #expect(result.codes == reference.outcomes[index].codes)
            #expect(eventCounts[round, default: 0] == reference.outcomes[index].events.count, "events of round \(round)")
        }

        var modelTopics = 0
        while let received = try models.next(timeout: .milliseconds(500)) {
            #expect(received.topic.hasPrefix("model."))
            modelTopics += 1
        }
        let expectedModelEvents = reference.outcomes.prefix(4).reduce(0) { $0 + $1.events.filter { $0.topic.hasPrefix("model.") }.count }
        #expect(modelTopics == expectedModelEvents)
    }
}
