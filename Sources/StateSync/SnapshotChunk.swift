import Sodium
import StateTree

/// The byte format of one chunk file (Docs/spec/snapshot.md):
///
/// `"AIRS" ‖ format (u32 BE) ‖ round (u64 BE) ‖ chunk index (u32 BE) ‖ entry count (u32 BE)`, then per
/// entry `key length (u32 BE) ‖ key ‖ value length (u32 BE) ‖ value`, entries strictly ascending by
/// BLAKE2b-256 of the key.
enum SnapshotChunk {
    /// The encoded size of one entry.
    static func entryBytes(keyCount: Int, valueCount: Int) -> Int { 8 + keyCount + valueCount }

    /// Builds chunk files entry by entry.
    struct Writer {
        let round: UInt64
        let index: Int
        private(set) var bytes: [UInt8]
        private(set) var entryCount = 0

        init(round: UInt64, index: Int, capacity: Int) {
            self.round = round
            self.index = index
            bytes = []
            bytes.reserveCapacity(capacity)
            bytes.append(contentsOf: SnapshotFormat.chunkMagic)
            SnapshotChunk.append(SnapshotFormat.version, to: &bytes)
            SnapshotChunk.append(round, to: &bytes)
            SnapshotChunk.append(UInt32(truncatingIfNeeded: index), to: &bytes)
            SnapshotChunk.append(UInt32(0), to: &bytes)  // entry count, set by `finish`
        }

        mutating func add(key: [UInt8], value: [UInt8]) {
            SnapshotChunk.append(UInt32(truncatingIfNeeded: key.count), to: &bytes)
            bytes.append(contentsOf: key)
            SnapshotChunk.append(UInt32(truncatingIfNeeded: value.count), to: &bytes)
            bytes.append(contentsOf: value)
            entryCount += 1
        }

        /// The finished file bytes (entry count filled in).
        func finish() -> [UInt8] {
            var out = bytes
            let count = UInt32(truncatingIfNeeded: entryCount)
            for shift in 0..<4 { out[20 + shift] = UInt8(truncatingIfNeeded: count >> UInt32(24 - 8 * shift)) }
            return out
        }
    }

    /// Decodes a chunk of snapshot `round` at `index`, strictly: magic, format, round, index, the
    /// entry count (`expectedEntries`), key lengths 1...`maxKeyBytes`, lengths within the file, no
    /// trailing bytes, and key hashes strictly ascending (starting above `after`). Calls `visit` with
    /// each leaf (hashes computed) in order.
    static func decode(
        _ bytes: [UInt8], round: UInt64, index: Int, expectedEntries: Int, after: Digest256?,
        _ visit: (LeafNode) throws(SnapshotError) -> Void
    ) throws(SnapshotError) {
        func malformed(_ offset: Int, _ reason: String) -> SnapshotError {
            .chunkMalformed(round: round, index: index, offset: offset, reason: reason)
        }
        guard bytes.count >= SnapshotFormat.chunkHeaderBytes else {
            throw malformed(bytes.count, "truncated header (\(bytes.count) of \(SnapshotFormat.chunkHeaderBytes) bytes)")
        }
        guard Array(bytes[0..<4]) == SnapshotFormat.chunkMagic else { throw malformed(0, "not a snapshot chunk (magic)") }
        let format = u32(bytes, 4)
        guard format == SnapshotFormat.version else { throw .unsupportedFormat(found: format, supported: SnapshotFormat.version) }
        let chunkRound = u64(bytes, 8)
        guard chunkRound == round else { throw malformed(8, "chunk of round \(chunkRound), not of round \(round)") }
        let chunkIndex = u32(bytes, 16)
        guard chunkIndex == UInt32(truncatingIfNeeded: index) else { throw malformed(16, "chunk \(chunkIndex), not chunk \(index)") }
        let count = Int(u32(bytes, 20))
        guard count == expectedEntries else { throw malformed(20, "holds \(count) entries, the manifest says \(expectedEntries)") }
        var offset = SnapshotFormat.chunkHeaderBytes
        var previous = after
        for entry in 0..<count {
            let entryOffset = offset
            guard bytes.count - offset >= 4 else { throw malformed(offset, "entry \(entry): truncated key length") }
            let keyCount = Int(u32(bytes, offset))
            guard keyCount >= 1, keyCount <= SnapshotFormat.maxKeyBytes else {
                throw malformed(offset, "entry \(entry): key length \(keyCount) outside 1...\(SnapshotFormat.maxKeyBytes)")
            }
            offset += 4
            guard bytes.count - offset >= keyCount + 4 else { throw malformed(offset, "entry \(entry): truncated key") }
            let key = Array(bytes[offset..<(offset + keyCount)])
            offset += keyCount
            let valueCount = Int(u32(bytes, offset))
            offset += 4
            guard bytes.count - offset >= valueCount else { throw malformed(offset, "entry \(entry): truncated value (\(valueCount) bytes)") }
            let value = Array(bytes[offset..<(offset + valueCount)])
            offset += valueCount
            let leaf = LeafNode(key: key, value: value)
            if let previous, !(previous < leaf.keyHash) {
                throw .entriesNotAscending(
                    round: round, index: index, offset: entryOffset,
                    reason: previous == leaf.keyHash ? "entry \(entry) repeats key hash \(leaf.keyHash)"
                        : "entry \(entry) key hash \(leaf.keyHash) is below the previous \(previous)")
            }
            previous = leaf.keyHash
            try visit(leaf)
        }
        guard offset == bytes.count else { throw malformed(offset, "\(bytes.count - offset) trailing bytes") }
    }

    static func u32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        var value: UInt32 = 0
        for i in 0..<4 { value = value << 8 | UInt32(bytes[offset + i]) }
        return value
    }

    static func u64(_ bytes: [UInt8], _ offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<8 { value = value << 8 | UInt64(bytes[offset + i]) }
        return value
    }

    static func append(_ value: UInt32, to out: inout [UInt8]) {
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    static func append(_ value: UInt64, to out: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
}
