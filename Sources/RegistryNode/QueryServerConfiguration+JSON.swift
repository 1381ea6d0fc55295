import Foundation
import Sodium
import ZMQ

extension QueryServerConfiguration {
    /// The keys of the `query` section, as written in the configuration file.
    public static let jsonKeys = [
        "enabled", "endpoint", "workers", "max_frame_bytes", "authentication", "token_key_files", "curve",
        "anonymous_scopes", "rate_limit", "audit_per_client_per_minute", "token_clock_skew_seconds",
        "thread_scheduling",
    ]

    /// The section parsed from JSON (`JSONSerialization` output), defaults for missing keys, then
    /// validated. Unknown keys, wrong types and bad values are errors naming the key path under `path`
    /// (e.g. `query.rate_limit.burst`). Token key files and the CURVE secret key file are read here.
    public init(json: [String: Any], path: String) throws(ConfigurationError) {
        let section = QueryConfigReader(json, path: path)
        try section.rejectUnknown(Self.jsonKeys)
        var config = QueryServerConfiguration.defaults
        if let value = try section.bool("enabled") { config.enabled = value }
        if let value = try section.string("endpoint") { config.endpoint = value }
        if let value = try section.int("workers") { config.workers = value }
        if let value = try section.int("max_frame_bytes") { config.maxFrameBytes = value }
        if let value = try section.string("thread_scheduling") {
            guard let scheduling = QueryThreadScheduling(rawValue: value) else {
                throw section.error("thread_scheduling", "must be one of idle, low, normal (got \"\(value)\")")
            }
            config.threadScheduling = scheduling
        }
        if let value = try section.string("authentication") {
            guard let mode = Authentication(rawValue: value) else {
                throw section.error("authentication", "must be one of auto, required, optional (got \"\(value)\")")
            }
            config.authentication = mode
        }
        if let files = try section.strings("token_key_files") {
            var keys: [QueryTokenKey] = []
            for (index, file) in files.enumerated() {
                do { keys.append(try QueryTokenKey.load(path: file)) } catch {
                    throw section.error("token_key_files[\(index)]", error.description)
                }
            }
            config.tokenKeys = keys
        }
        if let scopes = try section.strings("anonymous_scopes") {
            config.anonymousScopes = try section.scopes(scopes, key: "anonymous_scopes")
        }
        if let value = try section.object("rate_limit") {
            let limit = QueryConfigReader(value, path: section.path + ".rate_limit")
            try limit.rejectUnknown(["requests_per_second", "burst", "max_clients"])
            if let v = try limit.int("requests_per_second") { config.rateLimit.requestsPerSecond = v }
            if let v = try limit.int("burst") { config.rateLimit.burst = v }
            if let v = try limit.int("max_clients") { config.rateLimit.maxClients = v }
        }
        if let value = try section.int("audit_per_client_per_minute") { config.auditPerClientPerMinute = value }
        if let value = try section.int("token_clock_skew_seconds") { config.tokenClockSkewSeconds = value }
        if let value = try section.object("curve") {
            let curve = QueryConfigReader(value, path: section.path + ".curve")
            try curve.rejectUnknown(["secret_key_file", "allowed_clients"])
            guard let file = try curve.string("secret_key_file") else {
                throw curve.error("secret_key_file", "is required when query.curve is set")
            }
            let secret: [UInt8]
            do { secret = try Self.loadCurveSecretKey(path: file) } catch { throw curve.error("secret_key_file", error.message) }
            var clients: [CurveClient] = []
            for (index, entry) in (try curve.objects("allowed_clients") ?? []).enumerated() {
                let client = QueryConfigReader(entry, path: curve.path + ".allowed_clients[\(index)]")
                try client.rejectUnknown(["name", "public_key", "scopes"])
                guard let keyText = try client.string("public_key") else { throw client.error("public_key", "is required") }
                guard let key = Self.decodeKey(keyText) else {
                    throw client.error("public_key", "must be 40 Z85 or 64 hex characters")
                }
                let name = try client.string("name") ?? (try? Z85.encode(key)) ?? Hex.encode(key)
                var scopes = QueryScope.Set.all
                if let names = try client.strings("scopes") { scopes = try client.scopes(names, key: "scopes") }
                clients.append(CurveClient(name: name, publicKey: key, scopes: scopes))
            }
            config.curve = Curve(secretKey: secret, allowedClients: clients)
        }
        try config.validate(path: path)
        self = config
    }

