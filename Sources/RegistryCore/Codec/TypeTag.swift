/// The first byte of every canonically encoded value stored in state or signed.
///
/// Tags are never renumbered or reused (like result codes, D6): a new type takes the next free value.
public enum TypeTag: UInt8, Sendable, CaseIterable {
    case model = 0x01
    case account = 0x02
    case parameters = 0x03
    case proposal = 0x04
    case vote = 0x05
    case scheduleEntry = 0x06
    case queueCursor = 0x07
    case stakeCheckpoint = 0x08
    case feeStatistics = 0x09
    case registryStatistics = 0x0A
    case rateWindow = 0x0B
    case transactionBody = 0x0C
    case signedTransaction = 0x0D
    case event = 0x0E
    case indexEntry = 0x0F
    case counter = 0x10
    case roundSummary = 0x11
    case feeTotals = 0x12
}
