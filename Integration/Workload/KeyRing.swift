import RegistryCore
import Sodium

/// Deterministic Ed25519 keys for workloads: key `i` of seed `s` is the key pair whose 32-byte seed is
/// BLAKE2b-256(`"ai-registry/workload/key/v1"` ‖ s (u64 BE) ‖ i (u64 BE)). The same seed and index give
/// the same key on every machine. Test keys only: never use them for real accounts.
public struct KeyRing: Sendable {
    /// The workload seed the keys derive from.
    public let seed: UInt64
    /// The derived key pairs, index order.
    public let keys: [Ed25519.KeyPair]
    /// The account of each key, index order.
    public let accounts: [AccountID]

    /// Derives `count` keys (indices `0..<count`).
    public init(seed: UInt64, count: Int) {
        self.seed = seed
        let keys = (0..<max(0, count)).map { KeyRing.derive(seed: seed, index: UInt64($0)) }
        self.keys = keys
        self.accounts = keys.map { KeyRing.account(of: $0) }
    }

    /// The number of keys.
    public var count: Int { keys.count }

    /// The key pair of `index`.
    public subscript(index: Int) -> Ed25519.KeyPair { keys[index] }

    /// The 32-byte Ed25519 seed of key `index`.
    public static func keySeed(seed: UInt64, index: UInt64) -> [UInt8] {
        var writer = CanonicalWriter(capacity: 48)
        writer.writeRaw(Array("ai-registry/workload/key/v1".utf8))
        writer.write(seed)
        writer.write(index)
        return Blake2b.hash256(writer.bytes).bytes
    }

    /// The key pair of `index` for `seed`.
    public static func derive(seed: UInt64, index: UInt64) -> Ed25519.KeyPair {
        // A 32-byte seed is always accepted by crypto_sign_ed25519_seed_keypair.
        try! Ed25519.KeyPair(seed: keySeed(seed: seed, index: index))
    }

    /// The account of a key pair (its 32-byte public key).
    public static func account(of key: Ed25519.KeyPair) -> AccountID {
        AccountID(Digest256(bytes: key.publicKey)!)
    }
}
