/// The `query` section of the node configuration: where the query endpoint listens, how many worker
/// threads serve it, who may use it and how fast (Docs/configuration.md, ADR 0013, ADR 0014).
///
/// Defaults (`QueryServerConfiguration.defaults`): enabled, `tcp://127.0.0.1:26671`, 2 workers, 64 KiB
/// frames, authentication `auto` (anonymous reads allowed on loopback, `ipc://` and `inproc://`
/// endpoints; a token or an allow-listed CURVE key required anywhere else), 100 requests/s per
/// client with bursts of 200.
public struct QueryServerConfiguration: Sendable, Equatable {
    /// When a client must present credentials (a token or an allow-listed CURVE key).
    public enum Authentication: String, Sendable, CaseIterable {
        /// Required unless the endpoint is loopback (`tcp://127.*`, `tcp://localhost`, `tcp://[::1]`),
        /// `ipc://` or `inproc://`. The default.
        case auto
        /// Always required.
        case required
        /// Never required: anonymous clients get `anonymousScopes` on any endpoint. A presented token
        /// must still verify.
        case optional
    }

    /// The per-client token bucket (ADR 0014).
    public struct RateLimit: Sendable, Equatable {
        /// Sustained requests per second per client (1…1,000,000). Default 100.
        public var requestsPerSecond: Int
        /// Bucket size: requests a client may make at once after being idle (1…1,000,000). Default 200.
        public var burst: Int
        /// The most clients tracked at once (16…1,000,000); when full, idle (full) buckets are dropped
        /// first, then the least recently used. Default 10,000.
        public var maxClients: Int

        public init(requestsPerSecond: Int = 100, burst: Int = 200, maxClients: Int = 10_000) {
            self.requestsPerSecond = requestsPerSecond
            self.burst = burst
            self.maxClients = maxClients
        }
    }

    /// A CURVE client key on the allow-list.
    public struct CurveClient: Sendable, Equatable {
        /// A name for logs, audit records and rate limiting (the ZAP user id is `curve:<name>`).
        public var name: String
        /// The client's 32-byte CURVE public key.
        public var publicKey: [UInt8]
        /// What the client may do.
        public var scopes: QueryScope.Set

        public init(name: String, publicKey: [UInt8], scopes: QueryScope.Set = .all) {
            self.name = name
            self.publicKey = publicKey
            self.scopes = scopes
        }
    }

    /// CurveZMQ on the query endpoint: the server's key and the clients allowed to connect (checked
    /// by a ZAP handler of the query server's own ZeroMQ context).
    public struct Curve: Sendable, Equatable {
        /// The server's CURVE secret key (32 bytes; the public key is derived).
        public var secretKey: [UInt8]
        /// The allowed client keys; any other key is refused at the handshake (audited).
        public var allowedClients: [CurveClient]

        public init(secretKey: [UInt8], allowedClients: [CurveClient]) {
            self.secretKey = secretKey
            self.allowedClients = allowedClients
        }
    }

    /// Whether the query endpoint runs at all. Default true.
    public var enabled: Bool
    /// The ZeroMQ endpoint the ROUTER socket binds (`tcp://host:port`, `ipc://path`, `inproc://name`).
    public var endpoint: String
    /// Worker threads (1…64), each serving one request at a time in its own LMDB read transaction. Default 2.
    public var workers: Int
    /// How the query threads yield the CPU to consensus (`thread_scheduling`). Default `.idle` (ADR 0015).
    public var threadScheduling: QueryThreadScheduling
    /// The largest request frame in bytes (256…16 MiB). Default 65,536. Larger frames up to
    /// `transportFrameLimit` get a FRAME_TOO_LARGE reply; beyond that ZeroMQ drops them and disconnects.
    public var maxFrameBytes: Int
    /// When credentials are required. Default `.auto`.
    public var authentication: Authentication
    /// The MAC keys tokens are checked against (`ai-registry token keygen`), loaded at start. The key
    /// id inside a token selects the key, so keys can be rotated by listing the old and the new one.
    public var tokenKeys: [QueryTokenKey]
    /// CurveZMQ settings, or nil for a plain (NULL mechanism) endpoint.
    public var curve: Curve?
    /// The scopes of a client that presents no credentials where that is allowed. Default: all.
    public var anonymousScopes: QueryScope.Set
    /// The per-client rate limit.
    public var rateLimit: RateLimit
    /// The most audit records per client and kind per minute (1…10,000); the rest are counted and
    /// summarised in one record when the minute ends, so a flood cannot fill the disk. Default 20.
    public var auditPerClientPerMinute: Int
    /// How far in the future a token's issued-at may be, for clock skew between issuer and server
    /// (0…3600 seconds). Default 60.
    public var tokenClockSkewSeconds: Int

    public init(
        enabled: Bool = true, endpoint: String = "tcp://127.0.0.1:26671", workers: Int = 2,
        maxFrameBytes: Int = 64 << 10, authentication: Authentication = .auto, tokenKeys: [QueryTokenKey] = [],
        curve: Curve? = nil, anonymousScopes: QueryScope.Set = .all, rateLimit: RateLimit = RateLimit(),
        auditPerClientPerMinute: Int = 20, tokenClockSkewSeconds: Int = 60,
        threadScheduling: QueryThreadScheduling = .idle
    ) {
        self.threadScheduling = threadScheduling
        self.enabled = enabled
        self.endpoint = endpoint
        self.workers = workers
        self.maxFrameBytes = maxFrameBytes
        self.authentication = authentication
        self.tokenKeys = tokenKeys
        self.curve = curve
        self.anonymousScopes = anonymousScopes
        self.rateLimit = rateLimit
        self.auditPerClientPerMinute = auditPerClientPerMinute
        self.tokenClockSkewSeconds = tokenClockSkewSeconds
    }

