import LMDB
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure of the test body itself, to check that `write` aborts on a thrown error.
struct BodyFailed: Error {}

@Suite("LMDB transactions")
struct TransactionTests {
    @Test("commit makes writes visible; abort discards them")
    func commitVersusAbort() throws {
        try withEnvironment { env in
            let db = try env.openDatabase()

            var aborted = try env.beginWrite()
            try aborted.put(db, bytes("a"), bytes("aborted"))
            aborted.abort()
            #expect(try committedValue(env, db, bytes("a")) == nil)

            var committed = try env.beginWrite()
            try committed.put(db, bytes("a"), bytes("committed"))
            try committed.commit()
            #expect(try committedValue(env, db, bytes("a")) == bytes("committed"))
        }
    }

    @Test("a write transaction dropped without commit aborts")
    func deinitAborts() throws {
        try withEnvironment { env in
            let db = try env.openDatabase()
            func writeAndForget() throws(LMDBError) {
                var txn = try env.beginWrite()
                try txn.put(db, bytes("k"), bytes("never committed"))
                // No commit: leaving the scope ends the transaction with mdb_txn_abort.
            }
            try writeAndForget()
            #expect(try committedValue(env, db, bytes("k")) == nil)
            // The writer lock was released: another write can begin on this thread.
            try env.write { txn in try txn.put(db, bytes("k"), bytes("v")) }
            #expect(try committedValue(env, db, bytes("k")) == bytes("v"))
        }
    }

    @Test("write aborts when its body throws")
    func writeAbortsOnThrow() throws {
        try withEnvironment { env in
            let db = try env.openDatabase()
            #expect(throws: LMDBError(code: .keyExist, operation: "mdb_put")) {
                try env.write { txn throws in
                    try txn.put(db, bytes("first"), [1])
                    try txn.put(db, bytes("first"), [2], flags: .noOverwrite)
                }
            }
            #expect(try committedValue(env, db, bytes("first")) == nil)
        }
    }

    @Test("an error of another type thrown before commit aborts the transaction")
    func explicitTransactionOtherError() throws {
        try withEnvironment { env in
            let db = try env.openDatabase()
            func failingUpdate() throws {
                var txn = try env.beginWrite()
                try txn.put(db, bytes("x"), [1])
                throw BodyFailed()
            }
            #expect(throws: BodyFailed.self) { try failingUpdate() }
            #expect(try committedValue(env, db, bytes("x")) == nil)
        }
    }

    @Test("a read transaction keeps its snapshot while another thread commits")
    func snapshotIsolation() throws {
        try withEnvironment { env in
            let db = try env.openDatabase()
            try env.write { txn in try txn.put(db, bytes("k"), bytes("v1")) }

            let reader = try env.beginRead()
            let snapshotID = reader.id
            #expect(try reader.get(db, bytes("k")) == bytes("v1"))

            let written: Bool = onNewThread {
                do {
                    try env.write { txn throws in
                        try txn.put(db, bytes("k"), bytes("v2"))
                        try txn.put(db, bytes("new"), [1])
                    }
                    return true
                } catch {
                    return false
                }
            }
            #expect(written)

            // Same snapshot: neither the update nor the insert is visible.
            #expect(try reader.get(db, bytes("k")) == bytes("v1"))
            #expect(try reader.get(db, bytes("new")) == nil)
            #expect(reader.id == snapshotID)
            reader.abort()

            // A new reader sees the commit.
            try env.read { txn throws in
                #expect(try txn.get(db, bytes("k")) == bytes("v2"))
                #expect(txn.id > snapshotID)
            }
        }
    }

    @Test("readers on other threads see the last commit while a write is open")
    func concurrentReadersDuringWrite() throws {
        try withEnvironment { env in
            let db = try env.openDatabase()
            try env.write { txn in try txn.put(db, bytes("k"), bytes("before")) }

            var writer = try env.beginWrite()
            try writer.put(db, bytes("k"), bytes("during"))
            try writer.put(db, bytes("uncommitted"), [1])

            let during = onNewThreads(4) { _ -> [[UInt8]?] in
                (try? env.read { txn throws in [try txn.get(db, bytes("k")), try txn.get(db, bytes("uncommitted"))] })
                    ?? [bytes("error")]
            }
            for seen in during { #expect(seen == [bytes("before"), nil]) }

            try writer.commit()

            let after = onNewThreads(4) { _ -> [UInt8]? in
                (try? env.read { txn throws in try txn.get(db, bytes("k")) }) ?? bytes("error")
            }
            for seen in after { #expect(seen == bytes("during")) }
        }
    }

    @Test("read transactions can nest inside a write on the same thread (MDB_NOTLS)")
    func readInsideWrite() throws {
        try withEnvironment { env in
            let db = try env.openDatabase()
            try env.write { txn in try txn.put(db, bytes("k"), bytes("old")) }
            var writer = try env.beginWrite()
            try writer.put(db, bytes("k"), bytes("new"))
            let first = try env.beginRead()
            let second = try env.beginRead()
            #expect(try first.get(db, bytes("k")) == bytes("old"))
            #expect(try second.get(db, bytes("k")) == bytes("old"))
            #expect(try writer.get(db, bytes("k")) == bytes("new"))
            first.abort()
            try second.commit()
            try writer.commit()
        }
    }

    @Test("a second write transaction on the same thread fails with EDEADLK instead of hanging")
    func nestedWriteRefused() throws {
        try withEnvironment { env in
            let db = try env.openDatabase()
            var outer = try env.beginWrite()
            try outer.put(db, bytes("k"), [1])
            #expect(throws: LMDBError(code: .errno(EDEADLK), operation: "mdb_txn_begin")) {
                _ = try env.beginWrite()
            }
            #expect(throws: LMDBError(code: .errno(EDEADLK), operation: "mdb_txn_begin")) {
                try env.openDatabase("other")
            }
            try outer.commit()
            #expect(try committedValue(env, db, bytes("k")) == [1])
        }
    }

    @Test("a write on another thread waits for the current writer, then commits")
    func writersSerialise() throws {
        try withEnvironment { env in
            let db = try env.openDatabase()
            let results = onNewThreads(4) { index -> Bool in
                do {
                    try env.write { txn throws in
                        let current = try txn.get(db, bytes("counter")).map { Int($0[0]) } ?? 0
                        try txn.put(db, bytes("counter"), [UInt8(current + 1)])
                        try txn.put(db, key(index), [UInt8(index)])
                    }
                    return true
                } catch {
                    return false
                }
            }
            #expect(results == [true, true, true, true])
            #expect(try committedValue(env, db, bytes("counter")) == [4])
        }
    }
}
