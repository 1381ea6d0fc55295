import Foundation
import RegistryCore
import Sodium
import Testing
@testable import Wire

/// Genesis ↔ InitChainRequest.
@Suite struct GenesisMappingTests {
    static func account(_ byte: UInt8) -> AccountID { AccountID(Digest256(bytes: [UInt8](repeating: byte, count: 32))!) }

    @Test func defaultsTravelAsEmptyParameters() throws {
        let genesis = Genesis(chainID: "ippan-test", stakes: [.init(Self.account(1), 10)], balances: [.init(Self.account(2), 20)])
        let request = AiRegistry_V1_InitChainRequest(genesis, genesisRound: 5)
        #expect(request.parameters.isEmpty)
        #expect(request.genesisRound == 5)
        #expect(try Genesis(request) == genesis)
    }

    @Test func explicitParametersRoundTrip() throws {
        var parameters = Parameters.defaults
        parameters.proposalDeposit = 42
        let genesis = Genesis(chainID: "c", parameters: parameters)
        let request = AiRegistry_V1_InitChainRequest(genesis)
        #expect(request.parameters == Data(parameters.canonicalBytes()))
        #expect(try Genesis(request) == genesis)
        let explicit = AiRegistry_V1_InitChainRequest(Genesis(chainID: "c"), explicitParameters: true)
        #expect(!explicit.parameters.isEmpty)
        #expect(try Genesis(explicit).parameters == .defaults)
    }

    @Test func badFieldsAreNamed() throws {
        var request = AiRegistry_V1_InitChainRequest()
        let empty = #expect(throws: WireError.self) { try Genesis(request) }
        #expect(empty?.field == "init_chain.chain_id")

        request.chainID = String(repeating: "x", count: Limits.maxChainIDLength + 1)
        #expect((#expect(throws: WireError.self) { try Genesis(request) })?.field == "init_chain.chain_id")

        request.chainID = "chain"
        request.parameters = Data([1, 2, 3])
        let parameters = #expect(throws: WireError.self) { try Genesis(request) }
        #expect(parameters?.field == "init_chain.parameters")
        #expect(parameters?.code == .invalidArgument)

        request.parameters = Data()
        var entry = AiRegistry_V1_StakeEntry()
        entry.account = Data(count: 8)
        request.balances = [AiRegistry_V1_StakeEntry(account: Self.account(1), amount: 1), entry]
        #expect((#expect(throws: WireError.self) { try Genesis(request) })?.field == "init_chain.balances[1].account")

        request.balances = []
        request.stakes = [AiRegistry_V1_StakeEntry(account: Self.account(1), amount: 1), AiRegistry_V1_StakeEntry(account: Self.account(1), amount: 2)]
        let duplicate = #expect(throws: WireError.self) { try Genesis(request) }
        #expect(duplicate?.message.contains("twice") == true)

        request.stakes = [AiRegistry_V1_StakeEntry(account: Self.account(1), amount: .max), AiRegistry_V1_StakeEntry(account: Self.account(2), amount: 1)]
        #expect((#expect(throws: WireError.self) { try Genesis(request) })?.message.contains("overflow") == true)
    }

    @Test func outOfBoundsParametersAreRefused() throws {
        var parameters = Parameters.defaults
        parameters.quorumBps = 0  // below its bound of 1
        var request = AiRegistry_V1_InitChainRequest()
        request.chainID = "chain"
        request.parameters = Data(parameters.canonicalBytes())
        let error = #expect(throws: WireError.self) { try Genesis(request) }
        #expect(error?.field == "init_chain.parameters")
    }
}
