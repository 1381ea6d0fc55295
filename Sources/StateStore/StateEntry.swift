/// One key and its value in the flat state, copied out of the store.
public struct StateEntry: Hashable, Sendable {
    /// The raw key.
    public var key: [UInt8]
    /// The raw value.
    public var value: [UInt8]

    public init(key: [UInt8], value: [UInt8]) {
        self.key = key
        self.value = value
    }
}
