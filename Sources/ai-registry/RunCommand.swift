import ArgumentParser
import Foundation
import Logging
import RegistryGateway
import RegistryNode

/// `ai-registry run`: the plugin process. Reads the configuration (embedded defaults, then `--config`,
/// then flags), opens the store, binds the endpoints, prints the readiness line and serves until
/// SIGINT or SIGTERM; then finishes the round in progress, closes LMDB and exits 0.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the plugin: consensus, query and event endpoints over the LMDB data directory.",
        discussion: """
            Without --config the embedded defaults apply (Docs/configuration.md). Flags override the file. \
            Once every endpoint is bound, one line is printed on stdout: \
            `ready consensus=<endpoint> query=<endpoint> events=<endpoint> metrics=<host:port> gateway=<host:port>` \
            ('-' for a disabled endpoint).
            """
    )

    @Option(name: .long, help: "A JSON configuration file (Docs/configuration.md).")
    var config: String?

    @Option(name: .long, help: "The data directory (LMDB environment, audit log). Default ./data/ai-registry.")
    var dataDir: String?

    @Option(name: .long, help: "The consensus endpoint (ipc://PATH or tcp://HOST:PORT; port * = ephemeral).")
    var consensus: String?

    @Option(name: .long, help: "The query endpoint.")
    var query: String?

    @Option(name: .long, help: "The event (PUB) endpoint.")
    var events: String?

    @Option(name: .long, help: "The metrics/health HTTP port on the metrics host; 0 binds an ephemeral port (see the readiness line).")
    var metricsPort: Int?

    @Option(name: .long, help: "The metrics/health HTTP host (default 127.0.0.1).")
    var metricsHost: String?

    @Flag(name: .long, help: "Do not run the query endpoint.")
    var noQuery = false

    @Flag(name: .long, help: "Do not run the event endpoint.")
    var noEvents = false

    @Flag(name: .long, help: "Do not run the metrics/health HTTP server.")
    var noMetrics = false

    @Flag(name: .long, help: "Run the read-only HTTP/JSON gateway (Docs/openapi.json); off unless the file enables it.")
    var gateway = false

    @Flag(name: .long, help: "Do not run the HTTP/JSON gateway even if the file enables it.")
    var noGateway = false

    @Option(name: .long, help: "The gateway's HTTP port (default 26674); 0 binds an ephemeral port (see the readiness line).")
    var gatewayPort: Int?

    @Option(name: .long, help: "The gateway's HTTP host (default 127.0.0.1; others need gateway.allow_non_loopback).")
    var gatewayHost: String?

    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?

    @Option(name: .long, help: "The audit log file (default <data-dir>/audit.log).")
    var auditLog: String?

    @Option(name: .long, help: "LMDB durability: full, noMetaSync or noSync.")
    var syncMode: String?

    @Option(name: .long, help: "How rounds commit: write_behind (reply before the LMDB write, ADR 0027) or synchronous (storage.commit_mode).")
    var commitMode: String?

    @Option(name: .long, help: "Past rounds kept for proofs and results (0 keeps all).")
    var retentionRounds: Int?

    @Option(name: .long, help: "The largest consensus request frame in bytes.")
    var maxFrameBytes: Int?

    @Option(name: .long, help: "Enable CURVE on the consensus endpoint with this server secret key file.")
    var curveSecretKeyFile: String?

    @Option(name: .long, help: "A host CURVE public key allowed on the consensus endpoint (Z85 or hex; repeatable).")
    var curveAllow: [String] = []

    @Option(name: .long, help: "A source address or CIDR allowed on the consensus endpoint (repeatable).")
    var ipAllow: [String] = []

    @Option(name: .long, help: "Export a state-sync snapshot after every round that is a multiple of this (0: off; snapshots.interval_rounds).")
    var snapshotInterval: Int?

    @Option(name: .long, help: "Snapshots kept after each periodic export (snapshots.keep, default 2).")
    var snapshotKeep: Int?

    @Option(name: .long, help: "The snapshot directory, served on the query endpoint (default <data-dir>/snapshots).")
    var snapshotDir: String?

    @Flag(name: .long, help: "Print the effective configuration check result and exit without starting.")
    var checkConfig = false

    func run() throws {
        let configuration: NodeConfiguration
        do { configuration = try effectiveConfiguration() } catch {
            throw RunFailure("invalid configuration: \(error)")
        }
        if checkConfig {
            print("configuration ok: data_dir=\(configuration.dataDirectory) consensus=\(configuration.consensus.endpoint)")
            return
        }
        let level = configuration.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "ai-registry")
        logger.logLevel = level

        let node: RegistryNode
        do {
            node = try RegistryNode(configuration: configuration, logger: logger)
            try node.start()
        } catch {
            logger.critical("cannot start", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
        var httpGateway: Gateway?
        if configuration.gateway.enabled {
            let started = Gateway(
                configuration: configuration.gateway, store: node.store, tokenKeys: configuration.query.tokenKeys,
                tokenClockSkewSeconds: configuration.query.tokenClockSkewSeconds, audit: node.audit,
                auditPerClientPerMinute: configuration.query.auditPerClientPerMinute, logger: logger)
            do { try started.start() } catch {
                logger.critical("cannot start", metadata: ["error": "\(error)"])
                node.stop()
                throw ExitCode(1)
            }
            httpGateway = started
        }
        // One write of the whole line (stdout may be a pipe read line by line by a supervisor).
        let readiness = node.readinessLine + " gateway=\(httpGateway?.boundAddress ?? "-")"
        FileHandle.standardOutput.write(Data((readiness + "\n").utf8))
        let signal = Signals.waitForTermination()
        logger.notice("shutting down", metadata: ["signal": "\(signal)"])
        // The gateway reads the store: it stops before the node closes LMDB.
        httpGateway?.stop()
        node.stop()
    }

    /// Defaults, then the file, then the flags; validated.
    func effectiveConfiguration() throws(ConfigurationError) -> NodeConfiguration {
        var configuration = try config.map { (path: String) throws(ConfigurationError) in try NodeConfiguration.load(path: path) }
            ?? NodeConfiguration.defaults
        if let dataDir { configuration.dataDirectory = dataDir }
        if let consensus { configuration.consensus.endpoint = consensus }
        if let query { configuration.query.endpoint = query }
        if let events { configuration.events.endpoint = events }
        if let metricsPort { configuration.metrics.port = metricsPort }
        if let metricsHost { configuration.metrics.host = metricsHost }
        if noQuery { configuration.query.enabled = false }
        if noEvents { configuration.events.enabled = false }
        if noMetrics { configuration.metrics.enabled = false }
        if gateway { configuration.gateway.enabled = true }
        if noGateway { configuration.gateway.enabled = false }
        if let gatewayPort { configuration.gateway.port = gatewayPort }
        if let gatewayHost { configuration.gateway.host = gatewayHost }
        if let logLevel { configuration.logLevel = try NodeConfiguration.logLevel(logLevel, key: "--log-level") }
        if let auditLog { configuration.audit.path = auditLog }
        if let syncMode {
            guard let mode = NodeStorageConfiguration.durability(named: syncMode) else {
                throw ConfigurationError(key: "--sync-mode", message: "must be one of full, noMetaSync, noSync (got \"\(syncMode)\")")
            }
            configuration.storage.durability = mode
        }
        if let commitMode {
            guard let mode = NodeStorageConfiguration.CommitMode(rawValue: commitMode) else {
                throw ConfigurationError(key: "--commit-mode", message: "must be one of write_behind, synchronous (got \"\(commitMode)\")")
            }
            configuration.storage.commitMode = mode
        }
        if let retentionRounds {
            guard retentionRounds >= 0 else { throw ConfigurationError(key: "--retention-rounds", message: "must be 0 or positive") }
            configuration.storage.retentionRounds = UInt64(retentionRounds)
        }
        if let maxFrameBytes { configuration.consensus.maxFrameBytes = maxFrameBytes }
        if let curveSecretKeyFile {
            let secret: [UInt8]
            do { secret = try KeysFile.readKey(path: curveSecretKeyFile) } catch {
                throw ConfigurationError(key: "--curve-secret-key-file", message: error.description)
            }
            var keys = configuration.consensus.curve?.allowedClientKeys ?? []
            for (index, text) in curveAllow.enumerated() {
                guard let key = KeysFile.decodeKey(text) ?? (try? KeysFile.readKey(path: text)) else {
                    throw ConfigurationError(key: "--curve-allow[\(index)]", message: "not a 32-byte key (Z85 or hex) nor a key file")
                }
                keys.append(key)
            }
            configuration.consensus.curve = .init(secretKey: secret, allowedClientKeys: keys)
        } else if !curveAllow.isEmpty {
            guard var curve = configuration.consensus.curve else {
                throw ConfigurationError(key: "--curve-allow", message: "needs --curve-secret-key-file (or consensus.curve in the file)")
            }
            for (index, text) in curveAllow.enumerated() {
                guard let key = KeysFile.decodeKey(text) ?? (try? KeysFile.readKey(path: text)) else {
                    throw ConfigurationError(key: "--curve-allow[\(index)]", message: "not a 32-byte key (Z85 or hex) nor a key file")
                }
                curve.allowedClientKeys.append(key)
            }
            configuration.consensus.curve = curve
        }
        if !ipAllow.isEmpty { configuration.consensus.ipAllowList += ipAllow }
        if let snapshotInterval {
            guard snapshotInterval >= 0 else { throw ConfigurationError(key: "--snapshot-interval", message: "must be 0 (off) or positive") }
            configuration.snapshots.intervalRounds = UInt64(snapshotInterval)
        }
        if let snapshotKeep { configuration.snapshots.keep = snapshotKeep }
        if let snapshotDir { configuration.snapshots.directory = snapshotDir }
        try configuration.validate()
        return configuration
    }
}

/// A failure printed as `Error: <message>` (exit status 1), without the usage text.
struct RunFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
