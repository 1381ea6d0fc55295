// Every call into libsodium goes through this file (the swift-system style): the Swift name
// documents the C name, and failures become `SodiumError` values that keep the operation.
import CSodium

/// Calls `sodium_init()` exactly once per process; later calls are free.
private let sodiumInitResult: Int32 = sodium_init()

@inline(__always)
func ensureSodiumInitialized() {
    // sodium_init returns 0 on success, 1 if already initialised, -1 on failure.
    precondition(sodiumInitResult >= 0, "sodium_init() failed: libsodium cannot be used")
}

enum SodiumC {
    static let ed25519PublicKeyBytes = Int(crypto_sign_ed25519_publickeybytes())
    static let ed25519SecretKeyBytes = Int(crypto_sign_ed25519_secretkeybytes())
    static let ed25519SeedBytes = Int(crypto_sign_ed25519_seedbytes())
    static let ed25519SignatureBytes = Int(crypto_sign_ed25519_bytes())
    static let authKeyBytes = Int(crypto_auth_keybytes())
    static let authTagBytes = Int(crypto_auth_bytes())
    static let genericHashStateBytes = Int(crypto_generichash_statebytes())

    /// `crypto_generichash` (BLAKE2b) with no key.
    static func genericHash(
        output: UnsafeMutableRawBufferPointer, input: UnsafeRawBufferPointer
    ) -> Int32 {
        ensureSodiumInitialized()
        return crypto_generichash(
            output.baseAddress!.assumingMemoryBound(to: UInt8.self), output.count,
            input.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(input.count),
            nil, 0)
    }

    /// `crypto_generichash_init`
    static func genericHashInit(state: UnsafeMutableRawPointer, outputLength: Int) -> Int32 {
        ensureSodiumInitialized()
        return crypto_generichash_init(
            OpaquePointer(state), nil, 0, outputLength)
    }

    /// `crypto_generichash_update`
    static func genericHashUpdate(state: UnsafeMutableRawPointer, input: UnsafeRawBufferPointer) -> Int32 {
        crypto_generichash_update(
            OpaquePointer(state),
            input.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(input.count))
    }

    /// `crypto_generichash_final`
    static func genericHashFinal(state: UnsafeMutableRawPointer, output: UnsafeMutableRawBufferPointer) -> Int32 {
        crypto_generichash_final(
            OpaquePointer(state),
            output.baseAddress!.assumingMemoryBound(to: UInt8.self), output.count)
    }

    /// `crypto_sign_ed25519_seed_keypair`
    static func ed25519SeedKeypair(
        publicKey: UnsafeMutableRawBufferPointer, secretKey: UnsafeMutableRawBufferPointer,
        seed: UnsafeRawBufferPointer
    ) -> Int32 {
        ensureSodiumInitialized()
        return crypto_sign_ed25519_seed_keypair(
            publicKey.baseAddress!.assumingMemoryBound(to: UInt8.self),
            secretKey.baseAddress!.assumingMemoryBound(to: UInt8.self),
            seed.baseAddress!.assumingMemoryBound(to: UInt8.self))
    }

    /// `crypto_sign_ed25519_detached`
    static func ed25519SignDetached(
        signature: UnsafeMutableRawBufferPointer, message: UnsafeRawBufferPointer,
        secretKey: UnsafeRawBufferPointer
    ) -> Int32 {
        ensureSodiumInitialized()
        return crypto_sign_ed25519_detached(
            signature.baseAddress!.assumingMemoryBound(to: UInt8.self), nil,
            message.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(message.count),
            secretKey.baseAddress!.assumingMemoryBound(to: UInt8.self))
    }

    /// `crypto_sign_ed25519_verify_detached`
    static func ed25519VerifyDetached(
        signature: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer,
        publicKey: UnsafeRawBufferPointer
    ) -> Int32 {
        ensureSodiumInitialized()
        return crypto_sign_ed25519_verify_detached(
            signature.baseAddress!.assumingMemoryBound(to: UInt8.self),
            message.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(message.count),
            publicKey.baseAddress!.assumingMemoryBound(to: UInt8.self))
    }

    /// `randombytes_buf`
    static func randomBytes(into buffer: UnsafeMutableRawBufferPointer) {
        ensureSodiumInitialized()
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        randombytes_buf(base, buffer.count)
    }

    /// `sodium_memcmp` (constant time for equal lengths).
    static func memcmp(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int32 {
        ensureSodiumInitialized()
        guard a.count > 0 else { return 0 }
        return sodium_memcmp(a.baseAddress!, b.baseAddress!, a.count)
    }

    /// `crypto_auth` (HMAC-SHA-512-256).
    static func auth(
        tag: UnsafeMutableRawBufferPointer, message: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer
    ) -> Int32 {
        ensureSodiumInitialized()
        return crypto_auth(
            tag.baseAddress!.assumingMemoryBound(to: UInt8.self),
            message.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(message.count),
            key.baseAddress!.assumingMemoryBound(to: UInt8.self))
    }

    /// `crypto_auth_verify`
    static func authVerify(
        tag: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer
    ) -> Int32 {
        ensureSodiumInitialized()
        return crypto_auth_verify(
            tag.baseAddress!.assumingMemoryBound(to: UInt8.self),
            message.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(message.count),
            key.baseAddress!.assumingMemoryBound(to: UInt8.self))
    }

    /// `sodium_memzero`
    static func memzero(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        sodium_memzero(base, buffer.count)
    }
}
