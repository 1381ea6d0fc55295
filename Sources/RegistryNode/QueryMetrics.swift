import Metrics
import Synchronization

/// The query endpoint's counters (names in `MetricsNames`): `ai_registry_queries_total{request,outcome}`,
/// `ai_registry_auth_failures_total{endpoint="query"}` and `ai_registry_requests_rejected_total{reason}`.
/// Counters are created once per label set and cached. Thread-safe.
final class QueryMetrics: Sendable {
    private let counters = Mutex<[String: Counter]>([:])
    private let authFailures = Counter(label: MetricsNames.authFailures, dimensions: [("endpoint", "query")])

    /// Counts one answered request: `request` is the kind (`get_model`, … or `unknown`), `outcome`
    /// `ok` or the lower-case error code name.
    func query(request: String, outcome: String) {
        counter(MetricsNames.queries, [("request", request), ("outcome", outcome)]).increment()
    }

    /// Counts a failed authentication (bad, expired or unknown token, refused CURVE key).
    func authFailure() { authFailures.increment() }

    /// Counts a request refused before it was served.
    func rejected(reason: String) {
        counter(MetricsNames.requestsRejected, [("reason", reason)]).increment()
    }

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        let key = label + dimensions.map { "|\($0.0)=\($0.1)" }.joined()
        return counters.withLock { cache in
            if let counter = cache[key] { return counter }
            let counter = Counter(label: label, dimensions: dimensions)
            cache[key] = counter
            return counter
        }
    }
}
