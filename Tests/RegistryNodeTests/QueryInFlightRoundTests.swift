import Foundation
import StateStore
import StateTree
import TestSupport
import Testing
import Wire
@testable import RegistryNode

/// ADR 0027 with queries: a request for the round whose write-behind write is still in flight (its root
/// is already the host's) waits for that write and is answered from it, with a proof against its root.
@Suite("RegistryNode · queries of the round in flight")
struct QueryInFlightRoundTests {
    @Test("get_key at the round being written: answered from that round, not 'not committed yet'")
    func waitsForTheRoundInFlight() throws {
        let directory = TemporaryDirectory()
        let store = try StateStore(directory: directory.file("store"), configuration: StateStore.Configuration(durability: .noSync))
        defer { try? store.close() }
        try store.commit(version: 1, writes: [.put(Array("k/0".utf8), Array("v1".utf8))])
        let service = QueryService()
        for version: UInt64 in 2...6 {
            // A write large enough to be in flight when the query arrives (about 30k keys).
            var writes: [StateStore.Write] = []
            for index in 0..<30_000 {
                writes.append(.put(Array(String(format: "k/%06d", index).utf8), Array("v\(version)-\(index)".utf8)))
            }
            writes.sort { $0.key.lexicographicallyPrecedes($1.key) }
            let key = Array(String(format: "k/%06d", 7).utf8)
            let root = try store.commitWriteBehind(version: version, writes: writes)
            var request = AiRegistry_V1_QueryRequest()
            request.protocolVersion = WireProtocol.version
            request.request = Q.key(key, round: version, prove: true)
            let response = service.respond(to: request, store: store)
            guard case .getKey(let reply)? = response.response else {
                Issue.record("version \(version): \(response)")
                continue
            }
            #expect(reply.found && [UInt8](reply.value) == Array("v\(version)-7".utf8))
            #expect(reply.round == version && reply.proof.root == Data(root.bytes))
            #expect(store.versionInFlight == nil)
        }
        // A round beyond the last one written is still "not committed yet".
        var request = AiRegistry_V1_QueryRequest()
        request.protocolVersion = WireProtocol.version
        request.request = Q.key(Array("k/0".utf8), round: 99, prove: true)
        guard case .error(let error)? = service.respond(to: request, store: store).response else {
            Issue.record("a read of round 99 was answered")
            return
        }
        #expect(error.message.contains("not committed yet"))
    }
}
