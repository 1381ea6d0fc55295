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

    /// Runs `body` on a new thread (`pthread_create`); `join` waits for it (`pthread_join`). Nil when
    /// the thread cannot be created: the caller then runs `body` itself.
    static func startThread(_ body: @escaping @Sendable () -> Void) -> HelperThread? {
        let context = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { context in
            #if os(Linux)
            guard let context else { return nil }
            #endif
            Unmanaged<ThreadBody>.fromOpaque(context).takeRetainedValue().body()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<ThreadBody>.fromOpaque(context).release()
            return nil
        }
        return HelperThread(thread: thread)
    }

    /// A started thread, to be joined exactly once.
    struct HelperThread: ~Copyable {
        let thread: pthread_t

        /// Waits for the thread to finish (`pthread_join`).
        consuming func join() {
            _ = pthread_join(thread, nil)
        }
    }

    final class ThreadBody {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}
