/// Reads back the audit log `AuditLog` writes: the current file `path` and its rotated predecessors
/// `path.1` (newest) … `path.N` (oldest). `last` reads backwards from the end of the newest file, so
/// printing the last records of a large log reads only its end. A partial last line of the current
/// file (the writer mid-append) is not a record yet; a line that is not a record is reported as an
/// `AuditLineProblem` (file and line number) and skipped.
public struct AuditLogReader: Sendable {
    /// The current file.
    public let path: String
    /// The most rotated files looked for (`AuditConfiguration` allows up to 100).
    public let maxRotatedFiles: Int

    /// Bytes read per step when reading backwards.
    static let chunkBytes = 64 << 10

    public init(path: String, maxRotatedFiles: Int = 100) {
        self.path = path
        self.maxRotatedFiles = max(0, maxRotatedFiles)
    }

    /// `path.index` (`index` 0 is `path` itself).
    public func file(_ index: Int) -> String { index == 0 ? path : "\(path).\(index)" }

    /// The existing files, oldest first: `path.k` … `path.1`, `path` (rotated files counted while
    /// they exist without a gap).
    public func files() -> [String] {
        var rotated: [String] = []
        var index = 1
        while index <= maxRotatedFiles, AuditFile.exists(file(index)) {
            rotated.append(file(index))
            index += 1
        }
        return rotated.reversed() + (AuditFile.exists(path) ? [path] : [])
    }

    /// The last `count` records that pass `filter`, oldest first, across the current and rotated
    /// files; lines that are not records are returned as problems (oldest first). The result's
    /// `resume` is where a follower continues (the end of the last complete line of the current file).
    public func last(_ count: Int, matching filter: AuditFilter = .all) -> AuditReadResult {
        var result = AuditReadResult()
        let current = AuditFile(path: path)
        if let current {
            let size = current.size
            result.resume = AuditFollowPosition(identity: current.identity, offset: size)
        }
        guard count > 0 else {
            if let current, let resume = result.resume {
                result.resume?.offset = resume.offset - Self.partialLength(current, end: resume.offset)
            }
            return result
        }
        var newestFirst: [AuditRecord] = []
        var problems: [AuditLineProblem] = []
        var index = 0
        while index <= maxRotatedFiles, newestFirst.count < count {
            let file: AuditFile?
            if index == 0 { file = current } else { file = AuditFile(path: self.file(index)) }
            if let file {
                let end = index == 0 ? (result.resume?.offset ?? 0) : file.size
                let scan = Self.readBackwards(file, end: end, isCurrent: index == 0, filter: filter,
                                              want: count - newestFirst.count)
                newestFirst += scan.records
                problems += scan.problems
                if index == 0, let resume = result.resume { result.resume?.offset = resume.offset - scan.partialLength }
            } else if index > 0 {
                break
            }
            index += 1
        }
        result.records = newestFirst.reversed()
        result.problems = problems.reversed()
        return result
    }

