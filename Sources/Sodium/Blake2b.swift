/// BLAKE2b with a 32-byte output (`crypto_generichash`, no key).
public enum Blake2b {
    /// The digest of `bytes` (one-shot `crypto_generichash`).
    public static func hash256(_ bytes: [UInt8]) -> Digest256 {
        bytes.withUnsafeBytes { hash256(raw: $0) }
    }

    /// The digest of a slice of bytes.
    public static func hash256(_ bytes: ArraySlice<UInt8>) -> Digest256 {
        bytes.withUnsafeBytes { hash256(raw: $0) }
    }

    /// The digest of raw memory.
    public static func hash256(raw input: UnsafeRawBufferPointer) -> Digest256 {
        withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { output in
            let status = SodiumC.genericHash(output: output, input: input)
            // With a valid output length and no key crypto_generichash cannot fail.
            precondition(status == 0, "crypto_generichash failed with status \(status)")
            return Digest256(unsafeRaw: UnsafeRawPointer(output.baseAddress!))
        }
    }

    /// The digest of several byte strings concatenated, without building the concatenation.
    public static func hash256(parts: [[UInt8]]) -> Digest256 {
        var hasher = Blake2bHasher()
        for part in parts { hasher.update(part) }
        return hasher.finalize()
    }
}

/// Incremental BLAKE2b-256 (`crypto_generichash_init` / `_update` / `_final`).
///
/// A value type: copying a hasher forks its state.
public struct Blake2bHasher: Sendable {
    // crypto_generichash_state is 384 bytes with 64-byte alignment; the state is kept in an
    // inline array of words and copied into an aligned scratch buffer for each C call.
    private var state: [UInt8]
    private var finished = false

    public init() {
        var state = [UInt8](repeating: 0, count: SodiumC.genericHashStateBytes)
        Blake2bHasher.withAligned(&state) { pointer in
            let status = SodiumC.genericHashInit(state: pointer, outputLength: 32)
            precondition(status == 0, "crypto_generichash_init failed with status \(status)")
        }
        self.state = state
    }

    /// Feeds `bytes` to the hash.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update(raw: $0) }
    }

    /// Feeds a slice of bytes to the hash.
    public mutating func update(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { update(raw: $0) }
    }

    /// Feeds raw memory to the hash.
    public mutating func update(raw input: UnsafeRawBufferPointer) {
        precondition(!finished, "Blake2bHasher used after finalize()")
        Blake2bHasher.withAligned(&state) { pointer in
            _ = SodiumC.genericHashUpdate(state: pointer, input: input)
        }
    }

    /// The digest of everything fed so far. The hasher cannot be used afterwards.
    public mutating func finalize() -> Digest256 {
        precondition(!finished, "Blake2bHasher finalized twice")
        finished = true
        return withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { output in
            Blake2bHasher.withAligned(&state) { pointer in
                let status = SodiumC.genericHashFinal(state: pointer, output: output)
                precondition(status == 0, "crypto_generichash_final failed with status \(status)")
            }
            return Digest256(unsafeRaw: UnsafeRawPointer(output.baseAddress!))
        }
    }

    private static func withAligned(_ state: inout [UInt8], _ body: (UnsafeMutableRawPointer) -> Void) {
        let size = state.count
        withUnsafeTemporaryAllocation(byteCount: size, alignment: 64) { aligned in
            state.withUnsafeBytes { aligned.copyMemory(from: $0) }
            body(aligned.baseAddress!)
            state.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(aligned)) }
        }
    }
}
