/// What a scan visitor asks for next.
public enum ScanStep: Sendable {
    /// Deliver the next entry.
    case `continue`
    /// Stop the scan here.
    case stop
}

extension ReadableTransaction where Self: ~Copyable {
    /// Visits the entries with `start <= key < end` in key order (or descending with `reverse`),
    /// at most `limit` of them, in place without copying (a cursor with `MDB_SET_RANGE`,
    /// `MDB_NEXT`/`MDB_PREV`). Nil bounds are open; keys compare with the database's order (`mdb_cmp`).
    ///
    /// The buffers are valid only during `visit`; return `.stop` to end early. Returns how many
    /// entries were passed to `visit`.
    @discardableResult
    public func scan(
        _ db: Database, from start: [UInt8]? = nil, to end: [UInt8]? = nil, reverse: Bool = false,
        limit: Int? = nil,
        _ visit: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> ScanStep
    ) throws(LMDBError) -> Int {
        let limit = limit ?? Int.max
        guard limit > 0 else { return 0 }
        let txn = pointer
        let dbi = db.dbi
        let cursor = try LMDBC.cursorOpen(txn, dbi)
        defer { LMDBC.cursorClose(cursor) }

        // Is `key` inside the bound on the side the scan moves towards?
        func pastEnd(_ key: UnsafeRawBufferPointer) -> Bool {
            if reverse {
                guard let start else { return false }
                return start.withUnsafeBytes { LMDBC.compare(txn, dbi, key, $0) < 0 }
            } else {
                guard let end else { return false }
                return end.withUnsafeBytes { LMDBC.compare(txn, dbi, key, $0) >= 0 }
            }
        }

        var entry: (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)?
        if reverse {
            if let end {
                let atOrAfterEnd = try withBytes(end) { (key) throws(LMDBError) in
                    try LMDBC.cursorGet(cursor, .setRange, key: key, value: nil)
                }
                entry = try LMDBC.cursorGet(cursor, atOrAfterEnd == nil ? .last : .prev, key: nil, value: nil)
            } else {
                entry = try LMDBC.cursorGet(cursor, .last, key: nil, value: nil)
            }
        } else {
            if let start {
                entry = try withBytes(start) { (key) throws(LMDBError) in
                    try LMDBC.cursorGet(cursor, .setRange, key: key, value: nil)
                }
            } else {
                entry = try LMDBC.cursorGet(cursor, .first, key: nil, value: nil)
            }
        }

        var visited = 0
        while let current = entry, visited < limit, !pastEnd(current.key) {
            visited += 1
            if visit(current.key, current.value) == .stop { break }
            entry = try LMDBC.cursorGet(cursor, reverse ? .prev : .next, key: nil, value: nil)
        }
        return visited
    }

    /// Copies of the entries with `start <= key < end`, ascending (descending with `reverse`),
    /// at most `limit` of them. See the visiting `scan` for the bounds.
    public func scan(
        _ db: Database, from start: [UInt8]? = nil, to end: [UInt8]? = nil, reverse: Bool = false,
        limit: Int? = nil
    ) throws(LMDBError) -> [Entry] {
        var entries: [Entry] = []
        try scan(db, from: start, to: end, reverse: reverse, limit: limit) { key, value in
            entries.append(Entry(key: [UInt8](key), value: [UInt8](value)))
            return .continue
        }
        return entries
    }

    /// Visits the entries whose key starts with `prefix` (see the visiting `scan`).
    @discardableResult
    public func scan(
        _ db: Database, prefix: [UInt8], reverse: Bool = false, limit: Int? = nil,
        _ visit: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> ScanStep
    ) throws(LMDBError) -> Int {
        try scan(
            db, from: prefix.isEmpty ? nil : prefix, to: KeyRange.upperBound(forPrefix: prefix),
            reverse: reverse, limit: limit, visit)
    }

    /// Copies of the entries whose key starts with `prefix`, in key order (descending with `reverse`).
    public func scan(
        _ db: Database, prefix: [UInt8], reverse: Bool = false, limit: Int? = nil
    ) throws(LMDBError) -> [Entry] {
        try scan(
            db, from: prefix.isEmpty ? nil : prefix, to: KeyRange.upperBound(forPrefix: prefix),
            reverse: reverse, limit: limit)
    }
}
