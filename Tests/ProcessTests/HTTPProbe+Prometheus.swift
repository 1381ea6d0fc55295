import TestSupport

extension HTTPProbe.Response {
    /// The value of an unlabelled or labelled Prometheus sample, e.g. `ai_registry_rounds_applied_total`
    /// or `ai_registry_transactions_total{code="ok"}` (labels as printed); nil when absent.
    func sample(_ series: String) -> Double? {
        for line in body.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            guard parts.count >= 2 else { continue }
            if parts[0] == series { return Double(parts[1]) }
        }
        return nil
    }

    /// The sum of every sample of a metric family (all label sets), e.g. all transactions by code.
    func sum(_ name: String) -> Double {
        var total = 0.0
        for line in body.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            guard parts.count >= 2 else { continue }
            let series = parts[0]
            if series == name || series.hasPrefix(name + "{") { total += Double(parts[1]) ?? 0 }
        }
        return total
    }
}
