/// A handle of a database inside an `Environment` (an `MDB_dbi`), from `Environment.openDatabase`.
///
/// Handles stay valid for the environment's lifetime (until `WriteTransaction.drop` deletes the
/// database) and may be shared between threads and transactions. A handle only means something
/// in the environment that opened it.
public struct Database: Hashable, Sendable {
    let dbi: UInt32
    /// The database's name; nil for the main (unnamed) database.
    public let name: String?
    /// The flags the database was opened with.
    public let flags: Flags

    /// Options of `mdb_dbi_open`. They are part of the database and must be the same at every open.
    public struct Flags: OptionSet, Sendable, Hashable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// `MDB_REVERSEKEY`: compare keys from their last byte to their first.
        public static let reverseKey = Flags(rawValue: LMDBC.dbReverseKey)
        /// `MDB_DUPSORT`: a key may hold several values, kept sorted (each at most `maxKeySize` bytes).
        public static let dupSort = Flags(rawValue: LMDBC.dbDupSort)
    }
}

extension Environment {
    /// Opens a database by name (nil: the main database) in a short transaction of its own
    /// (`mdb_dbi_open`, then `mdb_txn_commit`).
    ///
    /// With `create` (the default) the database is created if missing, in a write transaction; a
    /// read-only environment needs `create: false`. A named database needs `maxDatabases > 0`
    /// (`.dbsFull` otherwise). A missing database without `create` is `.notFound`. Do not call this
    /// from inside `write` on the same thread (it begins its own write transaction: `EDEADLK`).
    public func openDatabase(
        _ name: String? = nil, flags: Database.Flags = [], create: Bool = true
    ) throws(LMDBError) -> Database {
        if create {
            let txn = try beginWrite()
            // LMDB: the transaction that called mdb_dbi_open must end before another may call it.
            databaseLock.lock()
            defer { databaseLock.unlock() }
            let dbi: UInt32
            do {
                dbi = try LMDBC.dbiOpen(txn.pointer, name: name, flags: flags.rawValue | LMDBC.dbCreate)
            } catch {
                txn.abort()
                throw error
            }
            try txn.commit()
            return Database(dbi: dbi, name: name, flags: flags)
        } else {
            let txn = try beginRead()
            databaseLock.lock()
            defer { databaseLock.unlock() }
            let dbi: UInt32
            do {
                dbi = try LMDBC.dbiOpen(txn.pointer, name: name, flags: flags.rawValue)
            } catch {
                txn.abort()
                throw error
            }
            // A handle opened in a read transaction survives only if the transaction commits.
            try txn.commit()
            return Database(dbi: dbi, name: name, flags: flags)
        }
    }
}
