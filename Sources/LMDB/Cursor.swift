/// A position in a database's key order (`MDB_cursor`), from `withCursor`.
///
/// The positioning methods return a copy of the entry they land on, or nil when there is none
/// (`MDB_NOTFOUND`). `withCurrent` reads the entry in place without copying. The cursor closes when
/// `withCursor` returns (`mdb_cursor_close`); it cannot outlive its transaction.
public struct Cursor: ~Copyable {
    let pointer: CursorPointer

    init(pointer: CursorPointer) {
        self.pointer = pointer
    }

    deinit {
        LMDBC.cursorClose(pointer)
    }

    /// The first entry (`MDB_FIRST`).
    public mutating func first() throws(LMDBError) -> Entry? { try move(.first) }

    /// The last entry (`MDB_LAST`).
    public mutating func last() throws(LMDBError) -> Entry? { try move(.last) }

    /// The entry after the current one (`MDB_NEXT`); the first entry if the cursor is unpositioned.
    public mutating func next() throws(LMDBError) -> Entry? { try move(.next) }

    /// The entry before the current one (`MDB_PREV`); the last entry if the cursor is unpositioned.
    public mutating func prev() throws(LMDBError) -> Entry? { try move(.prev) }

    /// The entry at the current position (`MDB_GET_CURRENT`).
    public mutating func current() throws(LMDBError) -> Entry? { try move(.getCurrent) }

    /// The first entry whose key is `>= key` (`MDB_SET_RANGE`).
    public mutating func seek(_ key: [UInt8]) throws(LMDBError) -> Entry? { try move(.setRange, key: key) }

    /// The entry whose key is exactly `key` (`MDB_SET_KEY`).
    public mutating func find(_ key: [UInt8]) throws(LMDBError) -> Entry? { try move(.setKey, key: key) }

    /// The last entry whose key is `< key` (`MDB_SET_RANGE` then `MDB_PREV`, or `MDB_LAST`).
    public mutating func seekBefore(_ key: [UInt8]) throws(LMDBError) -> Entry? {
        if try move(.setRange, key: key) != nil { return try move(.prev) }
        return try move(.last)
    }

    /// The value after the current one under the same key (`MDB_NEXT_DUP`, `dupSort` only).
    public mutating func nextDuplicate() throws(LMDBError) -> Entry? { try move(.nextDup) }

    /// The first entry of the next key (`MDB_NEXT_NODUP`).
    public mutating func nextKey() throws(LMDBError) -> Entry? { try move(.nextNoDup) }

    /// Calls `body` with the current key and value in place (`MDB_GET_CURRENT`, no copy), or
    /// returns nil when the cursor is not on an entry. The memory is valid only during `body`.
    public mutating func withCurrent<R>(
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> R
    ) throws(LMDBError) -> R? {
        guard let raw = try LMDBC.cursorGet(pointer, .getCurrent, key: nil, value: nil) else { return nil }
        return body(raw.key, raw.value)
    }

    /// Deletes the entry at the cursor (`mdb_cursor_del`); the cursor then sits on the next one
    /// (read it with `current()`). In a read transaction this fails with `.errno(EACCES)`.
    public mutating func deleteCurrent() throws(LMDBError) {
        try LMDBC.cursorDelete(pointer)
    }

    /// Stores `value` under `key` through the cursor (`mdb_cursor_put`), which then sits on the new
    /// entry. With `.append` (`MDB_APPEND`) the key must sort after every stored key (`.keyExist`
    /// otherwise); a run of appends through one cursor does not descend from the root for each key.
    /// Write transactions only (`.errno(EACCES)` in a read transaction).
    public mutating func put(
        _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, flags: WriteTransaction.PutFlags = []
    ) throws(LMDBError) {
        try LMDBC.cursorPut(pointer, key: key, value: value, flags: flags.rawValue)
    }

    /// `put(_:_:flags:)` with the value in a slice of a larger array (`mdb_cursor_put`).
    public mutating func put(_ key: [UInt8], _ value: ArraySlice<UInt8>, flags: WriteTransaction.PutFlags = []) throws(LMDBError) {
        try putBytes(key, value, flags: flags)
    }

    /// `put(_:_:flags:)` with the key and value in arrays (`mdb_cursor_put`).
    public mutating func put(_ key: [UInt8], _ value: [UInt8], flags: WriteTransaction.PutFlags = []) throws(LMDBError) {
        try putBytes(key, value, flags: flags)
    }

    /// The array and slice `put`s: `mdb_cursor_put` with the bytes of `key` and `value`.
    @inline(__always)
    private mutating func putBytes<Value: ContiguousByteStorage>(
        _ key: [UInt8], _ value: Value, flags: WriteTransaction.PutFlags
    ) throws(LMDBError) {
        try withBytes(key) { (key) throws(LMDBError) in
            try withBytes(value) { (value) throws(LMDBError) in
                try LMDBC.cursorPut(pointer, key: key, value: value, flags: flags.rawValue)
            }
        }
    }

    /// Deletes `key` through the cursor (`mdb_cursor_get` with `MDB_SET`, then `mdb_cursor_del`); false
    /// when the key was absent. Write transactions only.
    @discardableResult
    public mutating func delete(_ key: [UInt8]) throws(LMDBError) -> Bool {
        guard try position(.set, key: key) else { return false }
        try LMDBC.cursorDelete(pointer)
        return true
    }

    /// Moves and reports whether the cursor landed on an entry, without copying it.
    mutating func position(_ op: LMDBC.CursorOp, key: [UInt8]? = nil) throws(LMDBError) -> Bool {
        guard let key else { return try LMDBC.cursorGet(pointer, op, key: nil, value: nil) != nil }
        return try withBytes(key) { (key) throws(LMDBError) -> Bool in
            try LMDBC.cursorGet(pointer, op, key: key, value: nil) != nil
        }
    }

    private mutating func move(_ op: LMDBC.CursorOp, key: [UInt8]? = nil) throws(LMDBError) -> Entry? {
        guard let key else {
            guard let raw = try LMDBC.cursorGet(pointer, op, key: nil, value: nil) else { return nil }
            return Entry(raw)
        }
        return try withBytes(key) { (key) throws(LMDBError) -> Entry? in
            guard let raw = try LMDBC.cursorGet(pointer, op, key: key, value: nil) else { return nil }
            return Entry(raw)
        }
    }
}
