// `registry-testkit crash-writer`: the writer process of the state store's crash test
// (Tests/StateStoreTests/CrashTests.swift). It commits deterministic rounds (`StoreRounds`) forever and
// prints `committed <version> <root hex>` after each commit; the test kills it with SIGKILL at a
// random moment, reopens the store and replays the rounds to check it.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RegistryWorkload
import StateStore
import StateTree

enum CrashWriter {
    static let help = """
        usage: registry-testkit crash-writer --dir D [--start V] [--keys-per-round K] [--rounds N]
                                             [--sync full|noMetaSync|noSync]
          commits the rounds V, V+1, … (default: the store's latest version + 1, or 1) of StoreRounds with
          K keys each (default 100), printing `committed <version> <root hex>` after each commit; stops
          after N rounds if given, else runs until killed
        """

    static func run(_ arguments: [String]) -> Int32 {
        var directory: String?
        var start: UInt64?
        var keysPerRound = 100
        var rounds: UInt64?
        var configuration = StateStore.Configuration()
        var index = 0
        func value() -> String? {
            index += 1
            return index < arguments.count ? arguments[index] : nil
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--dir": directory = value()
            case "--start":
                guard let v = value().flatMap({ UInt64($0) }) else { return usage("--start needs a version") }
                start = v
            case "--keys-per-round":
                guard let v = value().flatMap({ Int($0) }), v >= 0 else { return usage("--keys-per-round needs a count") }
                keysPerRound = v
            case "--rounds":
                guard let v = value().flatMap({ UInt64($0) }) else { return usage("--rounds needs a count") }
                rounds = v
            case "--sync":
                guard let mode = value().flatMap(StateStore.Durability.init(rawValue:)) else {
                    return usage("--sync takes full, noMetaSync or noSync")
                }
                configuration.durability = mode
            case "--help", "-h":
                print(help)
                return 0
            default:
                return usage("unknown option \(arguments[index])")
            }
            index += 1
        }
        guard let directory else { return usage("--dir is required") }
        do {
            let store = try StateStore(directory: directory, configuration: configuration)
            var version = try start ?? store.latestVersion().map { $0 + 1 } ?? 1
            var done: UInt64 = 0
            while rounds.map({ done < $0 }) ?? true {
                let writes = StoreRounds.writes(round: version, keysPerRound: keysPerRound)
                let root = try store.commit(
                    version: version, writes: writes.map { StateStore.Write(key: $0.key, value: $0.value) },
                    roundRecord: StoreRounds.record(round: version))
                // Unbuffered: the line leaves the process as soon as the commit returned.
                writeLine(STDOUT_FILENO, "committed \(version) \(root.hex)")
                version += 1
                done += 1
            }
            return 0
        } catch {
            writeLine(STDERR_FILENO, "registry-testkit crash-writer: \(error)")
            return 1
        }
    }

    static func usage(_ message: String) -> Int32 {
        writeLine(STDERR_FILENO, "registry-testkit crash-writer: \(message)\n\(help)")
        return 2
    }

    /// Writes `text` and a newline to `fd` with `write(2)`, unbuffered.
    static func writeLine(_ fd: Int32, _ text: String) {
        let bytes = Array((text + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            offset += written
        }
    }
}
