import LMDB
import Testing

@Suite("LMDB put, get, delete")
struct BasicOperationTests {
    @Test("put then get returns a copy; delete removes it")
    func putGetDelete() throws {
        try withEnvironment { env in
            let db = try env.openDatabase("models")
            try env.write { txn throws in
                try txn.put(db, bytes("alpha"), bytes("one"))
                try txn.put(db, bytes("beta"), [])
                // Reads inside the write transaction see its own writes.
                #expect(try txn.get(db, bytes("alpha")) == bytes("one"))
            }
            #expect(try committedValue(env, db, bytes("alpha")) == bytes("one"))
            #expect(try committedValue(env, db, bytes("beta")) == [])
            try env.write { txn throws in
                try txn.put(db, bytes("alpha"), bytes("replaced"))
                #expect(try txn.delete(db, bytes("beta")))
                #expect(try !txn.delete(db, bytes("beta")))
            }
            #expect(try committedValue(env, db, bytes("alpha")) == bytes("replaced"))
            #expect(try committedValue(env, db, bytes("beta")) == nil)
        }
    }

    @Test("get of a missing key is nil, not an error")
    func missingKeyIsNil() throws {
        try withEnvironment { env in
            let db = try env.openDatabase()
            try env.read { txn throws in
                #expect(try txn.get(db, bytes("absent")) == nil)
                #expect(try !txn.contains(db, bytes("absent")))
                #expect(try txn.withValue(db, bytes("absent")) { $0 == nil })
            }
        }
    }

    @Test("withValue reads the value in place")
    func zeroCopyRead() throws {
        try withEnvironment { env in
            let db = try env.openDatabase()
            let large = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try env.write { txn in try txn.put(db, bytes("k"), large) }
            try env.read { txn throws in
                let sum = try txn.withValue(db, bytes("k")) { buffer -> Int in
                    buffer.map { $0.reduce(0) { $0 + Int($1) } } ?? -1
                }
                #expect(sum == large.reduce(0) { $0 + Int($1) })
                #expect(try txn.contains(db, bytes("k")))
            }
        }
    }

    @Test("put with reserved space writes the value in place")
    func reservePut() throws {
        try withEnvironment { env in
            let db = try env.openDatabase()
            try env.write { txn throws in
                try txn.put(db, bytes("r"), reservingCount: 4) { buffer in
                    buffer.copyBytes(from: [1, 2, 3, 4])
                }
            }
            #expect(try committedValue(env, db, bytes("r")) == [1, 2, 3, 4])
        }
    }

    @Test("noOverwrite refuses an existing key with keyExist")
    func noOverwrite() throws {
        try withEnvironment { env in
            let db = try env.openDatabase()
            try env.write { txn in try txn.put(db, bytes("k"), bytes("v1")) }
            #expect(throws: LMDBError(code: .keyExist, operation: "mdb_put")) {
                try env.write { txn in try txn.put(db, bytes("k"), bytes("v2"), flags: .noOverwrite) }
            }
            #expect(try committedValue(env, db, bytes("k")) == bytes("v1"))
        }
    }

    @Test("empty and oversize keys fail with badValSize")
    func badKeySizes() throws {
        try withEnvironment { env in
            let db = try env.openDatabase()
            #expect(env.maxKeySize == 511)
            #expect(throws: LMDBError(code: .badValSize, operation: "mdb_put")) {
                try env.write { txn in try txn.put(db, [], bytes("v")) }
            }
            #expect(throws: LMDBError(code: .badValSize, operation: "mdb_put")) {
                try env.write { txn in try txn.put(db, [UInt8](repeating: 1, count: env.maxKeySize + 1), bytes("v")) }
            }
            try env.write { txn in try txn.put(db, [UInt8](repeating: 1, count: env.maxKeySize), bytes("v")) }
        }
    }

    @Test("named databases are separate; clear empties, drop deletes")
    func namedDatabases() throws {
        try withEnvironment { env in
            let a = try env.openDatabase("a")
            let b = try env.openDatabase("b")
            #expect(a.name == "a")
            try env.write { txn throws in
                try txn.put(a, bytes("k"), bytes("in a"))
                try txn.put(b, bytes("k"), bytes("in b"))
            }
            #expect(try committedValue(env, a, bytes("k")) == bytes("in a"))
            #expect(try committedValue(env, b, bytes("k")) == bytes("in b"))
            try env.write { txn in try txn.clear(a) }
            try env.read { txn throws in
                #expect(try txn.stat(a).entries == 0)
                #expect(try txn.stat(b).entries == 1)
            }
            try env.write { txn in try txn.drop(b) }
            #expect(throws: LMDBError(code: .notFound, operation: "mdb_dbi_open")) {
                try env.openDatabase("b", create: false)
            }
            // The existing one opens without create.
            _ = try env.openDatabase("a", create: false)
        }
    }

    @Test("too many named databases is dbsFull")
    func databasesFull() throws {
        try withEnvironment(maxDatabases: 1) { env in
            _ = try env.openDatabase("first")
            #expect(throws: LMDBError(code: .dbsFull, operation: "mdb_dbi_open")) {
                try env.openDatabase("second")
            }
        }
    }

    @Test("data survives closing and reopening the environment")
    func persistence() throws {
        try withTemporaryDirectory { path in
            do {
                let env = try Environment(path: path, maxDatabases: 2)
                let db = try env.openDatabase("state")
                try env.write { txn in try txn.put(db, key(7), bytes("seven")) }
            }
            let env = try Environment(path: path, maxDatabases: 2)
            let db = try env.openDatabase("state", create: false)
            #expect(try committedValue(env, db, key(7)) == bytes("seven"))
        }
    }

    @Test("generic code reads through either transaction kind")
    func readableTransactionProtocol() throws {
        func count<T: ReadableTransaction & ~Copyable>(_ txn: borrowing T, _ db: Database) throws(LMDBError) -> Int {
            try txn.stat(db).entries
        }
        try withEnvironment { env in
            let db = try env.openDatabase()
            try env.write { txn throws in
                try txn.put(db, key(1), [1])
                #expect(try count(txn, db) == 1)
            }
            try env.read { txn throws in #expect(try count(txn, db) == 1) }
        }
    }
}
