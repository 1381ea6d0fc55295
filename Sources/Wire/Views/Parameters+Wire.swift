import Foundation
import RegistryCore

extension AiRegistry_V1_Parameters {
    /// The decoded view of the governance parameters: every numeric parameter by name, in `ParameterID`
    /// order, and every fee schedule with its canonical bytes and a readable formula.
    public init(_ parameters: Parameters) {
        self.init()
        values = ParameterID.allCases.map { id in
            var entry = AiRegistry_V1_Parameter()
            entry.name = id.name
            entry.value = parameters.value(of: id)
            return entry
        }
        fees = parameters.feeTable.entries.map { entry in
            var view = AiRegistry_V1_FeeScheduleView()
            view.operation = entry.operation.description
            view.schedule = Data(entry.schedule.canonicalBytes())
            view.description_p = FeeScheduleText.describe(entry.schedule)
            return view
        }
    }
}

/// Human-readable fee formulas, e.g. `linear(base: 1000, perUnit: 10) clamped to [0, 1000000]`.
public enum FeeScheduleText {
    /// The formula of a schedule with its bounds.
    public static func describe(_ schedule: FeeSchedule) -> String {
        let method: String
        switch schedule.method {
        case .fixed(let amount): method = "fixed(\(amount))"
        case .linear(let base, let perUnit): method = "linear(base: \(base), perUnit: \(perUnit))"
        case .logarithmic(let base, let coefficient): method = "logarithmic(base: \(base), coefficient: \(coefficient))"
        case .step(let tiers):
            method = "step(" + tiers.map { "≤\($0.upToUnits): \($0.amount)" }.joined(separator: ", ") + ")"
        }
        return method + " clamped to [\(schedule.minimum), \(schedule.maximum)]"
    }
}
