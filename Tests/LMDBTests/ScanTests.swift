import LMDB
import Testing

@Suite("LMDB cursors and range scans")
struct ScanTests {
    /// Keys 0, 2, 4, ..., 98 (big-endian), each with value [n].
    static let stored = Array(stride(from: 0, to: 100, by: 2))

    func withNumbers<R>(_ body: (Environment, Database) throws -> R) throws -> R {
        try withEnvironment { env in
            let db = try env.openDatabase("numbers")
            try env.write { txn throws in
                for n in Self.stored { try txn.put(db, key(n), [UInt8(n)]) }
            }
            return try body(env, db)
        }
    }

    /// The reference answer: the stored numbers in [start, end), in order, limited.
    func expected(from start: Int?, to end: Int?, reverse: Bool, limit: Int?) -> [Int] {
        var result = Self.stored.filter { n in (start.map { n >= $0 } ?? true) && (end.map { n < $0 } ?? true) }
        if reverse { result.reverse() }
        if let limit { result = Array(result.prefix(max(0, limit))) }
        return result
    }

    func numbers(_ entries: [Entry]) -> [Int] {
        entries.map { Int($0.value[0]) }
    }

    @Test("forward and reverse scans honour bounds and limits",
          arguments: [
            (nil, nil), (0, 100), (10, 20), (11, 21), (9, 10), (10, 11), (97, nil), (nil, 1), (50, 50), (60, 40),
            (200, nil), (nil, 0),
          ] as [(Int?, Int?)])
    func boundedScans(start: Int?, end: Int?) throws {
        try withNumbers { env, db in
            try env.read { txn throws in
                for reverse in [false, true] {
                    for limit in [nil, 0, 1, 3, 1000] as [Int?] {
                        let entries = try txn.scan(
                            db, from: start.map(key), to: end.map(key), reverse: reverse, limit: limit)
                        #expect(numbers(entries) == expected(from: start, to: end, reverse: reverse, limit: limit),
                                "from \(String(describing: start)) to \(String(describing: end)) reverse \(reverse) limit \(String(describing: limit))")
                        for entry in entries { #expect(entry.key == key(Int(entry.value[0]))) }
                    }
                }
            }
        }
    }

    @Test("the visiting scan stops early and reports what it visited")
    func earlyStop() throws {
        try withNumbers { env, db in
            try env.read { txn throws in
                var seen: [Int] = []
                let visited = try txn.scan(db, from: key(10)) { key, value in
                    seen.append(Int(value[0]))
                    return seen.count == 3 ? .stop : .continue
                }
                #expect(visited == 3)
                #expect(seen == [10, 12, 14])

                var reversed: [Int] = []
                try txn.scan(db, to: key(10), reverse: true) { _, value in
                    reversed.append(Int(value[0]))
                    return .continue
                }
                #expect(reversed == [8, 6, 4, 2, 0])
            }
        }
    }

    @Test("prefix scans return exactly the keys with the prefix")
    func prefixScan() throws {
        try withEnvironment { env in
            let db = try env.openDatabase()
            let keys: [[UInt8]] = [
                [0x01], [0x01, 0x00], [0x01, 0xFF], [0x01, 0xFF, 0xFF], [0x02], [0x02, 0x00],
                [0xFF], [0xFF, 0x01], [0xFF, 0xFF], [0x00, 0xFF],
            ]
            try env.write { txn in for k in keys { try txn.put(db, k, k) } }
            try env.read { txn throws in
                let sortedKeys = keys.sorted { $0.lexicographicallyPrecedes($1) }
                for prefix in [[], [0x01], [0x01, 0xFF], [0x02], [0xFF], [0xFF, 0xFF], [0x03], [0x00]] as [[UInt8]] {
                    let want = sortedKeys.filter { $0.starts(with: prefix) }
                    #expect(try txn.scan(db, prefix: prefix).map(\.key) == want)
                    #expect(try txn.scan(db, prefix: prefix, reverse: true).map(\.key) == want.reversed())
                    #expect(try txn.scan(db, prefix: prefix, limit: 1).map(\.key) == Array(want.prefix(1)))
                }
            }
        }
    }

    @Test("prefix upper bounds")
    func prefixUpperBound() {
        #expect(KeyRange.upperBound(forPrefix: []) == nil)
        #expect(KeyRange.upperBound(forPrefix: [0x01]) == [0x02])
        #expect(KeyRange.upperBound(forPrefix: [0x01, 0xFF]) == [0x02])
        #expect(KeyRange.upperBound(forPrefix: [0xFF, 0xFF]) == nil)
        #expect(KeyRange.upperBound(forPrefix: [0x00, 0x7F]) == [0x00, 0x80])
    }

