import RegistryCore
import Sodium

/// BLAKE2b-256 digests of a round's outcome and of a whole state, for comparing replicas (D2: every
/// input is in canonical order: writes sorted by key, results and events in execution order).
public enum OutcomeDigest {
    /// The digest of the canonical encoding of the round's writes.
    public static func writes(_ outcome: RoundOutcome) -> Digest256 { digest(outcome.writes) }
    /// The digest of the canonical encoding of the transaction results.
    public static func results(_ outcome: RoundOutcome) -> Digest256 { digest(outcome.results) }
    /// The digest of the canonical encoding of the events.
    public static func events(_ outcome: RoundOutcome) -> Digest256 { digest(outcome.events) }

    /// `round <n> <writes> <results> <events>` (hex digests).
    public static func line(_ outcome: RoundOutcome) -> String {
        "round \(outcome.round) \(writes(outcome).hex) \(results(outcome).hex) \(events(outcome).hex)"
    }

    /// The digest of every (key, value) pair of `state` in key order, each length-prefixed.
    public static func state(_ state: MemoryState) -> Digest256 {
        var hasher = Blake2bHasher()
        for pair in state.pairs {
            var writer = CanonicalWriter(capacity: pair.key.count + pair.value.count + 8)
            writer.writeBytes(pair.key)
            writer.writeBytes(pair.value)
            hasher.update(writer.bytes)
        }
        return hasher.finalize()
    }

    static func digest<T: CanonicalEncodable>(_ values: [T]) -> Digest256 {
        var writer = CanonicalWriter(capacity: 4_096)
        writer.write(values)
        return Blake2b.hash256(writer.bytes)
    }
}
