import Foundation
import Logging
import StateStore

/// Everything `ai-registry run` needs, from a JSON file (Docs/configuration.md documents every key),
/// the embedded defaults for missing keys, and command-line flags on top. Strict: unknown keys, wrong
/// types and out-of-range values are `ConfigurationError`s naming the key path.
public struct NodeConfiguration: Sendable {
    /// The LMDB environment's directory (key `data_dir`). Default `./data/ai-registry`.
    public var dataDirectory: String
    /// The consensus endpoint (section `consensus`).
    public var consensus: ConsensusEndpointConfiguration
    /// The query endpoint (section `query`, h8's `QueryServerConfiguration`).
    public var query: QueryServerConfiguration
    /// The event endpoint (section `events`).
    public var events: EventsConfiguration
    /// The metrics and health HTTP server (section `metrics`, h9's `MetricsServerConfiguration`).
    public var metrics: MetricsServerConfiguration
    /// The LMDB store and the retention of past rounds (section `storage`).
    public var storage: NodeStorageConfiguration
    /// The audit log (section `audit`).
    public var audit: AuditConfiguration
    /// The read-only HTTP/JSON gateway (section `gateway`, ADR 0021); disabled by default.
    public var gateway: GatewayConfiguration = .defaults
    /// Periodic state-sync snapshots and the catalog the query endpoint serves (section `snapshots`, ADR 0022).
    public var snapshots: SnapshotsConfiguration = .defaults
    /// The log level (key `log_level`): trace, debug, info, notice, warning, error, critical. Default info.
    public var logLevel: Logger.Level

    /// The top-level keys of the file.
    public static let keys = ["data_dir", "consensus", "query", "events", "metrics", "storage", "audit", "log_level", "gateway", "snapshots"]

    /// The embedded defaults: data in `./data/ai-registry`, consensus `tcp://127.0.0.1:26670`, query
    /// `tcp://127.0.0.1:26671`, events `tcp://127.0.0.1:26672`, metrics `127.0.0.1:26673`.
    public static var defaults: NodeConfiguration {
        var query = QueryServerConfiguration.defaults
        query.endpoint = "tcp://127.0.0.1:26671"
        var metrics = MetricsServerConfiguration.defaults
        metrics.port = 26673
        return NodeConfiguration(
            dataDirectory: "./data/ai-registry", consensus: .defaults, query: query, events: .defaults,
            metrics: metrics, storage: .defaults, audit: .defaults, logLevel: .info)
    }

    public init(dataDirectory: String, consensus: ConsensusEndpointConfiguration, query: QueryServerConfiguration,
                events: EventsConfiguration, metrics: MetricsServerConfiguration, storage: NodeStorageConfiguration,
                audit: AuditConfiguration, logLevel: Logger.Level) {
        self.dataDirectory = dataDirectory
        self.consensus = consensus
        self.query = query
        self.events = events
        self.metrics = metrics
        self.storage = storage
        self.audit = audit
        self.logLevel = logLevel
    }

    /// The configuration of a JSON document (an object at the top), defaults for missing keys.
    public init(json data: Data) throws(ConfigurationError) {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data, options: []) } catch {
            throw ConfigurationError(key: "", message: "not valid JSON: \(error.localizedDescription)")
        }
        guard let top = object as? [String: Any] else {
            throw ConfigurationError(key: "", message: "the configuration must be a JSON object")
        }
        try self.init(json: top)
    }

    /// The configuration of a decoded JSON object, defaults for missing keys.
    public init(json top: [String: Any]) throws(ConfigurationError) {
        let root = ConfigurationJSON(top, path: "")
        try root.rejectUnknown(Self.keys)
        self = .defaults
        if let value = try root.string("data_dir") { dataDirectory = value }
        if let section = try root.rawObject("consensus") { consensus = try ConsensusEndpointConfiguration(json: section, path: "consensus") }
        if let section = try root.rawObject("query") {
            // The embedded query endpoint default applies unless the section names one.
            var merged = section
            if merged["endpoint"] == nil { merged["endpoint"] = query.endpoint }
            query = try QueryServerConfiguration(json: merged, path: "query")
        }
        if let section = try root.rawObject("events") { events = try EventsConfiguration(json: section, path: "events") }
        if let section = try root.rawObject("metrics") {
            var merged = section
            if merged["port"] == nil { merged["port"] = metrics.port }
            metrics = try MetricsServerConfiguration(json: merged, path: "metrics")
        }
        if let section = try root.rawObject("storage") { storage = try NodeStorageConfiguration(json: section, path: "storage") }
        if let section = try root.rawObject("audit") { audit = try AuditConfiguration(json: section, path: "audit") }
        if let level = try root.string("log_level") { logLevel = try Self.logLevel(level, key: "log_level") }
        if let section = try root.rawObject("gateway") { gateway = try GatewayConfiguration(json: section, path: "gateway") }
        if let section = try root.rawObject("snapshots") { snapshots = try SnapshotsConfiguration(json: section, path: "snapshots") }
        try validate()
    }

    /// Reads and parses the file at `path`.
    public static func load(path: String) throws(ConfigurationError) -> NodeConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(key: "", message: "cannot read the configuration file \(path)")
        }
        do { return try NodeConfiguration(json: data) } catch {
            throw ConfigurationError(key: error.key, message: error.message + " (in \(path))")
        }
    }

    /// Checks every section (after flags were applied).
    public func validate() throws(ConfigurationError) {
        guard !dataDirectory.isEmpty else { throw ConfigurationError(key: "data_dir", message: "must not be empty") }
        try consensus.validate(path: "consensus")
        try query.validate(path: "query")
        try events.validate(path: "events")
        try metrics.validate(path: "metrics")
        try storage.validate(path: "storage")
        try audit.validate(path: "audit")
        try gateway.validate(path: "gateway")
        try snapshots.validate(path: "snapshots")
        if gateway.enabled && gateway.requireToken && query.tokenKeys.isEmpty {
            throw ConfigurationError(key: "gateway.require_token", message: "needs token keys (query.token_key_files) to check tokens with")
        }
        var bound: [(String, String)] = [("consensus.endpoint", consensus.endpoint)]
        if query.enabled { bound.append(("query.endpoint", query.endpoint)) }
        if events.enabled { bound.append(("events.endpoint", events.endpoint)) }
        for (index, entry) in bound.enumerated() {
            for other in bound[..<index] where other.1 == entry.1 && !entry.1.hasSuffix(":*") && !entry.1.hasSuffix(":0") {
                throw ConfigurationError(key: entry.0, message: "is the same endpoint as \(other.0) (\(entry.1))")
            }
        }
    }

    /// The audit log's file: `audit.path`, or `<data_dir>/audit.log` when unset; nil when disabled.
    public var auditLogPath: String? {
        guard audit.enabled else { return nil }
        return audit.path ?? (dataDirectory as NSString).appendingPathComponent("audit.log")
    }

    /// A log level by name.
    public static func logLevel(_ name: String, key: String) throws(ConfigurationError) -> Logger.Level {
        guard let level = Logger.Level(rawValue: name.lowercased()) else {
            throw ConfigurationError(key: key, message: "must be one of trace, debug, info, notice, warning, error, critical (got \"\(name)\")")
        }
        return level
    }
}