    @Test("cursor first, last, seek, next, prev, find")
    func cursorMoves() throws {
        try withNumbers { env, db in
            try env.read { txn throws in
                try txn.withCursor(db) { cursor throws in
                    #expect(try cursor.first()?.key == key(0))
                    #expect(try cursor.next()?.key == key(2))
                    #expect(try cursor.prev()?.key == key(0))
                    #expect(try cursor.prev() == nil)
                    #expect(try cursor.last()?.key == key(98))
                    #expect(try cursor.next() == nil)
                    #expect(try cursor.seek(key(31))?.key == key(32))
                    #expect(try cursor.current()?.value == [32])
                    #expect(try cursor.seek(key(32))?.key == key(32))
                    #expect(try cursor.seek(key(99)) == nil)
                    #expect(try cursor.find(key(31)) == nil)
                    #expect(try cursor.find(key(40))?.value == [40])
                    #expect(try cursor.seekBefore(key(40))?.key == key(38))
                    #expect(try cursor.seekBefore(key(1000))?.key == key(98))
                    #expect(try cursor.seekBefore(key(0)) == nil)
                    _ = try cursor.seek(key(50))
                    let inPlace = try cursor.withCurrent { k, v in k.count + Int(v[0]) }
                    #expect(inPlace == 4 + 50)
                }
            }
        }
    }

    @Test("a cursor deletes in a write transaction")
    func cursorDelete() throws {
        try withNumbers { env, db in
            try env.write { txn throws in
                try txn.withCursor(db) { cursor throws in
                    var entry = try cursor.seek(key(10))
                    while let current = entry, current.key.lexicographicallyPrecedes(key(20)) {
                        try cursor.deleteCurrent()
                        entry = try cursor.current()
                    }
                }
            }
            try env.read { txn throws in
                #expect(try txn.scan(db, from: key(8), to: key(24)).map { Int($0.value[0]) } == [8, 20, 22])
                #expect(try txn.stat(db).entries == Self.stored.count - 5)
            }
        }
    }

    @Test("a cursor cannot delete in a read transaction")
    func cursorDeleteReadOnly() throws {
        try withNumbers { env, db in
            try env.read { txn throws in
                try txn.withCursor(db) { cursor throws in
                    _ = try cursor.first()
                    #expect(throws: LMDBError(code: .errno(13), operation: "mdb_cursor_del")) {
                        try cursor.deleteCurrent()
                    }
                }
            }
        }
    }

    @Test("append mode loads sorted keys and refuses an out-of-order one")
    func appendMode() throws {
        try withEnvironment { env in
            let db = try env.openDatabase("log")
            try env.write { txn throws in
                for n in 0..<1000 { try txn.put(db, key(n), [UInt8(truncatingIfNeeded: n)], flags: .append) }
            }
            try env.read { txn throws in
                #expect(try txn.stat(db).entries == 1000)
                #expect(try txn.scan(db).map(\.key) == (0..<1000).map(key))
            }
            #expect(throws: LMDBError(code: .keyExist, operation: "mdb_put")) {
                try env.write { txn in try txn.put(db, key(500), [0], flags: .append) }
            }
            #expect(throws: LMDBError(code: .keyExist, operation: "mdb_put")) {
                try env.write { txn in try txn.put(db, key(999), [0], flags: .append) }
            }
            try env.write { txn in try txn.put(db, key(1000), [0], flags: .append) }
        }
    }

    @Test("appendDup adds sorted duplicates to a dupSort database")
    func appendDuplicates() throws {
        try withEnvironment { env in
            let db = try env.openDatabase("index", flags: .dupSort)
            try env.write { txn throws in
                for v in 0..<10 { try txn.put(db, bytes("owner"), key(v), flags: .appendDup) }
                try txn.put(db, bytes("other"), key(1))
            }
            #expect(throws: LMDBError(code: .keyExist, operation: "mdb_put")) {
                try env.write { txn in try txn.put(db, bytes("owner"), key(3), flags: .appendDup) }
            }
            try env.read { txn throws in
                let values = try txn.scan(db, prefix: bytes("owner")).map(\.value)
                #expect(values == (0..<10).map(key))
                #expect(try txn.stat(db).entries == 11)
            }
            try env.write { txn throws in
                #expect(try txn.delete(db, bytes("owner"), value: key(4)))
                #expect(try !txn.delete(db, bytes("owner"), value: key(4)))
            }
            try env.read { txn throws in
                #expect(try txn.scan(db, prefix: bytes("owner")).count == 9)
            }
        }
    }
}
