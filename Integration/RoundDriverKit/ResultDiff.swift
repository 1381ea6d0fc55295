import Foundation
import Wire

/// The differences between the round result a replica answered and the one expected (the reference's,
/// or a replay's original), field by field; empty when they are equal. `replayed` is not compared.
public enum ResultDiff {
    /// At most this many per-transaction and per-event differences are listed.
    public static let listLimit = 10

    public static func compare(expected: AiRegistry_V1_RoundResult, actual: AiRegistry_V1_RoundResult) -> [String] {
        var found: [String] = []
        if expected.round != actual.round { found.append("round: expected \(expected.round), got \(actual.round)") }
        if expected.root != actual.root {
            found.append("root: expected \(KeyDescription.hex([UInt8](expected.root))), got \(KeyDescription.hex([UInt8](actual.root)))")
        }
        if expected.writeCount != actual.writeCount { found.append("write_count: expected \(expected.writeCount), got \(actual.writeCount)") }
        if expected.results.count != actual.results.count {
            found.append("results: expected \(expected.results.count) results, got \(actual.results.count)")
        }
        var listed = 0
        for (index, pair) in zip(expected.results, actual.results).enumerated() where pair.0 != pair.1 && listed < listLimit {
            listed += 1
            let (e, a) = pair
            var parts: [String] = []
            if e.txID != a.txID { parts.append("tx_id differs") }
            if e.code != a.code { parts.append("code \(e.codeName)(\(e.code)) vs \(a.codeName)(\(a.code))") }
            if e.feeCharged != a.feeCharged { parts.append("fee \(e.feeCharged) vs \(a.feeCharged)") }
            if e.log != a.log { parts.append("log \"\(e.log)\" vs \"\(a.log)\"") }
            if e.firstEvent != a.firstEvent || e.eventCount != a.eventCount {
                parts.append("events \(e.firstEvent)+\(e.eventCount) vs \(a.firstEvent)+\(a.eventCount)")
            }
            found.append("tx \(index): " + (parts.isEmpty ? "differs" : parts.joined(separator: ", ")))
        }
        if expected.events.count != actual.events.count {
            found.append("events: expected \(expected.events.count), got \(actual.events.count)")
        }
        listed = 0
        for (index, pair) in zip(expected.events, actual.events).enumerated() where pair.0 != pair.1 && listed < listLimit {
            listed += 1
            found.append("event \(index): expected \(pair.0.topic), got \(pair.1.topic)\(pair.0.topic == pair.1.topic ? " (data differs)" : "")")
        }
        if expected.fees != actual.fees {
            let e = expected.fees, a = actual.fees
            found.append("fees: expected collected \(e.collected) treasury \(e.treasury) owners \(e.ownerShares) burned \(e.burned) withdrawn \(e.withdrawn) deposited \(e.deposited); got collected \(a.collected) treasury \(a.treasury) owners \(a.ownerShares) burned \(a.burned) withdrawn \(a.withdrawn) deposited \(a.deposited)")
        }
        return found
    }
}
