import Dispatch
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

    /// Where one entry lies in a chunk file.
    struct Span: Sendable {
        /// The offset of the entry (its key length field).
        let offset: Int
        let keyStart: Int, keyCount: Int
        let valueStart: Int, valueCount: Int
    }

    /// Checks the structure of a chunk of snapshot `round` at `index`, strictly: magic, format, round,
    /// index, the entry count (`expectedEntries`), key lengths 1...`maxKeyBytes`, lengths within the
    /// file, no trailing bytes. Returns where each entry lies.
    static func parse(_ bytes: [UInt8], round: UInt64, index: Int, expectedEntries: Int) throws(SnapshotError) -> [Span] {
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
        var spans: [Span] = []
        spans.reserveCapacity(min(count, bytes.count / 9))
        var offset = SnapshotFormat.chunkHeaderBytes
        for entry in 0..<count {
            let entryOffset = offset
            guard bytes.count - offset >= 4 else { throw malformed(offset, "entry \(entry): truncated key length") }
            let keyCount = Int(u32(bytes, offset))
            guard keyCount >= 1, keyCount <= SnapshotFormat.maxKeyBytes else {
                throw malformed(offset, "entry \(entry): key length \(keyCount) outside 1...\(SnapshotFormat.maxKeyBytes)")
            }
            offset += 4
            guard bytes.count - offset >= keyCount + 4 else { throw malformed(offset, "entry \(entry): truncated key") }
            let keyStart = offset
            offset += keyCount
            let valueCount = Int(u32(bytes, offset))
            offset += 4
            guard bytes.count - offset >= valueCount else { throw malformed(offset, "entry \(entry): truncated value (\(valueCount) bytes)") }
            spans.append(Span(offset: entryOffset, keyStart: keyStart, keyCount: keyCount, valueStart: offset, valueCount: valueCount))
            offset += valueCount
        }
        guard offset == bytes.count else { throw malformed(offset, "\(bytes.count - offset) trailing bytes") }
        return spans
    }

    /// The leaves of `spans[range]` (key and value copied out and hashed).
    static func leaves(_ bytes: [UInt8], _ spans: [Span], _ range: Range<Int>) -> [LeafNode] {
        var out: [LeafNode] = []
        out.reserveCapacity(range.count)
        for span in spans[range] {
            out.append(LeafNode(key: Array(bytes[span.keyStart..<(span.keyStart + span.keyCount)]),
                                value: Array(bytes[span.valueStart..<(span.valueStart + span.valueCount)])))
        }
        return out
    }

    /// What `hashAndDecode` computed.
    final class Decoded: @unchecked Sendable {
        var hash = Digest256.zero
        var spans: Result<[Span], SnapshotError> = .success([])
        var parts: [[LeafNode]] = [[], []]
    }

    /// Hashes the whole chunk (BLAKE2b-256) and, on a second thread, checks its structure (`parse`);
    /// then hashes the entries' keys and values in two halves on two threads. The caller checks the
    /// hash first, then the structure, then the key-hash order (`checkOrder`).
    static func hashAndDecode(
        _ bytes: [UInt8], round: UInt64, index: Int, expectedEntries: Int
    ) -> (hash: Digest256, entries: Result<(spans: [Span], leaves: [LeafNode]), SnapshotError>) {
        let decoded = Decoded()
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            if part == 0 {
                decoded.hash = Blake2b.hash256(bytes)
            } else {
                do throws(SnapshotError) {
                    decoded.spans = .success(try parse(bytes, round: round, index: index, expectedEntries: expectedEntries))
                } catch {
                    decoded.spans = .failure(error)
                }
            }
        }
        guard case .success(let spans) = decoded.spans else {
            if case .failure(let error) = decoded.spans { return (decoded.hash, .failure(error)) }
            return (decoded.hash, .success(([], [])))
        }
        let middle = spans.count / 2
        if spans.count < 256 {
            return (decoded.hash, .success((spans, leaves(bytes, spans, 0..<spans.count))))
        }
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            decoded.parts[part] = leaves(bytes, spans, part == 0 ? 0..<middle : middle..<spans.count)
        }
        return (decoded.hash, .success((spans, decoded.parts[0] + decoded.parts[1])))
    }

    /// Checks that the leaves' key hashes ascend strictly, starting above `after` (the previous
    /// chunk's last); `spans` give the offsets for the error.
    static func checkOrder(
        _ leaves: [LeafNode], spans: [Span], after: Digest256?, round: UInt64, index: Int
    ) throws(SnapshotError) {
        var previous = after
        for (entry, leaf) in leaves.enumerated() {
            if let previous, !(previous < leaf.keyHash) {
                throw .entriesNotAscending(
                    round: round, index: index, offset: entry < spans.count ? spans[entry].offset : 0,
                    reason: previous == leaf.keyHash ? "entry \(entry) repeats key hash \(leaf.keyHash)"
                        : "entry \(entry) key hash \(leaf.keyHash) is below the previous \(previous)")
            }
            previous = leaf.keyHash
        }
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
