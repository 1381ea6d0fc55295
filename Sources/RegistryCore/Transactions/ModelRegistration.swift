import Sodium

/// The fields a `registerModel` transaction supplies (the rest is set by the registry).
public struct ModelRegistration: Equatable, Sendable, CanonicalCodable {
    public var name: String
    public var version: String
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

    public init(name: String, version: String, weightsHash: Digest256, sizeBytes: UInt64, parameterCount: UInt64,
                architecture: String, format: String, category: String, license: String, sourceURI: String,
                description: String, tags: [String], inputShape: TensorShape, outputShape: TensorShape) {
        self.name = name; self.version = version; self.weightsHash = weightsHash; self.sizeBytes = sizeBytes
        self.parameterCount = parameterCount; self.architecture = architecture; self.format = format
        self.category = category; self.license = license; self.sourceURI = sourceURI
        self.description = description; self.tags = tags; self.inputShape = inputShape; self.outputShape = outputShape
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(name); writer.write(version); writer.write(weightsHash); writer.write(sizeBytes)
        writer.write(parameterCount); writer.write(architecture); writer.write(format); writer.write(category)
        writer.write(license); writer.write(sourceURI); writer.write(description); writer.write(tags)
        writer.write(inputShape); writer.write(outputShape)
    }

    public init(from reader: inout CanonicalReader) throws(CodecError) {
        name = try reader.readString("name", limit: Limits.maxNameLength)
        version = try reader.readString("version", limit: Limits.maxVersionLength)
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
    }
}

/// An `updateModelMetadata` change: each present field replaces the model's. Description, license,
/// source URI, tags and category may always change; architecture, format, weights hash, size and
/// parameter count only while Pending (LC-6). Shapes, name and version never change (new version instead).
public struct MetadataUpdate: Equatable, Sendable, CanonicalCodable {
    public var description: String?
    public var license: String?
    public var sourceURI: String?
    public var tags: [String]?
    public var category: String?
    public var architecture: String?
    public var format: String?
    public var weightsHash: Digest256?
    public var sizeBytes: UInt64?
    public var parameterCount: UInt64?

    public init(description: String? = nil, license: String? = nil, sourceURI: String? = nil, tags: [String]? = nil,
                category: String? = nil, architecture: String? = nil, format: String? = nil,
                weightsHash: Digest256? = nil, sizeBytes: UInt64? = nil, parameterCount: UInt64? = nil) {
        self.description = description; self.license = license; self.sourceURI = sourceURI; self.tags = tags
        self.category = category; self.architecture = architecture; self.format = format
        self.weightsHash = weightsHash; self.sizeBytes = sizeBytes; self.parameterCount = parameterCount
    }

    /// Whether a field frozen after Pending is present.
    public var touchesFrozenFields: Bool {
        architecture != nil || format != nil || weightsHash != nil || sizeBytes != nil || parameterCount != nil
    }

    public var isEmpty: Bool {
        description == nil && license == nil && sourceURI == nil && tags == nil && category == nil && !touchesFrozenFields
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.writeOptional(description); writer.writeOptional(license); writer.writeOptional(sourceURI)
        if let tags { writer.write(UInt8(1)); writer.write(tags) } else { writer.write(UInt8(0)) }
        writer.writeOptional(category); writer.writeOptional(architecture); writer.writeOptional(format)
        writer.writeOptional(weightsHash); writer.writeOptional(sizeBytes); writer.writeOptional(parameterCount)
    }

    public init(from reader: inout CanonicalReader) throws(CodecError) {
        description = try reader.readOptionalString("description", limit: Limits.maxDescriptionLength)
        license = try reader.readOptionalString("license", limit: Limits.maxLicenseLength)
        sourceURI = try reader.readOptionalString("source uri", limit: Limits.maxSourceURILength)
        tags = try reader.readPresence("tags")
            ? try reader.readStrings("tags", maxCount: Limits.maxTags, maxLength: Limits.maxTagLength) : nil
        category = try reader.readOptionalString("category", limit: Limits.maxShortTextLength)
        architecture = try reader.readOptionalString("architecture", limit: Limits.maxShortTextLength)
        format = try reader.readOptionalString("format", limit: Limits.maxShortTextLength)
        weightsHash = try reader.readOptionalDigest("weights hash")
        sizeBytes = try reader.readOptionalUInt64("size")
        parameterCount = try reader.readOptionalUInt64("parameter count")
    }
}
