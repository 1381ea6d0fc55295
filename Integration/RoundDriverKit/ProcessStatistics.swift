import Foundation

/// CPU time and memory of a process, from `/proc/<pid>/stat` (utime, stime) and
/// `/proc/<pid>/status` (VmRSS, VmHWM). Linux only; nil fields where /proc is unavailable.
public struct ProcessStatistics: Sendable, Equatable {
    /// User plus system CPU time in milliseconds.
    public var cpuMillis: UInt64
    /// Resident set size in KiB.
    public var residentKiB: UInt64
    /// Peak resident set size in KiB.
    public var peakResidentKiB: UInt64

    public init(cpuMillis: UInt64, residentKiB: UInt64, peakResidentKiB: UInt64) {
        self.cpuMillis = cpuMillis
        self.residentKiB = residentKiB
        self.peakResidentKiB = peakResidentKiB
    }

    /// The statistics of `pid`, nil when its /proc files cannot be read or parsed.
    public static func read(pid: Int32) -> ProcessStatistics? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let ticks = cpuTicks(statLine: stat) else { return nil }
        let hertz = UInt64(max(sysconf(Int32(_SC_CLK_TCK)), 1))
        return ProcessStatistics(cpuMillis: ticks * 1000 / hertz, residentKiB: statusField("VmRSS", in: status) ?? 0,
                                 peakResidentKiB: statusField("VmHWM", in: status) ?? 0)
    }

    /// utime + stime (fields 14 and 15) of a `/proc/<pid>/stat` line, in clock ticks. The command
    /// name (field 2) is in parentheses and may contain spaces, so fields are counted after the last `)`.
    public static func cpuTicks(statLine: String) -> UInt64? {
        guard let close = statLine.lastIndex(of: ")") else { return nil }
        let fields = statLine[statLine.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        // After ")": field 3 (state) is at index 0, so field n is at index n - 3.
        guard fields.count > 12, let user = UInt64(fields[11]), let system = UInt64(fields[12]) else { return nil }
        return user + system
    }

    /// The KiB value of a `Name:   123 kB` line of `/proc/<pid>/status`.
    public static func statusField(_ name: String, in status: String) -> UInt64? {
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            let parts = line.dropFirst(name.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" })
            return parts.first.flatMap { UInt64($0) }
        }
        return nil
    }
}
