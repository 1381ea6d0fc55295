/// One entry of the shell's metadata (the store's `meta` keys outside `store.`, e.g. the chain id and
/// the genesis round) that an import restores.
public struct SnapshotMetadataEntry: Sendable, Equatable {
    /// The raw key.
    public let key: [UInt8]
    /// The raw value.
    public let value: [UInt8]

    public init(key: [UInt8], value: [UInt8]) {
        self.key = key
        self.value = value
    }
}
