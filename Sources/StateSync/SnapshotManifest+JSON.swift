import Foundation
import Sodium

extension SnapshotManifest {
    /// The canonical `manifest.json` bytes: one line, no spaces, fields in the order of the spec,
    /// hashes and metadata in lower-case hex, a final newline. Deterministic.
    public func encoded() -> [UInt8] {
        var out = "{\"format\":\(format),\"chain_id\":\(Self.quoted(chainID)),\"round\":\(round),"
        out += "\"root\":\"\(root.hex)\",\"entry_count\":\(entryCount),\"chunks\":["
        for (position, chunk) in chunks.enumerated() {
            if position > 0 { out += "," }
            out += "{\"index\":\(chunk.index),\"hash\":\"\(chunk.hash.hex)\",\"bytes\":\(chunk.byteCount),\"entries\":\(chunk.entryCount)}"
        }
        out += "],\"metadata\":["
        for (position, entry) in metadata.enumerated() {
            if position > 0 { out += "," }
            out += "{\"key\":\"\(Hex.encode(entry.key))\",\"value\":\"\(Hex.encode(entry.value))\"}"
        }
        out += "]}\n"
        return Array(out.utf8)
    }

    /// Decodes `manifest.json` strictly: every field present with the right type and range, no
    /// unknown field, a known format, chunk indices 0, 1, … with sizes within the format's limit and
    /// entry counts summing to `entry_count`, metadata keys strictly ascending; and the bytes must be
    /// exactly the canonical encoding (so an edited manifest is refused even when it still parses).
    public init(decoding bytes: [UInt8]) throws(SnapshotError) {
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: Data(bytes), options: []) } catch {
            throw .manifestInvalid(field: "", reason: "not JSON: \(error.localizedDescription)")
        }
        guard let object = parsed as? [String: Any] else { throw .manifestInvalid(field: "", reason: "not a JSON object") }
        try Self.onlyKeys(object, ["format", "chain_id", "round", "root", "entry_count", "chunks", "metadata"], path: "")
        let format = try Self.integer(object, "format", path: "", max: UInt64(UInt32.max))
        guard format == UInt64(SnapshotFormat.version) else {
            throw .unsupportedFormat(found: UInt32(format), supported: SnapshotFormat.version)
        }
        guard let chainID = object["chain_id"] as? String else { throw .manifestInvalid(field: "chain_id", reason: "must be a string") }
        let round = try Self.integer(object, "round", path: "", max: .max)
        let root = try Self.digest(object, "root", path: "")
        let entryCount = try Self.integer(object, "entry_count", path: "", max: .max)
        guard let chunkList = object["chunks"] as? [Any] else { throw .manifestInvalid(field: "chunks", reason: "must be an array") }
        var chunks: [SnapshotChunkInfo] = []
        var total: UInt64 = 0
        for (position, item) in chunkList.enumerated() {
            let path = "chunks[\(position)]."
            guard let chunk = item as? [String: Any] else { throw .manifestInvalid(field: "chunks[\(position)]", reason: "must be an object") }
            try Self.onlyKeys(chunk, ["index", "hash", "bytes", "entries"], path: path)
            let index = try Self.integer(chunk, "index", path: path, max: UInt64(Int.max))
            guard index == UInt64(position) else { throw .manifestInvalid(field: path + "index", reason: "is \(index), expected \(position)") }
            let hash = try Self.digest(chunk, "hash", path: path)
            let byteCount = try Self.integer(chunk, "bytes", path: path, max: UInt64(SnapshotFormat.maxChunkBytes))
            guard byteCount >= UInt64(SnapshotFormat.chunkHeaderBytes) else {
                throw .manifestInvalid(field: path + "bytes", reason: "\(byteCount) is below the chunk header size")
            }
            let entries = try Self.integer(chunk, "entries", path: path, max: byteCount / 9)
            guard entries > 0 else { throw .manifestInvalid(field: path + "entries", reason: "a chunk holds at least one entry") }
            total += entries
            chunks.append(SnapshotChunkInfo(index: Int(index), hash: hash, byteCount: Int(byteCount), entryCount: Int(entries)))
        }
        guard total == entryCount else {
            throw .manifestInvalid(field: "entry_count", reason: "is \(entryCount) but the chunks hold \(total) entries")
        }
        guard let metadataList = object["metadata"] as? [Any] else { throw .manifestInvalid(field: "metadata", reason: "must be an array") }
        var metadata: [SnapshotMetadataEntry] = []
        for (position, item) in metadataList.enumerated() {
            let path = "metadata[\(position)]."
            guard let entry = item as? [String: Any] else { throw .manifestInvalid(field: "metadata[\(position)]", reason: "must be an object") }
            try Self.onlyKeys(entry, ["key", "value"], path: path)
            let key = try Self.hexBytes(entry, "key", path: path)
            let value = try Self.hexBytes(entry, "value", path: path)
            guard !key.isEmpty, key.count <= SnapshotFormat.maxKeyBytes else {
                throw .manifestInvalid(field: path + "key", reason: "must have 1...\(SnapshotFormat.maxKeyBytes) bytes")
            }
            guard !key.starts(with: Array("store.".utf8)) else {
                throw .manifestInvalid(field: path + "key", reason: "keys starting with \"store.\" are the store's own")
            }
            if let previous = metadata.last, !previous.key.lexicographicallyPrecedes(key) {
                throw .manifestInvalid(field: path + "key", reason: "not strictly above the previous key")
            }
            metadata.append(SnapshotMetadataEntry(key: key, value: value))
        }
        self.init(format: UInt32(format), chainID: chainID, round: round, root: root, entryCount: entryCount,
                  chunks: chunks, metadata: metadata)
        guard encoded() == bytes else {
            throw .manifestInvalid(field: "", reason: "not in canonical form (spacing, field order, number or string spelling)")
        }
    }

    // MARK: Field readers

    private static func onlyKeys(_ object: [String: Any], _ allowed: [String], path: String) throws(SnapshotError) {
        for key in object.keys.sorted() where !allowed.contains(key) {
            throw .manifestInvalid(field: path + key, reason: "unknown field")
        }
        for key in allowed where object[key] == nil {
            throw .manifestInvalid(field: path + key, reason: "missing")
        }
    }

    /// A non-negative integer up to `max` (JSON booleans and fractions refused).
    private static func integer(_ object: [String: Any], _ key: String, path: String, max: UInt64) throws(SnapshotError) -> UInt64 {
        // A boolean reads as 0 or 1 here; the final canonical check refuses it.
        guard let number = object[key] as? NSNumber else {
            throw .manifestInvalid(field: path + key, reason: "must be an integer")
        }
        let text = number.stringValue
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = UInt64(text) else {
            throw .manifestInvalid(field: path + key, reason: "must be a non-negative integer, not \(text)")
        }
        guard value <= max else { throw .manifestInvalid(field: path + key, reason: "\(value) is above \(max)") }
        return value
    }

    private static func digest(_ object: [String: Any], _ key: String, path: String) throws(SnapshotError) -> Digest256 {
        let bytes = try hexBytes(object, key, path: path)
        guard let digest = Digest256(bytes: bytes) else {
            throw .manifestInvalid(field: path + key, reason: "must be 32 bytes (64 hex digits), has \(bytes.count)")
        }
        return digest
    }

    private static func hexBytes(_ object: [String: Any], _ key: String, path: String) throws(SnapshotError) -> [UInt8] {
        guard let text = object[key] as? String else { throw .manifestInvalid(field: path + key, reason: "must be a hex string") }
        guard let bytes = Hex.decode(text) else { throw .manifestInvalid(field: path + key, reason: "is not hex") }
        return bytes
    }

    /// A JSON string literal: `"` and `\` escaped, control characters as `\u00XX`, the rest as UTF-8.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
