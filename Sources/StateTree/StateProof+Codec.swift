import Sodium

extension StateProof {
    /// The format byte of the proof encoding (rule ST-31).
    public static let formatVersion: UInt8 = 0x01

    /// The canonical bytes (rule ST-31):
    /// `0x01 ‖ terminal ‖ level count (u8) ‖ levels`, where `terminal` is `0x00` (empty) or
    /// `0x01 ‖ keyHash (32) ‖ valueHash (32)`, and each level is `bitmap (u16 BE) ‖ siblings (32 each)`.
    /// The number of siblings of a level is implied: popcount(bitmap) − 1, except for the last level
    /// of a proof ending on an empty slot, where it is popcount(bitmap).
    ///
    /// The encoding of a proof whose sibling counts do not match its bitmaps is not canonical and
    /// will not decode; `verify` reports such proofs before they are encoded.
    public var encoded: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(67 + levels.reduce(0) { $0 + 2 + 32 * $1.siblings.count })
        out.append(StateProof.formatVersion)
        switch terminal {
        case .empty:
            out.append(0x00)
        case .leaf(let keyHash, let valueHash):
            out.append(0x01)
            keyHash.append(to: &out)
            valueHash.append(to: &out)
        }
        out.append(UInt8(truncatingIfNeeded: levels.count))
        for level in levels {
            out.appendBE(level.bitmap)
            for sibling in level.siblings { sibling.append(to: &out) }
        }
        return out
    }

    /// Decodes the canonical bytes; rejects an unknown format or tag, more than 64 levels, a bitmap
    /// that cannot hold the path, and missing or trailing bytes (rule ST-31).
    public init(decoding bytes: [UInt8]) throws(TreeDecodingError) {
        var reader = ByteReader(bytes, type: "StateProof")
        let format = try reader.u8("format")
        guard format == StateProof.formatVersion else { throw reader.error("format", .unknownTag(format), at: 0) }
        let tagOffset = reader.offset
        let tag = try reader.u8("terminal")
        let terminal: Terminal
        switch tag {
        case 0x00:
            terminal = .empty
        case 0x01:
            let keyHash = try reader.digest("terminal.keyHash")
            let valueHash = try reader.digest("terminal.valueHash")
            terminal = .leaf(keyHash: keyHash, valueHash: valueHash)
        default:
            throw reader.error("terminal", .unknownTag(tag), at: tagOffset)
        }
        let countOffset = reader.offset
        let count = Int(try reader.u8("levelCount"))
        guard count <= NibblePath.maxCount else {
            throw reader.error("levelCount", .outOfRange(UInt64(count)), at: countOffset)
        }
        var levels: [Level] = []
        levels.reserveCapacity(count)
        for index in 0..<count {
            let bitmapOffset = reader.offset
            let bitmap = try reader.u16("levels[\(index)].bitmap")
            let present = bitmap.nonzeroBitCount
            let onPath = !(index == count - 1 && terminal == .empty)
            let siblingCount = onPath ? present - 1 : present
            guard siblingCount >= 0, present > 0 else {
                throw reader.error("levels[\(index)].bitmap", .outOfRange(UInt64(bitmap)), at: bitmapOffset)
            }
            try reader.need(32 * siblingCount, "levels[\(index)].siblings")
            var siblings: [Digest256] = []
            siblings.reserveCapacity(siblingCount)
            for s in 0..<siblingCount { siblings.append(try reader.digest("levels[\(index)].siblings[\(s)]")) }
            levels.append(Level(bitmap: bitmap, siblings: siblings))
        }
        try reader.finish()
        self.init(levels: levels, terminal: terminal)
    }
}
