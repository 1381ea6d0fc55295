import Foundation
import LMDB
import Testing

@Suite("LMDB environment")
struct EnvironmentTests {
    @Test("info, stat, used bytes and size on disk track the data")
    func infoAndStat() throws {
        try withEnvironment(mapSize: 32 << 20) { env in
            let before = try env.info()
            #expect(before.mapSize == 32 << 20)
            #expect(before.maxReaders == 126)
            let db = try env.openDatabase()
            try env.write { txn throws in
                for n in 0..<2000 { try txn.put(db, key(n), [UInt8](repeating: 7, count: 100)) }
            }
            let after = try env.info()
            #expect(after.lastTransactionID > before.lastTransactionID)
            #expect(after.lastPageNumber > before.lastPageNumber)
            let stat = try env.stat()
            #expect(stat.entries == 2000)
            #expect(stat.pageSize >= 4096)
            #expect(stat.depth >= 2)
            #expect(stat.leafPages > 0)
            #expect(try env.usedBytes() == (after.lastPageNumber + 1) * stat.pageSize)
            #expect(try env.sizeOnDisk() >= env.usedBytes())
            try env.read { txn throws in
                #expect(try txn.stat(db) == stat)
                #expect(try env.info().readersUsed >= 1)
            }
            try env.sync(force: true)
            #expect(try env.clearStaleReaders() == 0)
        }
    }

    @Test("noSubdir keeps the data in one file")
    func noSubdir() throws {
        try withTemporaryDirectory { path in
            let file = path + "/single.mdb"
            do {
                let env = try Environment(path: file, flags: [.noSubdir, .noSync, .noMetaSync])
                let db = try env.openDatabase()
                try env.write { txn in try txn.put(db, bytes("k"), bytes("v")) }
                try env.sync(force: true)
            }
            #expect(FileManager.default.fileExists(atPath: file))
            #expect(FileManager.default.fileExists(atPath: file + "-lock"))
            let env = try Environment(path: file, flags: [.noSubdir, .readOnly])
            #expect(try committedValue(env, try env.openDatabase(create: false), bytes("k")) == bytes("v"))
        }
    }

    @Test("copy makes a consistent, openable snapshot")
    func copySnapshot() throws {
        try withTemporaryDirectory { backup in
            try withEnvironment { env in
                let db = try env.openDatabase("d")
                try env.write { txn in for n in 0..<100 { try txn.put(db, key(n), [UInt8(n)]) } }
                try env.copy(to: backup, compact: true)
                try env.write { txn in try txn.put(db, key(1000), [1]) }
            }
            let copy = try Environment(path: backup, flags: .readOnly)
            let db = try copy.openDatabase("d", create: false)
            try copy.read { txn throws in
                #expect(try txn.stat(db).entries == 100)
                #expect(try txn.get(db, key(1000)) == nil)
            }
        }
    }

    @Test("new files get the requested permissions")
    func fileMode() throws {
        try withTemporaryDirectory { path in
            let env = try Environment(path: path, mode: 0o600)
            _ = try env.openDatabase()
            let attributes = try FileManager.default.attributesOfItem(atPath: path + "/data.mdb")
            let permissions = try #require(attributes[.posixPermissions] as? NSNumber)
            #expect(permissions.intValue & 0o077 == 0)
        }
    }

    @Test("the library version is reported")
    func version() {
        #expect(Environment.libraryVersion.hasPrefix("LMDB 0.9"))
    }
}
