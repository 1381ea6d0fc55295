import Foundation
import RegistryCore
import Sodium
import SwiftProtobuf
import Testing
@testable import Wire

/// The worked signing example of Docs/operators/protocol-reference.md: every ```` ```hex NAME ```` block
/// of the page is read and compared with the value recomputed here by the project's code (Ed25519,
/// BLAKE2b-256, the canonical codec, the generated protobuf types), so the page cannot drift from the
/// code. The numbers are those of `SigningExampleTests` (independently computed).
@Suite struct ProtocolReferenceDocTests {
    static let pagePath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Docs/operators/protocol-reference.md").path

    /// The `hex` blocks of a Markdown text by name: whitespace and `#` comments removed, lower case.
    static func hexBlocks(_ text: String) -> [(name: String, hex: String)] {
        var blocks: [(name: String, hex: String)] = []
        var current: (name: String, hex: String)? = nil
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if var block = current {
                if line.hasPrefix("```") {
                    blocks.append(block)
                    current = nil
                } else {
                    let code = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                    block.hex += code.filter { !$0.isWhitespace }.lowercased()
                    current = block
                }
            } else if line.hasPrefix("```hex ") {
                current = (String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces), "")
            }
        }
        return blocks
    }

    @Test func parserReadsNamedBlocksAndDropsComments() {
        let text = "x\n```hex a\n0A 0b  # c d\n# only a comment\n0c\n```\n```swift\nlet x = 1\n```\n```hex b\nff\n```\n"
        let blocks = Self.hexBlocks(text)
        #expect(blocks.map(\.name) == ["a", "b"])
        #expect(blocks.map(\.hex) == ["0a0b0c", "ff"])
    }

    @Test func everyHexBlockOfThePageMatchesTheCode() throws {
        let text = try String(contentsOfFile: Self.pagePath, encoding: .utf8)
        let blocks = Self.hexBlocks(text)

        let seed = (1...32).map { UInt8($0) }
        let key = try Ed25519.KeyPair(seed: seed)
        let chainID = "ippan-devnet"
        let body = TransactionBody(chainID: chainID, nonce: 0, maxFee: 1_000, action: .withdraw(amount: 250)).canonicalBytes()
        let signBytes = SignedTransaction.signBytes(chainID: chainID, bodyBytes: body)
        let signature = key.sign(signBytes)
        let tx = SignedTransaction(bodyBytes: body, publicKey: key.publicKey, signature: signature).canonicalBytes()
        var request = AiRegistry_V1_ConsensusRequest()
        request.protocolVersion = WireProtocol.version
        request.requestID = 7
        var checkTx = AiRegistry_V1_CheckTxRequest()
        checkTx.tx = Data(tx)
        request.checkTx = checkTx
        let frame: [UInt8] = try request.serializedBytes()

        let expected: [(String, [UInt8])] = [
            ("seed", seed), ("public-key", key.publicKey), ("body", body), ("sign-bytes", signBytes),
            ("signature", signature), ("tx", tx), ("tx-id", Blake2b.hash256(tx).bytes), ("check-tx-request", frame),
        ]
        // Every block is checked, and every value has its block (none was renamed or dropped).
        #expect(blocks.map(\.name) == expected.map(\.0))
        for (name, bytes) in expected {
            let block = blocks.first { $0.name == name }
            #expect(block?.hex == Hex.encode(bytes), "block \(name) of \(Self.pagePath)")
        }
        // The same numbers as the independently computed example.
        #expect(Hex.encode(tx) == SigningExampleTests.txHex)
        #expect(Blake2b.hash256(tx).hex == SigningExampleTests.txIDHex)
    }
}
