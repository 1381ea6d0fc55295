/// The `audit` section: where rejections are recorded.
public struct AuditConfiguration: Sendable, Equatable {
    /// Whether records go to a file (otherwise only to the log). Default true.
    public var enabled: Bool
    /// The audit file; nil means `<data_dir>/audit.log`.
    public var path: String?
    /// The size at which the file rotates (64 KiB…4 GiB). Default 64 MiB.
    public var maxBytes: Int
    /// Rotated files kept (`audit.log.1` … `audit.log.N`, 1…100). Default 5.
    public var maxFiles: Int

    public init(enabled: Bool = true, path: String? = nil, maxBytes: Int = 64 << 20, maxFiles: Int = 5) {
        self.enabled = enabled
        self.path = path
        self.maxBytes = maxBytes
        self.maxFiles = maxFiles
    }

    /// Enabled, `<data_dir>/audit.log`, 64 MiB × 5.
    public static let defaults = AuditConfiguration()

    /// The keys of the section.
    public static let keys = ["enabled", "path", "max_bytes", "max_files"]

    /// Parses the section (defaults for missing keys) and validates it.
    public init(json: [String: Any], path: String = "audit") throws(ConfigurationError) {
        let section = ConfigurationJSON(json, path: path)
        try section.rejectUnknown(Self.keys)
        self = .defaults
        if let value = try section.bool("enabled") { enabled = value }
        if let value = try section.string("path") { self.path = value }
        if let value = try section.int("max_bytes") { maxBytes = value }
        if let value = try section.int("max_files") { maxFiles = value }
        try validate(path: path)
    }

    /// Checks every value; errors name the key under `path`.
    public func validate(path: String = "audit") throws(ConfigurationError) {
        if let file = self.path, file.isEmpty {
            throw ConfigurationError(key: path + ".path", message: "must not be empty (omit it for <data_dir>/audit.log)")
        }
        guard ((64 << 10)...(4 << 30)).contains(maxBytes) else {
            throw ConfigurationError(key: path + ".max_bytes", message: "must be between 65536 and 4294967296 (got \(maxBytes))")
        }
        guard (1...100).contains(maxFiles) else {
            throw ConfigurationError(key: path + ".max_files", message: "must be between 1 and 100 (got \(maxFiles))")
        }
    }
}
