import Foundation
import LMDB
import Testing

/// A fresh directory under /tmp, removed when `body` returns or throws.
@discardableResult
func withTemporaryDirectory<R>(_ body: (String) throws -> R) throws -> R {
    let path = "/tmp/lmdb-tests-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// An environment in a fresh temporary directory, closed before the directory is removed.
func withEnvironment<R>(
    mapSize: Int = 16 << 20, maxDatabases: Int = 8, flags: Environment.Flags = [],
    _ body: (Environment) throws -> R
) throws -> R {
    try withTemporaryDirectory { path in
        let env = try Environment(path: path, mapSize: mapSize, maxDatabases: maxDatabases, flags: flags)
        return try body(env)
    }
}

/// Big-endian bytes of `n`, so key order is numeric order (D4).
func key(_ n: Int) -> [UInt8] {
    withUnsafeBytes(of: UInt32(n).bigEndian) { Array($0) }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Runs `body` on a new thread (not the concurrency pool) and waits for its result.
func onNewThread<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        box.set(body())
        done.signal()
    }
    thread.start()
    done.wait()
    return box.get()!
}

/// Runs `body` on `count` new threads at once and waits for all of them.
func onNewThreads<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
    let boxes = (0..<count).map { _ in ResultBox<T>() }
    let done = DispatchSemaphore(value: 0)
    for index in 0..<count {
        let box = boxes[index]
        Thread {
            box.set(body(index))
            done.signal()
        }.start()
    }
    for _ in 0..<count { done.wait() }
    return boxes.map { $0.get()! }
}

final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T?
    func set(_ newValue: T) { lock.withLock { value = newValue } }
    func get() -> T? { lock.withLock { value } }
}

/// The value under `key`, read in a fresh read transaction (nil when absent, or on error).
func committedValue(_ env: Environment, _ db: Database, _ key: [UInt8]) throws -> [UInt8]? {
    try env.read { txn throws in try txn.get(db, key) }
}
