/// A failure reported by liblmdb (or by the system under it), with the C function that failed.
///
/// `LMDBError(code: .mapFull, operation: "mdb_put")` reads as "mdb_put returned MDB_MAP_FULL".
public struct LMDBError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The C return code, decoded.
    public enum Code: Equatable, Hashable, Sendable {
        /// `MDB_KEYEXIST`: key/data pair already exists (e.g. a put with `noOverwrite`).
        case keyExist
        /// `MDB_NOTFOUND`: key/data pair not found. `get` and `delete` report it as nil/false instead.
        case notFound
        /// `MDB_PAGE_NOTFOUND`: requested page not found; usually corruption.
        case pageNotFound
        /// `MDB_CORRUPTED`: located page was the wrong type.
        case corrupted
        /// `MDB_PANIC`: update of meta page failed or environment had a fatal error.
        case panic
        /// `MDB_VERSION_MISMATCH`: environment version mismatch.
        case versionMismatch
        /// `MDB_INVALID`: the file is not a valid LMDB file.
        case invalid
        /// `MDB_MAP_FULL`: environment map size reached; raise it with `setMapSize`.
        case mapFull
        /// `MDB_DBS_FULL`: environment `maxDatabases` reached.
        case dbsFull
        /// `MDB_READERS_FULL`: environment `maxReaders` reached.
        case readersFull
        /// `MDB_TLS_FULL`: too many TLS keys in use.
        case tlsFull
        /// `MDB_TXN_FULL`: the transaction has too many dirty pages.
        case txnFull
        /// `MDB_CURSOR_FULL`: cursor stack too deep.
        case cursorFull
        /// `MDB_PAGE_FULL`: page has not enough space.
        case pageFull
        /// `MDB_MAP_RESIZED`: another process grew the map; call `setMapSize(0)` and retry.
        case mapResized
        /// `MDB_INCOMPATIBLE`: operation and database incompatible, or database flags changed.
        case incompatible
        /// `MDB_BAD_RSLOT`: invalid reuse of a reader slot.
        case badReaderSlot
        /// `MDB_BAD_TXN`: the transaction must abort (it failed earlier), has a child, or is invalid.
        case badTxn
        /// `MDB_BAD_VALSIZE`: key or value too large (or an empty key).
        case badValSize
        /// `MDB_BAD_DBI`: the database handle was changed unexpectedly.
        case badDBI
        /// A system error (`errno`), e.g. `ENOENT`, `EACCES`, `EROFS`, `ENOSPC`, `EDEADLK`.
        case errno(Int32)
        /// An MDB_* code this wrapper does not know (a newer liblmdb).
        case unknown(Int32)

        /// Decodes a C return code.
        public init(rawValue: Int32) {
            switch rawValue {
            case LMDBC.keyExist: self = .keyExist
            case LMDBC.notFound: self = .notFound
            case LMDBC.pageNotFound: self = .pageNotFound
            case LMDBC.corrupted: self = .corrupted
            case LMDBC.panic: self = .panic
            case LMDBC.versionMismatch: self = .versionMismatch
            case LMDBC.invalid: self = .invalid
            case LMDBC.mapFull: self = .mapFull
            case LMDBC.dbsFull: self = .dbsFull
            case LMDBC.readersFull: self = .readersFull
            case LMDBC.tlsFull: self = .tlsFull
            case LMDBC.txnFull: self = .txnFull
            case LMDBC.cursorFull: self = .cursorFull
            case LMDBC.pageFull: self = .pageFull
            case LMDBC.mapResized: self = .mapResized
            case LMDBC.incompatible: self = .incompatible
            case LMDBC.badReaderSlot: self = .badReaderSlot
            case LMDBC.badTxn: self = .badTxn
            case LMDBC.badValSize: self = .badValSize
            case LMDBC.badDBI: self = .badDBI
            case let code where code > 0: self = .errno(code)
            default: self = .unknown(rawValue)
            }
        }

        /// The C return code.
        public var rawValue: Int32 {
            switch self {
            case .keyExist: return LMDBC.keyExist
            case .notFound: return LMDBC.notFound
            case .pageNotFound: return LMDBC.pageNotFound
            case .corrupted: return LMDBC.corrupted
            case .panic: return LMDBC.panic
            case .versionMismatch: return LMDBC.versionMismatch
            case .invalid: return LMDBC.invalid
            case .mapFull: return LMDBC.mapFull
            case .dbsFull: return LMDBC.dbsFull
            case .readersFull: return LMDBC.readersFull
            case .tlsFull: return LMDBC.tlsFull
            case .txnFull: return LMDBC.txnFull
            case .cursorFull: return LMDBC.cursorFull
            case .pageFull: return LMDBC.pageFull
            case .mapResized: return LMDBC.mapResized
            case .incompatible: return LMDBC.incompatible
            case .badReaderSlot: return LMDBC.badReaderSlot
            case .badTxn: return LMDBC.badTxn
            case .badValSize: return LMDBC.badValSize
            case .badDBI: return LMDBC.badDBI
            case .errno(let code): return code
            case .unknown(let code): return code
            }
        }
    }

    /// What the C function returned.
    public let code: Code
    /// The C function that failed, e.g. `mdb_put`, `mdb_env_open`, `mdb_txn_commit`.
    public let operation: String

    public init(code: Code, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// From a raw C return code.
    public init(rawCode: Int32, operation: String) {
        self.init(code: Code(rawValue: rawCode), operation: operation)
    }

    /// The library's message for the code (`mdb_strerror`), e.g. "MDB_MAP_FULL: Environment mapsize limit reached".
    public var message: String { LMDBC.errorString(code.rawValue) }

    /// "mdb_put: MDB_MAP_FULL: Environment mapsize limit reached (-30792)".
    public var description: String { "\(operation): \(message) (\(code.rawValue))" }
}
