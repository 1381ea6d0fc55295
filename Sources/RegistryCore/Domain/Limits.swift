/// Fixed validation limits of the registry (Docs/spec/lifecycle.md, LC-4). Not governance parameters:
/// changing one is a protocol upgrade.
public enum Limits {
    public static let maxModelSizeBytes: UInt64 = 100 * 1024 * 1024
    public static let maxParameterCount: UInt64 = 1_000_000_000
    public static let maxNameLength = 64
    public static let maxVersionLength = 32
    public static let maxShortTextLength = 64
    public static let maxLicenseLength = 64
    public static let maxSourceURILength = 256
    public static let maxDescriptionLength = 1024
    public static let maxTags = 16
    public static let maxTagLength = 32
    public static let maxShapeDims = 8
    public static let maxShapeDim: UInt32 = 1 << 20
    public static let maxChainIDLength = 64
    public static let maxProposalTextLength = 2048
    public static let maxUsageUnits: UInt64 = 1_000_000_000
    /// Accepted source URI schemes (LC-4).
    public static let uriSchemes = ["https://", "ipfs://", "ar://", "hf://"]
}