    /// A 32-byte key from 40 Z85 or 64 hex characters (surrounding white space ignored).
    public static func decodeKey(_ text: String) -> [UInt8]? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.utf8.count == 40, let key = Z85.decode(trimmed), key.count == 32 { return key }
        if trimmed.utf8.count == 64, let key = Hex.decode(trimmed) { return key }
        return nil
    }

    /// Reads a CURVE secret key file: the key as 40 Z85 or 64 hex characters, or a JSON object with a
    /// `secret_key` (or `secret`) member holding either form.
    public static func loadCurveSecretKey(path: String) throws(ConfigurationError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path), data.count <= 65_536 else {
            throw ConfigurationError(key: "", message: "cannot read \(path)")
        }
        let text = String(decoding: data, as: UTF8.self)
        if let key = decodeKey(text) { return key }
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            for name in ["secret_key", "secret", "secretKey"] {
                if let value = object[name] as? String, let key = decodeKey(value) { return key }
            }
        }
        throw ConfigurationError(key: "", message: "\(path) holds no 32-byte CURVE secret key (Z85, hex or JSON secret_key)")
    }
}

/// Typed, strict access to one JSON object of the configuration, with errors naming the key path.
struct QueryConfigReader {
    let json: [String: Any]
    let path: String

    init(_ json: [String: Any], path: String) {
        self.json = json
        self.path = path
    }

    func error(_ key: String, _ message: String) -> ConfigurationError {
        ConfigurationError(key: path.isEmpty ? key : path + "." + key, message: message)
    }

    func rejectUnknown(_ known: [String]) throws(ConfigurationError) {
        for key in json.keys.sorted() where !known.contains(key) {
            throw error(key, "unknown key (known: \(known.joined(separator: ", ")))")
        }
    }

    /// Whether a JSONSerialization value is a JSON boolean (a boolean NSNumber, not 0 or 1).
    private static func isBool(_ value: Any) -> Bool {
        if type(of: value) == Bool.self { return true }
        guard value is NSNumber else { return false }
        return ObjectIdentifier(type(of: value as AnyObject)) == ObjectIdentifier(type(of: NSNumber(value: true)))
    }

    func bool(_ key: String) throws(ConfigurationError) -> Bool? {
        guard let value = json[key] else { return nil }
        guard Self.isBool(value), let bool = value as? Bool else { throw error(key, "must be true or false") }
        return bool
    }

    func int(_ key: String) throws(ConfigurationError) -> Int? {
        guard let value = json[key] else { return nil }
        guard !Self.isBool(value), let int = value as? Int else { throw error(key, "must be an integer") }
        return int
    }

    func string(_ key: String) throws(ConfigurationError) -> String? {
        guard let value = json[key] else { return nil }
        guard let string = value as? String else { throw error(key, "must be a string") }
        return string
    }

    func strings(_ key: String) throws(ConfigurationError) -> [String]? {
        guard let value = json[key] else { return nil }
        guard let array = value as? [Any] else { throw error(key, "must be an array of strings") }
        var out: [String] = []
        for (index, element) in array.enumerated() {
            guard let string = element as? String else { throw error("\(key)[\(index)]", "must be a string") }
            out.append(string)
        }
        return out
    }

    func object(_ key: String) throws(ConfigurationError) -> [String: Any]? {
        guard let value = json[key] else { return nil }
        guard let object = value as? [String: Any] else { throw error(key, "must be an object") }
        return object
    }

    func objects(_ key: String) throws(ConfigurationError) -> [[String: Any]]? {
        guard let value = json[key] else { return nil }
        guard let array = value as? [Any] else { throw error(key, "must be an array of objects") }
        var out: [[String: Any]] = []
        for (index, element) in array.enumerated() {
            guard let object = element as? [String: Any] else { throw error("\(key)[\(index)]", "must be an object") }
            out.append(object)
        }
        return out
    }

    func scopes(_ names: [String], key: String) throws(ConfigurationError) -> QueryScope.Set {
        var scopes: [QueryScope] = []
        for (index, name) in names.enumerated() {
            guard let scope = QueryScope(rawValue: name) else {
                throw error("\(key)[\(index)]", QueryScopeParseError(name: name).description)
            }
            scopes.append(scope)
        }
        return QueryScope.Set(scopes)
    }
}
