import Sodium
import Testing

@Suite("crypto_auth")
struct MessageAuthTests {
    let message: [UInt8] = Array("token:client-7:scope=query:exp=1000".utf8)

    @Test("a tag verifies")
    func verifies() throws {
        let key = MessageAuth.generateKey()
        #expect(key.count == MessageAuth.keyBytes)
        let tag = try MessageAuth.tag(message, key: key)
        #expect(tag.count == MessageAuth.tagBytes)
        #expect(MessageAuth.verify(tag: tag, message: message, key: key))
        #expect(try MessageAuth.tag(message, key: key) == tag)
    }

    @Test("tampered message, tag or key fails")
    func tampered() throws {
        let key = MessageAuth.generateKey()
        let tag = try MessageAuth.tag(message, key: key)
        #expect(!MessageAuth.verify(tag: tag, message: flipped(message, at: 3), key: key))
        #expect(!MessageAuth.verify(tag: tag, message: message + [0], key: key))
        #expect(!MessageAuth.verify(tag: flipped(tag, at: 31), message: message, key: key))
        #expect(!MessageAuth.verify(tag: tag, message: message, key: flipped(key, at: 0)))
        #expect(!MessageAuth.verify(tag: Array(tag.dropLast()), message: message, key: key))
        #expect(!MessageAuth.verify(tag: tag, message: message, key: Array(key.dropLast())))
    }

    @Test("an empty message has a tag too")
    func emptyMessage() throws {
        let key = [UInt8](repeating: 3, count: 32)
        let tag = try MessageAuth.tag([], key: key)
        #expect(MessageAuth.verify(tag: tag, message: [], key: key))
        #expect(!MessageAuth.verify(tag: tag, message: [0], key: key))
    }

    @Test("a wrong key length throws a typed error", arguments: [0, 16, 31, 33, 64])
    func wrongKeyLength(count: Int) {
        #expect(throws: SodiumError(code: .invalidLength(expected: 32, actual: count), operation: "crypto_auth")) {
            try MessageAuth.tag([1, 2, 3], key: [UInt8](repeating: 1, count: count))
        }
    }

    @Test("the error description names the operation and the lengths")
    func errorDescription() {
        let error = SodiumError(code: .invalidLength(expected: 32, actual: 5), operation: "crypto_auth")
        #expect(error.description == "crypto_auth: expected 32 bytes, got 5")
    }
}
