import Foundation
import RegistryClient
import RegistryCore
import TestSupport
import Testing
import Wire

/// A running `ai-registry run` in a fresh temporary directory with a consensus client connected; the
/// process is killed and the directory removed when the harness is released.
final class PluginHarness {
    let directory: TemporaryDirectory
    let extraArguments: [String]
    private(set) var plugin: PluginProcess
    private(set) var ready: ReadyLine
    private(set) var consensus: ConsensusClient

    /// Every call waits at most this long: bounded waits everywhere.
    static let callTimeout: Duration = .seconds(20)

    init(extraArguments: [String] = []) throws {
        directory = TemporaryDirectory(prefix: "ai-registry-proc")
        self.extraArguments = extraArguments
        plugin = try PluginProcess(directory: directory.path, extraArguments: extraArguments)
        ready = try plugin.waitReady()
        consensus = try ConsensusClient(endpoint: ready.consensus, timeout: Self.callTimeout)
    }

    var dataDirectory: String { plugin.dataDirectory }

    /// Starts the process again on the same data directory (after a kill or an exit), with a new client
    /// (a request queued for the old process is never delivered to the new one).
    func restart() throws {
        plugin.kill()
        consensus.close()
        plugin = try PluginProcess(directory: directory.path, extraArguments: extraArguments)
        ready = try plugin.waitReady()
        consensus = try ConsensusClient(endpoint: ready.consensus, timeout: Self.callTimeout)
    }

    /// A query client for the running process.
    func queryClient(timeout: Duration = PluginHarness.callTimeout) throws -> QueryClient {
        try QueryClient(endpoint: ready.query, timeout: timeout)
    }

    /// The metrics server of the running process.
    func http() throws -> HTTPProbe {
        HTTPProbe(port: try #require(ready.metricsPort, "the readiness line has no metrics address"))
    }

    /// The plugin's logs so far, for failure messages.
    var logTail: String { plugin.stderrTail }

    deinit {
        consensus.close()
        plugin.kill()
    }
}

extension AiRegistry_V1_RoundResult {
    /// The result codes, in transaction order.
    var codes: [UInt32] { results.map(\.code) }
}

extension RoundOutcome {
    var codes: [UInt32] { results.map(\.code.rawValue) }
}
