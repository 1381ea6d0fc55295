import Sodium

/// A registered AI model (Docs/spec/lifecycle.md). Stored under `StateKey.model(id)` with tag `0x01`.
public struct Model: Equatable, Sendable, CanonicalCodable {
    public var id: ModelID
    public var name: String
    public var version: String
    public var owner: AccountID
    public var weightsHash: Digest256
    public var sizeBytes: UInt64
    public var parameterCount: UInt64
    public var architecture: String
    public var format: String
    public var category: String
    public var license: String
    public var sourceURI: String
    public var description: String
    public var tags: [String]
    public var inputShape: TensorShape
    public var outputShape: TensorShape
    public var status: ModelStatus
    public var registeredAt: Round
    public var updatedAt: Round
    /// The round the model became Active (nil until then).
    public var activatedAt: Round?
    /// The round rent was last paid up to (set at activation).
    public var rentPaidThrough: Round
    /// The round the grace period ends, while rent is unpaid (ADR 0006).
    public var rentGraceEnds: Round?
    public var usageCount: UInt64
    public var usageUnits: UInt64
    public var usageFees: Amount

    public init(id: ModelID, name: String, version: String, owner: AccountID, weightsHash: Digest256,
                sizeBytes: UInt64, parameterCount: UInt64, architecture: String, format: String,
                category: String, license: String, sourceURI: String, description: String, tags: [String],
                inputShape: TensorShape, outputShape: TensorShape, status: ModelStatus, registeredAt: Round,
                updatedAt: Round, activatedAt: Round? = nil, rentPaidThrough: Round = 0,
                rentGraceEnds: Round? = nil, usageCount: UInt64 = 0, usageUnits: UInt64 = 0, usageFees: Amount = 0) {
        self.id = id; self.name = name; self.version = version; self.owner = owner
        self.weightsHash = weightsHash; self.sizeBytes = sizeBytes; self.parameterCount = parameterCount
        self.architecture = architecture; self.format = format; self.category = category
        self.license = license; self.sourceURI = sourceURI; self.description = description; self.tags = tags
        self.inputShape = inputShape; self.outputShape = outputShape; self.status = status
        self.registeredAt = registeredAt; self.updatedAt = updatedAt; self.activatedAt = activatedAt
        self.rentPaidThrough = rentPaidThrough; self.rentGraceEnds = rentGraceEnds
        self.usageCount = usageCount; self.usageUnits = usageUnits; self.usageFees = usageFees
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(TypeTag.model.rawValue)
        writer.write(id); writer.write(name); writer.write(version); writer.write(owner)
        writer.write(weightsHash); writer.write(sizeBytes); writer.write(parameterCount)
        writer.write(architecture); writer.write(format); writer.write(category); writer.write(license)
        writer.write(sourceURI); writer.write(description); writer.write(tags)
        writer.write(inputShape); writer.write(outputShape); writer.write(status)
        writer.write(registeredAt); writer.write(updatedAt); writer.writeOptional(activatedAt)
        writer.write(rentPaidThrough); writer.writeOptional(rentGraceEnds)
        writer.write(usageCount); writer.write(usageUnits); writer.write(usageFees)
    }

    /// The canonical bytes (as the protocol's `canonicalBytes()`), written into one allocation sized up
    /// front: the default 64-byte writer regrew three or four times per model encode.
    public func canonicalBytes() -> [UInt8] {
        var strings = name.utf8.count + version.utf8.count + architecture.utf8.count + format.utf8.count
        strings += category.utf8.count + license.utf8.count + sourceURI.utf8.count + description.utf8.count
        for tag in tags { strings += 4 + tag.utf8.count }
        var writer = CanonicalWriter(capacity: 320 + strings)
        encode(to: &writer)
        return writer.bytes
    }

    public init(from reader: inout CanonicalReader) throws(CodecError) {
        try reader.expectTag(.model)
        id = try ModelID(from: &reader)
        name = try reader.readString("name", limit: Limits.maxNameLength)
        version = try reader.readString("version", limit: Limits.maxVersionLength)
        owner = try AccountID(from: &reader)
        weightsHash = try reader.readDigest("weights hash")
        sizeBytes = try reader.readUInt64("size")
        parameterCount = try reader.readUInt64("parameter count")
        architecture = try reader.readString("architecture", limit: Limits.maxShortTextLength)
        format = try reader.readString("format", limit: Limits.maxShortTextLength)
        category = try reader.readString("category", limit: Limits.maxShortTextLength)
        license = try reader.readString("license", limit: Limits.maxLicenseLength)
        sourceURI = try reader.readString("source uri", limit: Limits.maxSourceURILength)
        description = try reader.readString("description", limit: Limits.maxDescriptionLength)
        tags = try reader.readStrings("tags", maxCount: Limits.maxTags, maxLength: Limits.maxTagLength)
        inputShape = try TensorShape(from: &reader)
        outputShape = try TensorShape(from: &reader)
        status = try ModelStatus(from: &reader)
        registeredAt = try reader.readUInt64("registered at")
        updatedAt = try reader.readUInt64("updated at")
        activatedAt = try reader.readOptionalUInt64("activated at")
        rentPaidThrough = try reader.readUInt64("rent paid through")
        rentGraceEnds = try reader.readOptionalUInt64("rent grace ends")
        usageCount = try reader.readUInt64("usage count")
        usageUnits = try reader.readUInt64("usage units")
        usageFees = try reader.readUInt64("usage fees")
    }
}
