import Foundation
import RegistryCore
import Sodium
import Testing
@testable import Wire

/// The worked example of Docs/spec/protocol.md ("Building and signing a transaction"): every value is
/// pinned here, so the document and the code cannot drift apart. The pinned values were computed
/// independently (Python `cryptography` Ed25519 and `hashlib.blake2b`) from the byte layout alone.
@Suite struct SigningExampleTests {
    /// The example key: seed = 32 bytes 0x01…0x20.
    static let key = try! Ed25519.KeyPair(seed: (1...32).map { UInt8($0) })
    static let chainID = "ippan-devnet"
    static let body = TransactionBody(chainID: chainID, nonce: 0, maxFee: 1_000, action: .withdraw(amount: 250))

    @Test func workedExample() throws {
        let bodyBytes = Self.body.canonicalBytes()
        let signBytes = SignedTransaction.signBytes(chainID: Self.chainID, bodyBytes: bodyBytes)
        // "ai-registry/tx/v1" ‖ u32 BE length of the chain id ‖ chain id ‖ body bytes.
        #expect(signBytes == Array("ai-registry/tx/v1".utf8) + [0, 0, 0, UInt8(Self.chainID.utf8.count)] + Array(Self.chainID.utf8) + bodyBytes)
        let signature = Self.key.sign(signBytes)
        let tx = SignedTransaction(bodyBytes: bodyBytes, publicKey: Self.key.publicKey, signature: signature).canonicalBytes()
        #expect(Hex.encode(Self.key.publicKey) == Self.publicKeyHex)
        #expect(Hex.encode(bodyBytes) == Self.bodyHex)
        #expect(Hex.encode(signBytes) == Self.signBytesHex)
        #expect(Hex.encode(signature) == Self.signatureHex)
        #expect(Hex.encode(tx) == Self.txHex)
        #expect(Blake2b.hash256(tx).hex == Self.txIDHex)
        // The executor accepts it as well formed and signed for this chain.
        let prepared = TransactionPreparer.prepare(tx, chainID: Self.chainID, maxBytes: 65_536)
        #expect(prepared.failure == nil)
        #expect(prepared.txID.hex == Self.txIDHex)
    }

    static let publicKeyHex =
        "79b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664"
    static let bodyHex =
        "0c0000000c697070616e2d6465766e6574000000000000000000000000000003e80800000000000000fa"
    static let signBytesHex =
        "61692d72656769737472792f74782f76310000000c697070616e2d6465766e65740c0000000c697070616e2d6465766e6574000000000000000000000000000003e80800000000000000fa"
    static let signatureHex =
        "4103e3de1fb959188ae773ac6f145bd84a5a9128a272160a57f9de8a55f5d12d93f74b554cbce7e8ed1d12f3fc645f84a7ee7c00e5ca924eb46e361abac36f06"
    static let txHex =
        "0d0000002a0c0000000c697070616e2d6465766e6574000000000000000000000000000003e80800000000000000fa79b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad0496644103e3de1fb959188ae773ac6f145bd84a5a9128a272160a57f9de8a55f5d12d93f74b554cbce7e8ed1d12f3fc645f84a7ee7c00e5ca924eb46e361abac36f06"
    static let txIDHex =
        "51985ad2f694f00acda7feb6107810504d9729460fcae34f1cad5ed657dc9822"
}
