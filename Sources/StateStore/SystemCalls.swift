// The store's only calls into the C library outside LMDB: creating the data directory (`mkdir`) and
// reading the monotonic clock for commit profiles (`clock_gettime`).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum SystemCalls {
    /// Creates `path` and its missing parents with mode 0700 (`mkdir`, like `mkdir -p`). An existing
    /// directory is fine. Throws `createDirectory(path, errno)` naming the component that failed.
    static func createDirectories(_ path: String) throws(StateStoreError) {
        guard !path.isEmpty else { throw .createDirectory(path: path, errno: ENOENT) }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += component
            if mkdir(prefix, 0o700) != 0 {
                let code = errno
                // EEXIST: already there (a directory, or a file that mdb_env_open will then refuse).
                if code != EEXIST { throw .createDirectory(path: prefix, errno: code) }
            }
            prefix += "/"
        }
    }

    /// Monotonic nanoseconds (`clock_gettime(CLOCK_MONOTONIC)`): for durations only, never for state.
    static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}
