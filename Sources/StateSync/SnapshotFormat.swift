/// Constants of the snapshot format (Docs/spec/snapshot.md, ADR 0019).
public enum SnapshotFormat {
    /// The format this build writes and reads (manifest `format`, chunk header).
    public static let version: UInt32 = 1
    /// The largest chunk file in bytes: 10 MiB.
    public static let maxChunkBytes: Int = 10 << 20
    /// The first four bytes of every chunk file: ASCII `AIRS`.
    public static let chunkMagic: [UInt8] = Array("AIRS".utf8)
    /// Bytes of the chunk header: magic (4) ‖ format (u32) ‖ round (u64) ‖ index (u32) ‖ entry count (u32).
    public static let chunkHeaderBytes = 24
    /// The largest key of an entry: LMDB's key limit (the flat state holds every key).
    public static let maxKeyBytes = 511
    /// The smallest chunk size an export accepts (a header and one small entry).
    public static let minChunkBytes = 64
    /// The manifest's file name inside a snapshot directory.
    public static let manifestFileName = "manifest.json"

    /// The file name of chunk `index`: `chunk-000000.bin` (six digits, more when needed).
    public static func chunkFileName(index: Int) -> String {
        let digits = String(index)
        return "chunk-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".bin"
    }

    /// The directory name of `round`: 20 decimal digits, zero-padded, so names sort as rounds.
    public static func directoryName(round: UInt64) -> String {
        let digits = String(round)
        return String(repeating: "0", count: 20 - digits.count) + digits
    }
}
