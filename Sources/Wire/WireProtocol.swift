import RegistryCore

/// Constants of the wire protocol (Docs/spec/protocol.md).
public enum WireProtocol {
    /// The protocol version this build speaks (`protocol_version` of every request and reply).
    public static let version: UInt32 = 1
    /// Every version this build accepts, for `Error.supported_versions` and `InfoResponse.protocol_versions`.
    public static let supportedVersions: [UInt32] = [1]
    /// The software version reported by Info.
    public static let softwareVersion = "0.1.0"
}
