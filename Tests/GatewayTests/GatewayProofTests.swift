import Foundation
import RegistryClient
import RegistryCore
import RegistryGateway
import RegistryNode
import Sodium
import StateTree
import TestSupport
import Testing
import Wire
import ZMQ

/// Proofs served over HTTP verify with `StateTree.verify` against the root the gateway reports for
/// the round (`/v1/roots`), and are byte-for-byte the ZeroMQ query endpoint's answer.
@Suite(.serialized)
struct GatewayProofTests {
    static let fixture = Result { try GatewayFixture(rounds: 16) }

    /// The proof members of a point-read body: (round, root, key, proof bytes, value bytes).
    struct Served {
        let round: UInt64
        let root: [UInt8]
        let key: [UInt8]
        let proof: [UInt8]
        let value: [UInt8]
    }

    static func served(_ response: HTTPProbe.Response) throws -> Served {
        let body = try #require(response.json as? [String: Any], "\(response.body)")
        let proof = try #require(body["proof"] as? [String: Any], "no proof in \(response.body)")
        func hex(_ object: [String: Any], _ name: String) throws -> [UInt8] {
            let text = try #require(object[name] as? String, "\(name)")
            return try #require(Hex.decode(text), "\(name)")
        }
        let round = try #require((body["round"] as? NSNumber)?.uint64Value)
        #expect((proof["round"] as? NSNumber)?.uint64Value == round)
        return Served(round: round, root: try hex(proof, "root"), key: try hex(proof, "key"), proof: try hex(proof, "proof"),
                      value: try hex(body, "value"))
    }

    /// The root `/v1/roots` lists for `round`.
    static func listedRoot(_ probe: HTTPProbe, round: UInt64) async throws -> [UInt8] {
        let body = try #require(try await probe.fetch("/v1/roots?from=\(round)&limit=1").json as? [String: Any])
        let roots = try #require(body["roots"] as? [[String: Any]])
        let entry = try #require(roots.first)
        #expect((entry["round"] as? NSNumber)?.uint64Value == round)
        let text = try #require(entry["root"] as? String)
        return try #require(Hex.decode(text))
    }

    static func verify(_ served: Served, root: [UInt8], present: Bool) throws {
        let digest = try #require(Digest256(bytes: root))
        let proof = try StateProof(decoding: served.proof)
        try StateTree.verify(proof: proof, root: digest, key: served.key, value: present ? served.value : nil)
    }

    @Test func servedProofsVerifyAgainstTheListedRootsAndMatchTheZeroMQAnswer() async throws {
        let fixture = try Self.fixture.get()
        let model = try #require(fixture.entries(.model).first).key
        let modelID = ModelID(try #require(Digest256(bytes: Array(model.dropFirst()))))
        let account = try #require(fixture.entries(.account).last).key
        let accountID = AccountID(try #require(Digest256(bytes: Array(account.dropFirst()))))
        let round = fixture.latest - 2

        // The ZeroMQ query endpoint over the same store.
        let directory = TemporaryDirectory(prefix: "gw-zmq")
        var queryConfiguration = QueryServerConfiguration.defaults
        queryConfiguration.endpoint = "ipc://" + directory.file("q.sock")
        let context = try Context()
        let server = try QueryServer(
            configuration: queryConfiguration, store: fixture.store, context: context,
            audit: try AuditLog(path: nil, logger: GatewayFixture.logger), logger: GatewayFixture.logger)
        try server.start()
        defer { server.stop() }
        let client = try QueryClient(endpoint: server.boundEndpoint, context: context)
        defer { client.close() }
        let zmqModel = try client.getModel(id: modelID, round: fixture.latest, prove: true)
        let zmqAccount = try client.getAccount(accountID, round: 3, prove: true)
        let zmqKey = try client.getKey(StateKey.parameters, round: round, prove: true)
        let zmqAbsent = try client.getKey([0xEE, 1, 2], round: round, prove: true)

        try await fixture.withGateway { _, probe in
            // (url, the ZeroMQ proof and value, whether the object must exist; nil: either).
            let cases: [(String, AiRegistry_V1_Proof, Data, Bool?)] = [
                ("/v1/models/\(Hex.encode(model.dropFirst()))?prove=true", zmqModel.proof, zmqModel.value, true),
                ("/v1/accounts/\(Hex.encode(account.dropFirst()))?round=3&prove=true", zmqAccount.proof, zmqAccount.value, nil),
                ("/v1/keys/\(Hex.encode(StateKey.parameters))?round=\(round)", zmqKey.proof, zmqKey.value, true),
                ("/v1/keys/ee0102?round=\(round)", zmqAbsent.proof, zmqAbsent.value, false),
            ]
            for (url, zmqProof, zmqValue, expected) in cases {
                let response = try await probe.fetch(url)
                #expect(response.status == 200, "\(url): \(response.body)")
                let served = try Self.served(response)
                let present = !served.value.isEmpty
                if let expected { #expect(present == expected, "\(url)") }
                let root = try await Self.listedRoot(probe, round: served.round)
                #expect(served.root == root, "\(url)")
                #expect(root == fixture.roots[served.round]?.bytes, "\(url)")
                try Self.verify(served, root: root, present: present)
                // The same proof and value as the ZeroMQ endpoint.
                #expect(served.proof == [UInt8](zmqProof.proof), "\(url)")
                #expect(served.root == [UInt8](zmqProof.root), "\(url)")
                #expect(served.key == [UInt8](zmqProof.key), "\(url)")
                #expect(served.value == [UInt8](zmqValue), "\(url)")
                // A proof does not verify a different value.
                if present {
                    #expect(throws: (any Error).self) {
                        try Self.verify(Served(round: served.round, root: served.root, key: served.key, proof: served.proof,
                                               value: served.value + [0]), root: root, present: true)
                    }
                }
            }
            let found = try #require(try await probe.fetch("/v1/keys/ee0102?round=\(round)").json as? [String: Any])
            #expect(found["found"] as? Bool == false)
        }
    }

    @Test func theGatewayPrintsTheSameObjectsAsTheCLIView() async throws {
        let fixture = try Self.fixture.get()
        let model = Hex.encode(try #require(fixture.entries(.model).first).key.dropFirst())
        var request = AiRegistry_V1_QueryRequest()
        request.protocolVersion = WireProtocol.version
        var get = AiRegistry_V1_GetModelRequest()
        get.id = Data(try #require(Hex.decode(model)))
        request.request = .getModel(get)
        let cli = QueryJSONValue.response(QueryService().respond(to: request, store: fixture.store))["get_model"]
        try await fixture.withGateway { _, probe in
            let response = try await probe.fetch("/v1/models/\(model)")
            #expect(response.body == (cli?.rendered(pretty: false) ?? "") + "\n")
        }
    }
}
