import Foundation

/// The `metrics` section of the configuration file: the HTTP server of `/metrics` (Prometheus text)
/// and `/health` (JSON). Docs/configuration.md documents the keys.
///
/// ```json
/// "metrics": { "enabled": true, "host": "127.0.0.1", "port": 9464, "allow_non_loopback": false }
/// ```
public struct MetricsServerConfiguration: Sendable, Equatable {
    /// Whether the server runs at all (key `enabled`, default true).
    public var enabled: Bool
    /// The IP address to bind (key `host`, default `127.0.0.1`). A loopback address (`127.0.0.0/8`,
    /// `::1`, `localhost`) unless `allowNonLoopback` is set.
    public var host: String
    /// The TCP port (key `port`, default 9464); 0 binds an ephemeral port (`MetricsServer.boundPort`).
    public var port: Int
    /// Permits a non-loopback `host` (key `allow_non_loopback`, default false): the endpoints have no
    /// authentication, so exposing them is an explicit decision.
    public var allowNonLoopback: Bool

    /// The section's keys, in documentation order.
    public static let keys = ["enabled", "host", "port", "allow_non_loopback"]

    /// Enabled on `127.0.0.1:9464`, loopback only.
    public static let defaults = MetricsServerConfiguration()

    public init(enabled: Bool = true, host: String = "127.0.0.1", port: Int = 9464, allowNonLoopback: Bool = false) {
        self.enabled = enabled
        self.host = host
        self.port = port
        self.allowNonLoopback = allowNonLoopback
    }

    /// Parses the section from a decoded JSON object (`JSONSerialization`), applying the defaults for
    /// missing keys, then validates it. `path` is the section's key path (`metrics`), used in errors.
    ///
    /// - Throws: `ConfigurationError` naming the key (`metrics.port`) for an unknown key, a value of the
    ///   wrong JSON type or a value out of range.
    public init(json: [String: Any], path: String = "metrics") throws(ConfigurationError) {
        self.init()
        for key in json.keys.sorted() where !Self.keys.contains(key) {
            throw ConfigurationError(key: Self.join(path, key), message: "unknown key (allowed: \(Self.keys.joined(separator: ", ")))")
        }
        if let value = json["enabled"] { enabled = try Self.bool(value, Self.join(path, "enabled")) }
        if let value = json["host"] {
            guard let text = value as? String else {
                throw ConfigurationError(key: Self.join(path, "host"), message: "must be a string (an IP address)")
            }
            host = text
        }
        if let value = json["port"] { port = try Self.integer(value, Self.join(path, "port")) }
        if let value = json["allow_non_loopback"] {
            allowNonLoopback = try Self.bool(value, Self.join(path, "allow_non_loopback"))
        }
        try validate(path: path)
    }

    /// Checks the values: `port` in 0...65535, `host` an IPv4/IPv6 literal or `localhost`, and a loopback
    /// address unless `allowNonLoopback`.
    public func validate(path: String = "metrics") throws(ConfigurationError) {
        guard (0...65_535).contains(port) else {
            throw ConfigurationError(key: Self.join(path, "port"), message: "must be between 0 and 65535 (0 = ephemeral), got \(port)")
        }
        guard let loopback = Self.loopback(host) else {
            throw ConfigurationError(key: Self.join(path, "host"),
                                     message: "must be an IPv4 or IPv6 address or \"localhost\", got \"\(host)\"")
        }
        if !loopback && !allowNonLoopback {
            throw ConfigurationError(key: Self.join(path, "host"),
                                     message: "\"\(host)\" is not a loopback address; set allow_non_loopback to expose the unauthenticated metrics endpoint")
        }
    }

    /// Whether `host` is a loopback address (`127.0.0.0/8`, `::1`, `localhost`).
    public var isLoopback: Bool { Self.loopback(host) ?? false }

    /// The address to bind: `localhost` resolves to `127.0.0.1`.
    var bindHost: String { host == "localhost" ? "127.0.0.1" : host }

    // MARK: Helpers

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// nil when `host` is not an address literal (`inet_pton`) or `localhost`; otherwise whether it is
    /// a loopback address.
    static func loopback(_ host: String) -> Bool? {
        if host == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            // s_addr is in network byte order: the first octet is the lowest-addressed byte.
            let firstOctet = withUnsafeBytes(of: v4) { $0[0] }
            return firstOctet == 127
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            let bytes = withUnsafeBytes(of: v6) { Array($0) }
            return bytes == [UInt8](repeating: 0, count: 15) + [1]
        }
        return nil
    }

    static func bool(_ value: Any, _ key: String) throws(ConfigurationError) -> Bool {
        // JSONSerialization returns NSNumber for both booleans and numbers; "c" marks a boolean.
        guard let number = value as? NSNumber, String(cString: number.objCType) == "c" else {
            throw ConfigurationError(key: key, message: "must be true or false")
        }
        return number.boolValue
    }

    static func integer(_ value: Any, _ key: String) throws(ConfigurationError) -> Int {
        guard let number = value as? NSNumber, String(cString: number.objCType) != "c",
              !(number is NSDecimalNumber), let integer = Int(exactly: number.doubleValue),
              Double(integer) == number.doubleValue, number.int64Value == Int64(integer)
        else {
            throw ConfigurationError(key: key, message: "must be an integer")
        }
        return integer
    }
}
