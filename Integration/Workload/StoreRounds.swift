/// Deterministic rounds of raw key-value changes for the state store's crash test: the writes of a
/// round depend only on the round number (seeded SplitMix64), so a test can replay exactly what a
/// killed writer process committed. Inserts, updates and deletes over a bounded key space.
public enum StoreRounds {
    /// The number of distinct keys the rounds draw from (`k/00000` … `k/04095`).
    public static let keySpace: UInt64 = 4_096

    /// The changes of `round`: about `keysPerRound` keys, sorted by key bytes and unique; about 20% are
    /// deletes (a no-op when the key is absent), the rest puts of 8–71-byte values (inserts or updates).
    public static func writes(round: UInt64, keysPerRound: Int) -> [(key: [UInt8], value: [UInt8]?)] {
        var rng = SplitMix64(seed: 0x5702_E000_0000_0000 ^ round)
        var chosen: [(key: [UInt8], value: [UInt8]?)] = []
        chosen.reserveCapacity(keysPerRound)
        for _ in 0..<max(keysPerRound, 0) {
            let id = rng.below(keySpace)
            let key = Array("k/".utf8) + decimal(id, width: 5)
            let value: [UInt8]? = rng.below(100) < 20 ? nil : Array("r\(round):".utf8) + rng.bytes(8 + Int(rng.below(64)))
            chosen.append((key, value))
        }
        // Keep the first change of each key, then sort by key.
        var unique: [(key: [UInt8], value: [UInt8]?)] = []
        unique.reserveCapacity(chosen.count)
        let sorted = chosen.enumerated().sorted {
            $0.element.key == $1.element.key ? $0.offset < $1.offset : $0.element.key.lexicographicallyPrecedes($1.element.key)
        }
        for entry in sorted where unique.last?.key != entry.element.key { unique.append(entry.element) }
        return unique
    }

    /// The record a writer stores with `round` (so a test can check round records survive too).
    public static func record(round: UInt64) -> [UInt8] { Array("round \(round)".utf8) }

    private static func decimal(_ value: UInt64, width: Int) -> [UInt8] {
        var digits = Array(String(value).utf8)
        while digits.count < width { digits.insert(UInt8(ascii: "0"), at: 0) }
        return digits
    }
}
