import Foundation
import RegistryCore
import Sodium
import SwiftProtobuf
import Testing
@testable import Wire

/// RoundInput ↔ ApplyRoundRequest, field validation with named paths, and pinned bytes.
@Suite struct RoundMappingTests {
    static func account(_ byte: UInt8) -> AccountID { AccountID(Digest256(bytes: [UInt8](repeating: byte, count: 32))!) }

    static let sampleInput = RoundInput(
        round: 7, timestampMillis: 1_700_000_000_123,
        hostUpdates: [.setStake(account(1), 5_000_000), .deposit(account(2), 1_000)],
        transactions: [[0x0D, 0x01, 0x02], [0xFF]]
    )

    @Test func roundInputRoundTrips() throws {
        let request = AiRegistry_V1_ApplyRoundRequest(Self.sampleInput)
        #expect(try RoundInput(request) == Self.sampleInput)
        // Through the bytes on the wire as well.
        let bytes: [UInt8] = try request.serializedBytes()
        let decoded = try AiRegistry_V1_ApplyRoundRequest(serializedBytes: bytes)
        #expect(try RoundInput(decoded) == Self.sampleInput)
    }

    @Test func emptyRoundRoundTrips() throws {
        let input = RoundInput(round: 1, timestampMillis: 0)
        #expect(try RoundInput(AiRegistry_V1_ApplyRoundRequest(input)) == input)
    }

    /// The golden protobuf bytes of one ApplyRoundRequest (a host implementation can compare its encoder).
    @Test func applyRoundRequestGoldenBytes() throws {
        let bytes: [UInt8] = try AiRegistry_V1_ApplyRoundRequest(Self.sampleInput).serializedBytes()
        #expect(Hex.encode(bytes) == Self.goldenApplyRound)
    }

    /// Computed independently from the protobuf encoding rules (field 1 varint 7, field 2 varint
    /// 1700000000123, two HostUpdate messages, two txs).
    static let goldenApplyRound =
        "080710fbd095ffbc311a290a270a20010101010101010101010101010101010101010101010101010101010101010110c096b102"
        + "1a2712250a20020202020202020202020202020202020202020202020202020202020202020210e807"
        + "22030d01022201ff"

    @Test func badAccountNamesTheField() throws {
        var request = AiRegistry_V1_ApplyRoundRequest(Self.sampleInput)
        var updates = request.hostUpdates
        updates.append(AiRegistry_V1_HostUpdate(.deposit(Self.account(3), 1)))
        var bad = AiRegistry_V1_HostUpdate()
        bad.deposit = AiRegistry_V1_StakeEntry()
        bad.deposit.account = Data(repeating: 9, count: 31)
        bad.deposit.amount = 4
        updates.append(bad)
        request.hostUpdates = updates
        let error = #expect(throws: WireError.self) { try RoundInput(request) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.field == "apply_round.host_updates[3].deposit.account")
        #expect(error?.message.contains("32 bytes") == true)
    }

    @Test func setStakeAccountIsValidatedToo() throws {
        var request = AiRegistry_V1_ApplyRoundRequest()
        var update = AiRegistry_V1_HostUpdate()
        update.setStake = AiRegistry_V1_StakeEntry()
        update.setStake.account = Data(repeating: 1, count: 33)
        request.hostUpdates = [update]
        let error = #expect(throws: WireError.self) { try RoundInput(request, path: "preview_round.round") }
        #expect(error?.field == "preview_round.round.host_updates[0].set_stake.account")
    }

    @Test func emptyHostUpdateIsRefused() throws {
        var request = AiRegistry_V1_ApplyRoundRequest()
        request.hostUpdates = [AiRegistry_V1_HostUpdate()]
        let error = #expect(throws: WireError.self) { try RoundInput(request) }
        #expect(error?.field == "apply_round.host_updates[0]")
        #expect(error?.code == .invalidArgument)
    }

    @Test func oversizeTransactionIsRefused() throws {
        var request = AiRegistry_V1_ApplyRoundRequest()
        request.txs = [Data([1]), Data(count: RoundLimits.maxTransactionBytes + 1)]
        let error = #expect(throws: WireError.self) { try RoundInput(request) }
        #expect(error?.field == "apply_round.txs[1]")
    }

    @Test func tooManyTransactionsAreRefused() throws {
        var request = AiRegistry_V1_ApplyRoundRequest()
        request.txs = Array(repeating: Data(), count: RoundLimits.maxTransactions + 1)
        let error = #expect(throws: WireError.self) { try RoundInput(request) }
        #expect(error?.field == "apply_round.txs")
    }

    @Test func errorRepliesCarryTheirParts() throws {
        let gap = WireError(.roundGap, "skips", field: "apply_round.round", expectedRound: 9)
        let response = AiRegistry_V1_ConsensusResponse.failure(gap, requestID: 42)
        #expect(response.requestID == 42)
        #expect(response.protocolVersion == WireProtocol.version)
        #expect(response.error.code == .roundGap)
        #expect(response.error.expectedRound == 9)
        #expect(response.error.field == "apply_round.round")
        #expect(response.error.supportedVersions.isEmpty)
        let version = WireError(.unsupportedVersion, "v2").proto
        #expect(version.supportedVersions == WireProtocol.supportedVersions)
        #expect(gap.codeName == "ROUND_GAP")
        #expect(AiRegistry_V1_ErrorCode.frameTooLarge.name == "FRAME_TOO_LARGE")
    }
}
