extension WriteTransaction {
    /// Options of `mdb_put`.
    public struct PutFlags: OptionSet, Sendable, Hashable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// `MDB_NOOVERWRITE`: fail with `.keyExist` if the key already has a value.
        public static let noOverwrite = PutFlags(rawValue: LMDBC.putNoOverwrite)
        /// `MDB_NODUPDATA`: with `dupSort`, fail with `.keyExist` if this exact pair exists.
        public static let noDupData = PutFlags(rawValue: LMDBC.putNoDupData)
        /// `MDB_APPEND`: the key is greater than every key in the database (fast bulk load of
        /// sorted keys); otherwise the put fails with `.keyExist`.
        public static let append = PutFlags(rawValue: LMDBC.putAppend)
        /// `MDB_APPENDDUP`: like `append` for the values of a `dupSort` key.
        public static let appendDup = PutFlags(rawValue: LMDBC.putAppendDup)
    }

    /// Stores `value` under `key` (`mdb_put`), replacing any value unless `flags` say otherwise.
    /// Keys are 1...`maxKeySize` bytes (`.badValSize` otherwise); a full map gives `.mapFull`.
    public mutating func put(
        _ db: Database, _ key: [UInt8], _ value: [UInt8], flags: PutFlags = []
    ) throws(LMDBError) {
        try withBytes(key) { (key) throws(LMDBError) in
            try withBytes(value) { (value) throws(LMDBError) in
                try LMDBC.put(pointer, db.dbi, key: key, value: value, flags: flags.rawValue)
            }
        }
    }

    /// Stores a value of `count` bytes under `key`, written in place by `fill` (`mdb_put` with
    /// `MDB_RESERVE`), saving a copy for large values. Not for `dupSort` databases.
    public mutating func put(
        _ db: Database, _ key: [UInt8], reservingCount count: Int, flags: PutFlags = [],
        fill: (UnsafeMutableRawBufferPointer) -> Void
    ) throws(LMDBError) {
        guard count >= 0 else { throw LMDBError(code: .errno(invalidArgumentErrno), operation: "mdb_put") }
        try withBytes(key) { (key) throws(LMDBError) in
            try LMDBC.putReserve(pointer, db.dbi, key: key, count: count, flags: flags.rawValue, fill: fill)
        }
    }

    /// Deletes `key` and its value(s) (`mdb_del`); false when the key was absent.
    @discardableResult
    public mutating func delete(_ db: Database, _ key: [UInt8]) throws(LMDBError) -> Bool {
        try withBytes(key) { (key) throws(LMDBError) -> Bool in
            try LMDBC.delete(pointer, db.dbi, key: key, value: nil)
        }
    }

    /// Deletes one value of a `dupSort` key (`mdb_del` with data); false when the pair was absent.
    @discardableResult
    public mutating func delete(_ db: Database, _ key: [UInt8], value: [UInt8]) throws(LMDBError) -> Bool {
        try withBytes(key) { (key) throws(LMDBError) -> Bool in
            try withBytes(value) { (value) throws(LMDBError) -> Bool in
                try LMDBC.delete(pointer, db.dbi, key: key, value: value)
            }
        }
    }

    /// Removes every entry of `db`, keeping the database (`mdb_drop` with del = 0).
    public mutating func clear(_ db: Database) throws(LMDBError) {
        try LMDBC.drop(pointer, db.dbi, delete: false)
    }

    /// Deletes the database itself and closes its handle (`mdb_drop` with del = 1). The handle
    /// must not be used afterwards, in any transaction.
    public mutating func drop(_ db: Database) throws(LMDBError) {
        try LMDBC.drop(pointer, db.dbi, delete: true)
    }
}
