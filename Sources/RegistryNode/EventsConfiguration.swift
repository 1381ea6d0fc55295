/// The `events` section: the PUB endpoint of round results and domain events.
public struct EventsConfiguration: Sendable, Equatable {
    /// Whether the event endpoint runs. Default true.
    public var enabled: Bool
    /// The ZeroMQ endpoint the PUB socket binds. Default `tcp://127.0.0.1:26672`.
    public var endpoint: String
    /// Messages queued per subscriber before ZeroMQ drops (`ZMQ_SNDHWM`, 1…10,000,000). Default 100,000.
    /// A slow subscriber loses messages (it sees a gap in `sequence`); consensus never waits for it.
    public var highWaterMark: Int

    public init(enabled: Bool = true, endpoint: String = "tcp://127.0.0.1:26672", highWaterMark: Int = 100_000) {
        self.enabled = enabled
        self.endpoint = endpoint
        self.highWaterMark = highWaterMark
    }

    /// Enabled on `tcp://127.0.0.1:26672`.
    public static let defaults = EventsConfiguration()

    /// The keys of the section.
    public static let keys = ["enabled", "endpoint", "high_water_mark"]

    /// Parses the section (defaults for missing keys) and validates it.
    public init(json: [String: Any], path: String = "events") throws(ConfigurationError) {
        let section = ConfigurationJSON(json, path: path)
        try section.rejectUnknown(Self.keys)
        self = .defaults
        if let value = try section.bool("enabled") { enabled = value }
        if let value = try section.string("endpoint") { endpoint = value }
        if let value = try section.int("high_water_mark") { highWaterMark = value }
        try validate(path: path)
    }

    /// Checks every value; errors name the key under `path`.
    public func validate(path: String = "events") throws(ConfigurationError) {
        guard endpoint.hasPrefix("tcp://") || endpoint.hasPrefix("ipc://") || endpoint.hasPrefix("inproc://") else {
            throw ConfigurationError(key: path + ".endpoint", message: "must start with ipc:// or tcp:// (got \"\(endpoint)\")")
        }
        guard (1...10_000_000).contains(highWaterMark) else {
            throw ConfigurationError(key: path + ".high_water_mark", message: "must be between 1 and 10000000 (got \(highWaterMark))")
        }
    }
}
