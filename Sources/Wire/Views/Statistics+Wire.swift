import Foundation
import RegistryCore

extension AiRegistry_V1_RegistryStatistics {
    /// The decoded view of the registry statistics; `models_by_status` is keyed by status name and
    /// lists every status (zero counts included).
    public init(_ statistics: RegistryStatistics) {
        self.init()
        for status in ModelStatus.allCases {
            let index = Int(status.rawValue) - 1
            modelsByStatus[status.name] = index < statistics.countsByStatus.count ? statistics.countsByStatus[index] : 0
        }
        totalSizeBytes = statistics.totalSizeBytes
        totalParameters = statistics.totalParameters
        registrations = statistics.registrations
        usageCount = statistics.usageCount
        usageUnits = statistics.usageUnits
        usageFees = statistics.usageFees
    }
}

extension AiRegistry_V1_FeeTotals {
    /// The decoded view of the chain-wide fee totals.
    public init(_ totals: FeeTotals) {
        self.init()
        collected = totals.collected
        treasury = totals.treasury
        burned = totals.burned
        ownerShares = totals.ownerShares
        depositsHeld = totals.depositsHeld
        withdrawn = totals.withdrawn
        deposited = totals.deposited
    }
}

extension AiRegistry_V1_FeeStatistics {
    /// The decoded view of fee statistics (one operation, model or account).
    public init(_ statistics: FeeStatistics) {
        self.init()
        count = statistics.count
        total = statistics.total
    }
}

extension AiRegistry_V1_OperationFeeStatistics {
    /// The fee statistics of one operation type.
    public init(operation: FeeOperation, statistics: FeeStatistics) {
        self.init()
        self.operation = operation.description
        self.statistics = AiRegistry_V1_FeeStatistics(statistics)
    }
}
