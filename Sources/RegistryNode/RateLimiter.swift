import Synchronization

/// A token-bucket rate limit per client (ADR 0014): each client has a bucket of `burst` requests that
/// refills at `requestsPerSecond`; a request takes one token or is refused with the time until the
/// next token. Integer arithmetic in nano-tokens, time from a caller-supplied monotonic clock (so tests
/// drive it). At most `maxClients` buckets are kept: when a new client arrives at a full table, buckets
/// that have refilled completely (indistinguishable from new ones) are dropped first, then the least
/// recently used one. Thread-safe.
public final class RateLimiter: Sendable {
    /// The outcome of one request.
    public enum Decision: Equatable, Sendable {
        case allowed
        /// Refused; a token will be available after this many milliseconds (at least 1).
        case limited(retryAfterMillis: UInt64)
    }

    private struct Bucket {
        /// Tokens × 10⁹.
        var nanoTokens: UInt64
        /// When the bucket was last refilled (monotonic ns).
        var updated: UInt64
    }

    private static let unit: UInt64 = 1_000_000_000

    public let requestsPerSecond: UInt64
    public let burst: UInt64
    public let maxClients: Int
    private let capacity: UInt64
    private let buckets: Mutex<[String: Bucket]>

    /// A limiter; values below 1 are raised to 1.
    public init(requestsPerSecond: Int, burst: Int, maxClients: Int) {
        self.requestsPerSecond = UInt64(max(1, requestsPerSecond))
        self.burst = UInt64(max(1, burst))
        self.maxClients = max(1, maxClients)
        capacity = self.burst.multipliedReportingOverflow(by: Self.unit).overflow ? UInt64.max : self.burst * Self.unit
        buckets = Mutex([:])
    }

    /// A limiter with a configuration's settings.
    public convenience init(_ configuration: QueryServerConfiguration.RateLimit) {
        self.init(
            requestsPerSecond: configuration.requestsPerSecond, burst: configuration.burst,
            maxClients: configuration.maxClients)
    }

    /// Takes one token from `client`'s bucket at monotonic time `now` (nanoseconds).
    public func acquire(client: String, now: UInt64) -> Decision {
        buckets.withLock { table in
            var bucket: Bucket
            if let existing = table[client] {
                bucket = existing
                bucket.nanoTokens = refilled(bucket, now: now)
                bucket.updated = max(bucket.updated, now)
            } else {
                if table.count >= maxClients { evict(&table, now: now) }
                bucket = Bucket(nanoTokens: capacity, updated: now)
            }
            let decision: Decision
            if bucket.nanoTokens >= Self.unit {
                bucket.nanoTokens -= Self.unit
                decision = .allowed
            } else {
                // Time until one whole token: ceil(missing / rate) ns, in ms rounded up.
                let missing = Self.unit - bucket.nanoTokens
                let nanoseconds = (missing + requestsPerSecond - 1) / requestsPerSecond
                decision = .limited(retryAfterMillis: max(1, (nanoseconds + 999_999) / 1_000_000))
            }
            table[client] = bucket
            return decision
        }
    }

    /// The number of clients currently tracked.
    public var trackedClients: Int { buckets.withLock { $0.count } }

    /// The bucket's tokens at `now`: elapsed ns × rate nano-tokens added, capped at the capacity.
    private func refilled(_ bucket: Bucket, now: UInt64) -> UInt64 {
        guard now > bucket.updated else { return bucket.nanoTokens }
        let (added, overflow) = (now - bucket.updated).multipliedReportingOverflow(by: requestsPerSecond)
        if overflow { return capacity }
        let (sum, sumOverflow) = bucket.nanoTokens.addingReportingOverflow(added)
        return sumOverflow ? capacity : min(sum, capacity)
    }

    /// Makes room for one client: drops every full bucket; if none, the least recently updated one.
    private func evict(_ table: inout [String: Bucket], now: UInt64) {
        let full = table.filter { refilled($0.value, now: now) >= capacity }.map(\.key)
        if !full.isEmpty {
            for key in full { table[key] = nil }
            return
        }
        if let oldest = table.min(by: { $0.value.updated < $1.value.updated }) { table[oldest.key] = nil }
    }
}