    /// One file read backwards from `end`: records (newest first), problems (newest first, with line
    /// numbers), and the length of the partial line after the last newline.
    static func readBackwards(_ file: AuditFile, end: Int, isCurrent: Bool, filter: AuditFilter, want: Int)
        -> (records: [AuditRecord], problems: [AuditLineProblem], partialLength: Int)
    {
        var records: [AuditRecord] = []
        var bad: [(offset: Int, reason: String)] = []
        var partial = 0
        var sawNewline = false
        var carry: [UInt8] = []
        var position = end
        var done = false
        func take(_ line: ArraySlice<UInt8>, at offset: Int) {
            switch parse(line) {
            case .success(let record):
                if filter.accepts(record) {
                    records.append(record)
                    if records.count >= want { done = true }
                }
            case .failure(let error): bad.append((offset, error.reason))
            }
        }
        while position > 0, !done {
            let start = max(0, position - chunkBytes)
            var block = file.read(at: start, count: position - start)
            if block.count < position - start {
                // The file shrank under us (truncated): what is left is read next time.
                bad.append((start, "file changed while reading (truncated?)"))
                break
            }
            block += carry
            var lineEnd = block.count
            var cursor = block.count - 1
            while cursor >= 0, !done {
                if block[cursor] == UInt8(ascii: "\n") {
                    if !sawNewline {
                        sawNewline = true
                        partial = lineEnd - (cursor + 1)
                    } else {
                        take(block[(cursor + 1)..<lineEnd], at: start + cursor + 1)
                    }
                    lineEnd = cursor
                }
                cursor -= 1
            }
            carry = Array(block[0..<lineEnd])
            position = start
        }
        if !done, position == 0 {
            if sawNewline {
                take(carry[...], at: 0)
            } else {
                partial = carry.count
            }
        }
        if partial > 0, !isCurrent {
            // Rotated files are never appended to again: an unterminated last line stays incomplete.
            bad.insert((end - partial, "incomplete last line (\(partial) bytes, no newline)"), at: 0)
        }
        let lines = lineNumbers(file, offsets: bad.map(\.offset))
        let problems = zip(bad, lines).map { AuditLineProblem(file: file.path, line: $1, reason: $0.reason) }
        return (records, problems, partial)
    }

    /// The length of the bytes after the last newline before `end`.
    static func partialLength(_ file: AuditFile, end: Int) -> Int {
        var position = end
        var length = 0
        while position > 0 {
            let start = max(0, position - chunkBytes)
            let block = file.read(at: start, count: position - start)
            if let newline = block.lastIndex(of: UInt8(ascii: "\n")) { return length + (block.count - newline - 1) }
            length += block.count
            position = start
        }
        return length
    }

    /// A line (without its newline) parsed as a record.
    static func parse(_ line: ArraySlice<UInt8>) -> Result<AuditRecord, AuditRecordError> {
        if line.isEmpty { return .failure(AuditRecordError(reason: "empty line")) }
        guard let text = String(validating: line, as: UTF8.self) else {
            return .failure(AuditRecordError(reason: "not valid UTF-8"))
        }
        do { return .success(try AuditRecord(line: text)) } catch { return .failure(error) }
    }

    /// The 1-based line numbers of the lines starting at `offsets` (counting newlines before each).
    static func lineNumbers(_ file: AuditFile, offsets: [Int]) -> [Int] {
        guard let highest = offsets.max() else { return [] }
        // Newline positions up to the highest offset, in one forward pass.
        var newlines: [Int] = []
        var position = 0
        while position < highest {
            let block = file.read(at: position, count: min(chunkBytes, highest - position))
            if block.isEmpty { break }
            for (index, byte) in block.enumerated() where byte == UInt8(ascii: "\n") { newlines.append(position + index) }
            position += block.count
        }
        return offsets.map { offset in
            // Lines before = newlines strictly below offset.
            var low = 0, high = newlines.count
            while low < high {
                let mid = (low + high) / 2
                if newlines[mid] < offset { low = mid + 1 } else { high = mid }
            }
            return low + 1
        }
    }
}

/// Records and problems read from the audit log.
public struct AuditReadResult: Sendable, Equatable {
    /// Records, oldest first.
    public var records: [AuditRecord] = []
    /// Lines that are not records, in file order.
    public var problems: [AuditLineProblem] = []
    /// Where a follower continues: the current file and the end of its last complete line (nil: no file).
    public var resume: AuditFollowPosition?

    public init() {}
}

/// A line of the audit log that is not a record.
public struct AuditLineProblem: Sendable, Equatable, CustomStringConvertible {
    /// The file.
    public var file: String
    /// The 1-based line number (0 when the problem concerns the file, not a line).
    public var line: Int
    /// What is wrong.
    public var reason: String

    public init(file: String, line: Int, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String { line > 0 ? "\(file):\(line): \(reason)" : "\(file): \(reason)" }
}

/// A place in the audit log: a file (by identity, whatever its name now) and a byte offset in it.
public struct AuditFollowPosition: Sendable, Equatable {
    public var identity: AuditFileIdentity
    public var offset: Int
}
