import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Waiting for SIGINT / SIGTERM without killing the process: the default actions are replaced by
/// dispatch signal sources, so shutdown runs as ordinary code (finish the round, close LMDB, exit 0).
public enum Signals {
    /// Blocks until SIGINT or SIGTERM arrives and returns its number. Call once, from the main thread.
    public static func waitForTermination() -> Int32 {
        let received = DispatchSemaphore(value: 0)
        let queue = DispatchQueue(label: "ai-registry.signals")
        let caught = SignalBox()
        var sources: [DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                caught.set(number)
                received.signal()
            }
            source.resume()
            sources.append(source)
        }
        received.wait()
        for source in sources { source.cancel() }
        return caught.value
    }

    /// The first signal caught (written and read on the signal queue / after the semaphore).
    private final class SignalBox: @unchecked Sendable {
        private var number: Int32 = 0
        func set(_ value: Int32) { if number == 0 { number = value } }
        var value: Int32 { number }
    }
}
