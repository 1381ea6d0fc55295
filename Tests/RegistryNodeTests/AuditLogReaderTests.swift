import Foundation
import Logging
import TestSupport
import Testing
@testable import RegistryNode

/// AuditLogReader and AuditLogFollower: the last records across rotated files, partial and malformed
/// lines, filters, and following across rotation and truncation.
@Suite struct AuditLogReaderTests {
    /// A record line numbered `index` (detail `r<index>`) at second `index` of 2025-01-01.
    static func line(_ index: Int, kind: AuditKind = .malformedRequest) -> String {
        let second = index % 60, minute = index / 60
        let time = "2025-01-01T00:\(minute < 10 ? "0" : "")\(minute):\(second < 10 ? "0" : "")\(second).000Z"
        return String(decoding: AuditLog.line(time: time, kind: kind, endpoint: "consensus", client: "c", detail: "r\(index)"),
                      as: UTF8.self)
    }

    static func write(_ path: String, _ text: String) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }

    static func append(_ path: String, _ text: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try handle.close()
    }

    static func details(_ result: AuditReadResult) -> [String] { result.records.map(\.detail) }

    /// audit.log.2 holds r1–r3, .1 r4–r6, audit.log r7–r9.
    static func rotatedLog(_ directory: TemporaryDirectory) -> String {
        let path = directory.file("audit.log")
        write(path + ".2", (1...3).map { line($0) }.joined())
        write(path + ".1", (4...6).map { line($0) }.joined())
        write(path, (7...9).map { line($0) }.joined())
        return path
    }

    @Test func lastRecordsAcrossRotatedFilesInOrder() throws {
        let directory = TemporaryDirectory(prefix: "audit-reader")
        let path = Self.rotatedLog(directory)
        let reader = AuditLogReader(path: path)
        #expect(reader.files() == [path + ".2", path + ".1", path])
        #expect(Self.details(reader.last(2)) == ["r8", "r9"])
        #expect(Self.details(reader.last(5)) == ["r5", "r6", "r7", "r8", "r9"])
        #expect(Self.details(reader.last(100)) == (1...9).map { "r\($0)" })
        #expect(reader.last(0).records.isEmpty)
        let all = reader.last(100)
        #expect(all.problems.isEmpty)
        let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber).intValue
        #expect(all.resume?.offset == size)
        #expect(all.records.first?.line == Self.line(1).dropLast().description)
        #expect(all.records.first?.auditKind == .malformedRequest)
    }

    @Test func readsBackwardsAcrossManyChunks() throws {
        let directory = TemporaryDirectory(prefix: "audit-reader")
        let path = directory.file("audit.log")
        // About 300 KiB: several 64 KiB steps, lines straddling chunk borders.
        Self.write(path, (1...3_000).map { Self.line($0) }.joined())
        let reader = AuditLogReader(path: path)
        #expect(Self.details(reader.last(3)) == ["r2998", "r2999", "r3000"])
        let all = reader.last(10_000)
        #expect(Self.details(all) == (1...3_000).map { "r\($0)" })
        #expect(all.problems.isEmpty)
    }

    @Test func partialLastLineWaitsForItsNewline() throws {
        let directory = TemporaryDirectory(prefix: "audit-reader")
        let path = directory.file("audit.log")
        let partial = String(Self.line(3).prefix(30))
        Self.write(path, Self.line(1) + Self.line(2) + partial)
        let reader = AuditLogReader(path: path)
        let result = reader.last(10)
        #expect(Self.details(result) == ["r1", "r2"])
        #expect(result.problems.isEmpty)
        #expect(result.resume?.offset == (Self.line(1) + Self.line(2)).utf8.count)

        var follower = AuditLogFollower(reader: reader, from: result.resume)
        #expect(follower.poll().records.isEmpty)
        try Self.append(path, String(Self.line(3).dropFirst(30)) + String(Self.line(4).prefix(10)))
        let next = follower.poll()
        #expect(Self.details(next) == ["r3"])
        #expect(next.problems.isEmpty)
        try Self.append(path, String(Self.line(4).dropFirst(10)))
        #expect(Self.details(follower.poll()) == ["r4"])
    }

    @Test func malformedLinesAreReportedWithFileAndLineAndSkipped() throws {
        let directory = TemporaryDirectory(prefix: "audit-reader")
        let path = directory.file("audit.log")
        Self.write(path + ".1", Self.line(1) + "{\"time\":\"2025-01-01T00:00:02.000Z\",\"kind\":\"x\"")  // rotated, unterminated
        Self.write(path, Self.line(3) + "not json\n" + Self.line(4)
            + "{\"time\":\"yesterday\",\"kind\":\"rateLimited\",\"endpoint\":\"q\",\"client\":\"c\",\"detail\":\"d\"}\n"
            + "{\"time\":\"2025-01-01T00:00:05.000Z\",\"kind\":\"rateLimited\",\"endpoint\":\"q\",\"client\":\"c\"}\n"
            + "\n" + Self.line(6))
        let result = AuditLogReader(path: path).last(100)
        #expect(Self.details(result) == ["r1", "r3", "r4", "r6"])
        #expect(result.problems.map(\.description) == [
            "\(path).1:2: incomplete last line (45 bytes, no newline)",
            "\(path):2: not a JSON object",
            "\(path):4: field \"time\" is not an RFC 3339 time: yesterday",
            "\(path):5: missing field \"detail\"",
            "\(path):6: empty line",
        ])
    }

    @Test func kindAndSinceFiltersApplyBeforeCounting() throws {
        let directory = TemporaryDirectory(prefix: "audit-reader")
        let path = directory.file("audit.log")
        let kinds: [AuditKind] = [.authenticationFailed, .rateLimited, .malformedRequest]
        Self.write(path, (1...30).map { Self.line($0, kind: kinds[$0 % 3]) }.joined())
        let reader = AuditLogReader(path: path)
        let rateLimited = reader.last(3, matching: AuditFilter(kinds: [.rateLimited]))
        #expect(Self.details(rateLimited) == ["r22", "r25", "r28"])
        let two = reader.last(4, matching: AuditFilter(kinds: [.rateLimited, .authenticationFailed]))
        #expect(Self.details(two) == ["r25", "r27", "r28", "r30"])
        let since = try #require(AuditTime.millis("2025-01-01T00:00:26Z"))
        #expect(Self.details(reader.last(100, matching: AuditFilter(sinceMillis: since))) == ["r26", "r27", "r28", "r29", "r30"])
        let both = AuditFilter(kinds: [.malformedRequest], sinceMillis: since)
        #expect(Self.details(reader.last(100, matching: both)) == ["r26", "r29"])
        #expect(both.accepts(try AuditRecord(line: String(Self.line(29, kind: .malformedRequest).dropLast()))))
        #expect(!both.accepts(try AuditRecord(line: String(Self.line(28, kind: .rateLimited).dropLast()))))
        #expect(!both.accepts(try AuditRecord(line: String(Self.line(25, kind: .malformedRequest).dropLast()))))
    }

    @Test func followSurvivesRotationsBetweenPolls() throws {
        let directory = TemporaryDirectory(prefix: "audit-reader")
        let path = directory.file("audit.log")
        let log = try AuditLog(path: path, maxBytes: 4096, maxFiles: 5, logger: Logger(label: "audit-test"))
        let detail = String(repeating: "x", count: 300)
        log.record(.rateLimited, endpoint: "query", client: "c", detail: "first")
        let reader = AuditLogReader(path: path)
        let start = reader.last(10)
        #expect(Self.details(start) == ["first"])
        var follower = AuditLogFollower(reader: reader, from: start.resume)
        var seen: [String] = []
        var next = 0
        // Bursts of 5, 30 and 12 records: the 30 rotate the file twice between two polls.
        for burst in [5, 30, 12] {
            for _ in 0..<burst {
                log.record(.malformedRequest, endpoint: "consensus", client: "c", detail: "\(next) \(detail)")
                next += 1
            }
            let polled = follower.poll()
            #expect(polled.problems.isEmpty)
            seen += polled.records.map { String($0.detail.prefix { $0 != " " }) }
        }
        #expect(FileManager.default.fileExists(atPath: path + ".3"))
        #expect(seen == (0..<next).map(String.init))
        #expect(follower.poll().records.isEmpty)
    }

    @Test func followRereadsATruncatedFileAndWaitsForAMissingOne() throws {
        let directory = TemporaryDirectory(prefix: "audit-reader")
        let path = directory.file("audit.log")
        let reader = AuditLogReader(path: path)
        let empty = reader.last(10)
        #expect(empty.records.isEmpty && empty.resume == nil)
        var follower = AuditLogFollower(reader: reader, from: empty.resume)
        #expect(follower.poll().records.isEmpty)
        Self.write(path, Self.line(1) + Self.line(2))
        #expect(Self.details(follower.poll()) == ["r1", "r2"])
        // Truncated in place and rewritten shorter: read again from the start, with a notice.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 0)
        handle.write(Data(Self.line(3).utf8))
        try handle.close()
        let after = follower.poll()
        #expect(Self.details(after) == ["r3"])
        #expect(after.problems.count == 1)
        #expect(after.problems.first?.reason.contains("truncated") == true)
    }

    @Test func iso8601Times() {
        #expect(AuditTime.millis("1970-01-01") == 0)
        #expect(AuditTime.millis("1970-01-01T00:00:01Z") == 1_000)
        #expect(AuditTime.millis("2025-01-01T00:00:00.000Z") == 1_735_689_600_000)
        #expect(AuditTime.millis("2025-01-01T00:00:00.5Z") == 1_735_689_600_500)
        #expect(AuditTime.millis("2025-01-01T00:00:00.123456Z") == 1_735_689_600_123)
        #expect(AuditTime.millis("2025-01-01T02:00:00+02:00") == 1_735_689_600_000)
        #expect(AuditTime.millis("2024-12-31T19:00-0500") == 1_735_689_600_000)
        #expect(AuditTime.millis("2025-01-01 00:00:00") == 1_735_689_600_000)
        #expect(AuditTime.millis("2024-02-29") == 1_709_164_800_000)
        for bad in ["", "2025", "2025-13-01", "2023-02-29", "2025-01-01T24:00Z", "2025-01-01T00:00:00.Z",
                    "2025-01-01T00:00:00Zjunk", "yesterday", "2025-01-01T00:00:00+2"] {
            #expect(AuditTime.millis(bad) == nil, "\(bad)")
        }
    }

    @Test func readableFormatStaysOnOneLine() throws {
        let text = String(decoding: AuditLog.line(time: "2025-01-01T00:00:00.000Z", kind: .unauthorized, endpoint: "query",
                                                  client: "token=abc", detail: "scope\nmissing\t\u{07}"), as: UTF8.self)
        let record = try AuditRecord(line: String(text.dropLast()))
        #expect(record.readable == "2025-01-01T00:00:00.000Z unauthorized query token=abc: scope\\nmissing\\t\\u{7}")
        #expect(record.auditKind == .unauthorized)
    }
}