    /// The defaults described on the type.
    public static let defaults = QueryServerConfiguration()

    /// The frame size above which ZeroMQ itself drops a frame (`ZMQ_MAXMSGSIZE`): 4 × `maxFrameBytes`,
    /// at most 64 MiB, so frames a little too large still get a typed reply.
    public var transportFrameLimit: Int { min(maxFrameBytes.multipliedReportingOverflow(by: 4).partialValue, 64 << 20) }

    /// Whether the endpoint only accepts local connections (loopback TCP, `ipc://`, `inproc://`).
    public var isLoopbackEndpoint: Bool { Self.isLoopback(endpoint) }

    /// Whether every client must present credentials under this configuration.
    public var requiresAuthentication: Bool {
        switch authentication {
        case .required: return true
        case .optional: return false
        case .auto: return !isLoopbackEndpoint
        }
    }

    /// Whether `endpoint` only accepts local connections.
    public static func isLoopback(_ endpoint: String) -> Bool {
        if endpoint.hasPrefix("ipc://") || endpoint.hasPrefix("inproc://") { return true }
        guard endpoint.hasPrefix("tcp://") else { return false }
        let rest = endpoint.dropFirst("tcp://".count)
        // An interface name before ';' (source address) is not used for binds; take the host part.
        let host: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return false }
            host = rest[rest.index(after: rest.startIndex)..<close]
            return host == "::1"
        }
        host = rest.prefix { $0 != ":" }
        return host == "localhost" || host.hasPrefix("127.")
    }

    /// Checks every value; the error names the key (`query.workers`, …) and the allowed range.
    public func validate() throws(ConfigurationError) {
        try validate(path: "query")
    }

    /// `validate()` with the section's key path.
    public func validate(path: String) throws(ConfigurationError) {
        func check(_ ok: Bool, _ key: String, _ message: String) throws(ConfigurationError) {
            if !ok { throw ConfigurationError(key: path + "." + key, message: message) }
        }
        try check(
            endpoint.hasPrefix("tcp://") || endpoint.hasPrefix("ipc://") || endpoint.hasPrefix("inproc://"),
            "endpoint", "must start with tcp://, ipc:// or inproc:// (got \"\(endpoint)\")")
        try check(endpoint.utf8.count <= 1000, "endpoint", "must be at most 1000 bytes")
        try check((1...64).contains(workers), "workers", "must be between 1 and 64 (got \(workers))")
        try check(
            (256...(16 << 20)).contains(maxFrameBytes), "max_frame_bytes",
            "must be between 256 and 16777216 (got \(maxFrameBytes))")
        try check(
            (1...1_000_000).contains(rateLimit.requestsPerSecond), "rate_limit.requests_per_second",
            "must be between 1 and 1000000 (got \(rateLimit.requestsPerSecond))")
        try check(
            (1...1_000_000).contains(rateLimit.burst), "rate_limit.burst",
            "must be between 1 and 1000000 (got \(rateLimit.burst))")
        try check(
            (16...1_000_000).contains(rateLimit.maxClients), "rate_limit.max_clients",
            "must be between 16 and 1000000 (got \(rateLimit.maxClients))")
        try check(
            (1...10_000).contains(auditPerClientPerMinute), "audit_per_client_per_minute",
            "must be between 1 and 10000 (got \(auditPerClientPerMinute))")
        try check(
            (0...3600).contains(tokenClockSkewSeconds), "token_clock_skew_seconds",
            "must be between 0 and 3600 (got \(tokenClockSkewSeconds))")
        var keyIDs: [String] = []
        for (index, key) in tokenKeys.enumerated() {
            try check(!keyIDs.contains(key.keyID), "token_key_files[\(index)]", "key id \"\(key.keyID)\" appears twice")
            keyIDs.append(key.keyID)
        }
        if let curve {
            try check(curve.secretKey.count == 32, "curve.secret_key_file", "must hold a 32-byte CURVE secret key")
            var names: [String] = []
            for (index, client) in curve.allowedClients.enumerated() {
                let key = "curve.allowed_clients[\(index)]"
                try check(client.publicKey.count == 32, key + ".public_key", "must be a 32-byte key (40 Z85 or 64 hex characters)")
                try check(
                    !client.name.isEmpty && client.name.utf8.count <= 64, key + ".name", "must have 1…64 bytes")
                try check(!names.contains(client.name), key + ".name", "\"\(client.name)\" appears twice")
                names.append(client.name)
            }
        }
        if requiresAuthentication && enabled {
            try check(
                !tokenKeys.isEmpty || curve != nil, authentication == .auto ? "token_key_files" : "authentication",
                "the endpoint \(endpoint) requires credentials (authentication \"\(authentication.rawValue)\"), "
                    + "so query.token_key_files or query.curve must be set")
        }
    }
}
