extension FeeTable {
    /// Production defaults in base units (1 token = 10^8 base units); Docs/spec/fees.md, F-10.
    ///
    /// | operation | method | minimum | maximum |
    /// |---|---|---|---|
    /// | registration | linear(base 0.1, perUnit 0.01 per MiB) | 0.1 | 10 |
    /// | metadataUpdate | fixed 0.01 | 0 | 1 |
    /// | ownershipTransfer | fixed 0.05 | 0 | 1 |
    /// | proposal | fixed 0.1 | 0 | 10 |
    /// | vote | fixed 0 | 0 | 0.01 |
    /// | usage | logarithmic(base 0.0001, coefficient 0.001) | 0.0001 | 0.1 |
    /// | rent | linear(base 0, perUnit 10^-8 per MiB·round) | 0 | 1,000 |
    /// | withdrawal | fixed 0.001 | 0 | 0.1 |
    /// | proposalExecution | fixed 0.01 | 0 | 1 |
    /// | failedTransaction | fixed 0.0001 | 0 | 0.01 |
    public static let defaults = FeeTable { operation in
        switch operation {
        case .registration:
            return FeeSchedule(method: .linear(base: 10_000_000, perUnit: 1_000_000), minimum: 10_000_000, maximum: 1_000_000_000)
        case .metadataUpdate:
            return FeeSchedule(method: .fixed(1_000_000), minimum: 0, maximum: 100_000_000)
        case .ownershipTransfer:
            return FeeSchedule(method: .fixed(5_000_000), minimum: 0, maximum: 100_000_000)
        case .proposal:
            return FeeSchedule(method: .fixed(10_000_000), minimum: 0, maximum: 1_000_000_000)
        case .vote:
            return FeeSchedule(method: .fixed(0), minimum: 0, maximum: 1_000_000)
        case .usage:
            return FeeSchedule(method: .logarithmic(base: 10_000, coefficient: 100_000), minimum: 10_000, maximum: 10_000_000)
        case .rent:
            return FeeSchedule(method: .linear(base: 0, perUnit: 1), minimum: 0, maximum: 100_000_000_000)
        case .withdrawal:
            return FeeSchedule(method: .fixed(100_000), minimum: 0, maximum: 10_000_000)
        case .proposalExecution:
            return FeeSchedule(method: .fixed(1_000_000), minimum: 0, maximum: 100_000_000)
        case .failedTransaction:
            return FeeSchedule(method: .fixed(10_000), minimum: 0, maximum: 1_000_000)
        }
    }
}
