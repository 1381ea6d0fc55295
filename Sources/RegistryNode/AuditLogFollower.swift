/// Follows the audit log as it grows (`ai-registry audit tail --follow`): each `poll` returns the
/// records completed since the last one. Survives rotation: the follower remembers its file by
/// identity (device, inode) and offset, so when `path` is a new file it finishes the old one (now
/// `path.k`), reads any rotated files newer than it, then continues with the new `path` from its start.
/// A file that shrinks (truncated in place) is read again from its start. A partial last line waits
/// until its newline is written. Not thread-safe: one thread polls.
public struct AuditLogFollower {
    /// The log being followed.
    public let reader: AuditLogReader
    /// Which records are returned.
    public let filter: AuditFilter
    /// The file and offset read up to (nil: no file yet; the next file is read from its start).
    public private(set) var position: AuditFollowPosition?

    /// A follower continuing at `position` (from `AuditLogReader.last(_:matching:).resume`), or at the
    /// start of the first file that appears.
    public init(reader: AuditLogReader, filter: AuditFilter = .all, from position: AuditFollowPosition?) {
        self.reader = reader
        self.filter = filter
        self.position = position
    }

    /// The records (oldest first) and problems found since the last poll.
    public mutating func poll() -> AuditReadResult {
        var result = AuditReadResult()
        guard let current = AuditFile(path: reader.path) else {
            // Between the writer's rename and its reopening, or no log yet: finish a rotated file.
            if let position, let (index, file) = rotatedFile(position.identity) {
                readToEnd(file, from: position.offset, isFinal: true, into: &result)
                readNewer(than: index, into: &result)
                self.position = nil
            }
            return result
        }
        if let position, position.identity == current.identity {
            var offset = position.offset
            if current.size < offset {
                result.problems.append(AuditLineProblem(file: current.path, line: 0, reason: "file shrank (truncated); reading from its start"))
                offset = 0
            }
            self.position = AuditFollowPosition(identity: current.identity, offset: readToEnd(current, from: offset, isFinal: false, into: &result))
            return result
        }
        if let position {
            if let (index, file) = rotatedFile(position.identity) {
                readToEnd(file, from: position.offset, isFinal: true, into: &result)
                readNewer(than: index, into: &result)
            } else {
                result.problems.append(AuditLineProblem(
                    file: reader.path, line: 0, reason: "the file being followed is gone (rotated past the last kept file?); records may have been missed"))
            }
        }
        self.position = AuditFollowPosition(identity: current.identity, offset: readToEnd(current, from: 0, isFinal: false, into: &result))
        return result
    }

    /// The rotated file (`path.k`) that is the file with `identity`, if any.
    private func rotatedFile(_ identity: AuditFileIdentity) -> (Int, AuditFile)? {
        var index = 1
        while index <= reader.maxRotatedFiles, let found = AuditFile.identity(of: reader.file(index)) {
            if found == identity, let file = AuditFile(path: reader.file(index)), file.identity == identity { return (index, file) }
            index += 1
        }
        return nil
    }

    /// Reads the rotated files newer than `path.index` whole (`path.(index-1)` … `path.1`).
    private func readNewer(than index: Int, into result: inout AuditReadResult) {
        for newer in stride(from: index - 1, through: 1, by: -1) {
            if let file = AuditFile(path: reader.file(newer)) { readToEnd(file, from: 0, isFinal: true, into: &result) }
        }
    }

    /// Reads the complete lines of `file` from `offset`; returns the offset after the last complete
    /// line. With `isFinal` (a rotated file) an unterminated tail is reported as a problem.
    @discardableResult
    private func readToEnd(_ file: AuditFile, from offset: Int, isFinal: Bool, into result: inout AuditReadResult) -> Int {
        var position = offset
        var pending: [UInt8] = []
        var bad: [(offset: Int, reason: String)] = []
        while true {
            let block = file.read(at: position + pending.count, count: AuditLogReader.chunkBytes)
            if block.isEmpty { break }
            pending += block
            var lineStart = 0
            while let newline = pending[lineStart...].firstIndex(of: UInt8(ascii: "\n")) {
                switch AuditLogReader.parse(pending[lineStart..<newline]) {
                case .success(let record): if filter.accepts(record) { result.records.append(record) }
                case .failure(let error): bad.append((position + lineStart, error.reason))
                }
                lineStart = newline + 1
            }
            pending.removeSubrange(0..<lineStart)
            position += lineStart
        }
        if isFinal, !pending.isEmpty {
            bad.append((position, "incomplete last line (\(pending.count) bytes, no newline)"))
        }
        let lines = AuditLogReader.lineNumbers(file, offsets: bad.map(\.offset))
        result.problems += zip(bad, lines).map { AuditLineProblem(file: file.path, line: $1, reason: $0.reason) }
        return position
    }
}
