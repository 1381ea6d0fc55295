import Foundation
import LMDB
import Testing

@Suite("LMDB failure paths")
struct FailurePathTests {
    @Test("a full map fails mdb_put with mapFull and the failed transaction leaves nothing")
    func mapFull() throws {
        try withEnvironment(mapSize: 256 << 10) { env in
            let db = try env.openDatabase("fill")
            try env.write { txn in try txn.put(db, bytes("committed"), bytes("before")) }

            var txn = try env.beginWrite()
            var failure: LMDBError?
            var written = 0
            let value = [UInt8](repeating: 0xAB, count: 1024)
            while written < 100_000 {
                do throws(LMDBError) {
                    try txn.put(db, key(written), value)
                    written += 1
                } catch {
                    failure = error
                    break
                }
            }
            let error = try #require(failure)
            #expect(error.code == .mapFull)
            #expect(error.operation == "mdb_put")
            #expect(error.description.contains("MDB_MAP_FULL"))
            #expect(error.description.hasPrefix("mdb_put: "))
            #expect(written > 10)

            // LMDB marks the transaction failed: commit refuses with badTxn and commits nothing.
            do throws(LMDBError) {
                try txn.commit()
                Issue.record("commit of a failed transaction succeeded")
            } catch {
                #expect(error == LMDBError(code: .badTxn, operation: "mdb_txn_commit"))
            }

            try env.read { txn throws in
                #expect(try txn.stat(db).entries == 1)
                #expect(try txn.get(db, key(0)) == nil)
                #expect(try txn.get(db, bytes("committed")) == bytes("before"))
            }

            // With a larger map the same writes fit.
            try env.setMapSize(64 << 20)
            #expect(try env.info().mapSize == 64 << 20)
            try env.write { txn throws in
                for n in 0..<written { try txn.put(db, key(n), value) }
            }
            try env.read { txn throws in #expect(try txn.stat(db).entries == written + 1) }
        }
    }

    @Test("the same map-full failure inside write() aborts the whole transaction")
    func mapFullInsideWrite() throws {
        try withEnvironment(mapSize: 256 << 10) { env in
            let db = try env.openDatabase()
            let value = [UInt8](repeating: 1, count: 4096)
            #expect(throws: LMDBError(code: .mapFull, operation: "mdb_put")) {
                try env.write { txn throws in
                    for n in 0..<10_000 { try txn.put(db, key(n), value) }
                }
            }
            try env.read { txn throws in #expect(try txn.stat(db).entries == 0) }
        }
    }

    @Test("a read-only environment reads but refuses a write transaction with EACCES")
    func readOnlyEnvironment() throws {
        try withTemporaryDirectory { path in
            do {
                let env = try Environment(path: path, maxDatabases: 2)
                let db = try env.openDatabase("data")
                try env.write { txn in try txn.put(db, bytes("k"), bytes("v")) }
            }
            let env = try Environment(path: path, maxDatabases: 2, flags: .readOnly)
            #expect(env.isReadOnly)
            let db = try env.openDatabase("data", create: false)
            #expect(try committedValue(env, db, bytes("k")) == bytes("v"))

            #expect(throws: LMDBError(code: .errno(EACCES), operation: "mdb_txn_begin")) {
                _ = try env.beginWrite()
            }
            #expect(throws: LMDBError(code: .errno(EACCES), operation: "mdb_txn_begin")) {
                try env.write { txn in try txn.put(db, bytes("k"), bytes("changed")) }
            }
            #expect(throws: LMDBError(code: .errno(EACCES), operation: "mdb_txn_begin")) {
                try env.openDatabase("new")
            }
            #expect(try committedValue(env, db, bytes("k")) == bytes("v"))
        }
    }

    @Test("a missing directory fails mdb_env_open with ENOENT")
    func missingDirectory() throws {
        try withTemporaryDirectory { path in
            let missing = path + "/does/not/exist"
            do throws(LMDBError) {
                _ = try Environment(path: missing)
                Issue.record("opening a missing directory succeeded")
            } catch {
                #expect(error.code == .errno(ENOENT))
                #expect(error.operation == "mdb_env_open")
                #expect(error.message == String(cString: strerror(ENOENT)))
                #expect(error.description == "mdb_env_open: \(String(cString: strerror(ENOENT))) (\(ENOENT))")
            }
            #expect(!FileManager.default.fileExists(atPath: missing))
        }
    }

    @Test("a read-only environment at an empty directory fails with ENOENT")
    func readOnlyWithoutData() throws {
        try withTemporaryDirectory { path in
            #expect(throws: LMDBError(code: .errno(ENOENT), operation: "mdb_env_open")) {
                _ = try Environment(path: path, flags: .readOnly)
            }
        }
    }

    @Test("a file that is not an LMDB file is refused with invalid")
    func notAnLMDBFile() throws {
        try withTemporaryDirectory { path in
            let file = path + "/garbage"
            try Data(repeating: 0x5A, count: 64 << 10).write(to: URL(fileURLWithPath: file))
            #expect(throws: LMDBError(code: .invalid, operation: "mdb_env_open")) {
                _ = try Environment(path: file, flags: .noSubdir)
            }
        }
    }

    @Test("bad arguments are refused before reaching LMDB")
    func badArguments() throws {
        try withTemporaryDirectory { path in
            #expect(throws: LMDBError(code: .errno(EINVAL), operation: "mdb_env_set_maxreaders")) {
                _ = try Environment(path: path, maxReaders: 0)
            }
            #expect(throws: LMDBError(code: .errno(EINVAL), operation: "mdb_env_set_mapsize")) {
                _ = try Environment(path: path, mapSize: -1)
            }
        }
    }

    @Test("too many readers is readersFull")
    func readersFull() throws {
        try withTemporaryDirectory { path in
            let env = try Environment(path: path, maxReaders: 2)
            let first = try env.beginRead()
            let second = try env.beginRead()
            #expect(throws: LMDBError(code: .readersFull, operation: "mdb_txn_begin")) { _ = try env.beginRead() }
            first.abort()
            let third = try env.beginRead()
            third.abort()
            second.abort()
        }
    }

    @Test("codes map to and from their C values")
    func codes() {
        let known: [(LMDBError.Code, Int32)] = [
            (.keyExist, -30799), (.notFound, -30798), (.pageNotFound, -30797), (.corrupted, -30796),
            (.panic, -30795), (.versionMismatch, -30794), (.invalid, -30793), (.mapFull, -30792),
            (.dbsFull, -30791), (.readersFull, -30790), (.tlsFull, -30789), (.txnFull, -30788),
            (.cursorFull, -30787), (.pageFull, -30786), (.mapResized, -30785), (.incompatible, -30784),
            (.badReaderSlot, -30783), (.badTxn, -30782), (.badValSize, -30781), (.badDBI, -30780),
            (.errno(ENOENT), ENOENT), (.errno(EACCES), EACCES), (.errno(EROFS), EROFS), (.unknown(-1), -1),
        ]
        for (code, raw) in known {
            #expect(code.rawValue == raw)
            #expect(LMDBError.Code(rawValue: raw) == code)
        }
        #expect(LMDBError(code: .errno(EROFS), operation: "mdb_env_open").message.contains("Read-only file system"))
        #expect(LMDBError(code: .notFound, operation: "mdb_get").message.hasPrefix("MDB_NOTFOUND"))
    }
}
