import RegistryCore

/// The per-round line's "notable events": lifecycle, governance and fee events by topic (status changes
/// by target status), in a fixed order; routine ones (fee charges, deposits, stake updates, votes,
/// usage) are left out.
public enum RoundSummary {
    static let order = ["model.registered", "model.updated", "model.transferred", "model.status", "proposal.submitted",
                        "proposal.tallied", "proposal.executed", "proposal.expired", "rent.charged", "rent.overdue",
                        "account.withdrawal", "parameters.changed", "fees.schedule_changed", "host.update_rejected"]

    public static func notableEvents(_ events: [RegistryEvent]) -> String {
        var counts = [Int](repeating: 0, count: order.count)
        var statuses = [Int](repeating: 0, count: ModelStatus.allCases.count)
        var tallies: [String] = []
        for event in events {
            if let index = order.firstIndex(of: event.topic) { counts[index] += 1 }
            if case .modelStatus(_, _, let to) = event, let index = ModelStatus.allCases.firstIndex(of: to) { statuses[index] += 1 }
            if case .proposalTallied(let id, let status, _, _, _, _) = event, tallies.count < 3 { tallies.append("#\(id) \(status.name)") }
        }
        var parts: [String] = []
        for (index, topic) in order.enumerated() where counts[index] > 0 {
            switch topic {
            case "model.status":
                let changes = ModelStatus.allCases.enumerated().filter { statuses[$0.offset] > 0 }.map { "→\($0.element.name)×\(statuses[$0.offset])" }
                parts.append("status " + changes.joined(separator: " "))
            case "proposal.tallied":
                parts.append("tallied " + tallies.joined(separator: ", ") + (counts[index] > tallies.count ? " …" : ""))
            default:
                parts.append(counts[index] > 1 ? "\(topic)×\(counts[index])" : topic)
            }
        }
        return parts.joined(separator: "  ")
    }
}
