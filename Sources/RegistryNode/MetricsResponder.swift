import Foundation
import Hummingbird
import Metrics
import Prometheus

/// Answers the metrics server's requests: `GET /metrics` (Prometheus text exposition of the
/// registry), `GET /health` (JSON of `HealthReport`, 200 when ok, 503 when halted); any other method
/// on those paths gets 405 with `Allow: GET`, any other path 404.
struct MetricsResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let registry: PrometheusCollectorRegistry
    let health: @Sendable () -> HealthReport

    /// The content type of the Prometheus text format 0.0.4.
    static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        guard path == "/metrics" || path == "/health" else {
            return Self.text(.notFound, "not found: only GET /metrics and GET /health are served\n")
        }
        guard request.method == .get else {
            var response = Self.text(.methodNotAllowed, "method not allowed: only GET\n")
            response.headers[.allow] = "GET"
            return response
        }
        if path == "/health" {
            let report = health()
            var response = Response(status: .init(code: report.httpStatus), body: .init(byteBuffer: ByteBuffer(bytes: report.json)))
            response.headers[.contentType] = "application/json"
            response.headers[.cacheControl] = "no-store"
            return response
        }
        // Refresh the gauges that describe the store from the same report /health serves.
        let report = health()
        Gauge(label: MetricsNames.lmdbUsedBytes).record(report.storeUsedBytes)
        if let round = report.lastRound { Gauge(label: MetricsNames.lastRound).record(Int64(clamping: round)) }
        var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        response.headers[.contentType] = Self.metricsContentType
        response.headers[.cacheControl] = "no-store"
        return response
    }

    static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var response = Response(status: status, body: .init(byteBuffer: ByteBuffer(string: text)))
        response.headers[.contentType] = "text/plain; charset=utf-8"
        return response
    }
}
