import Foundation
import RegistryCore

extension AiRegistry_V1_TensorShape {
    /// The decoded view of a tensor shape.
    public init(_ shape: TensorShape) {
        self.init()
        dimensions = shape.dims
    }
}

extension AiRegistry_V1_Model {
    /// The decoded view of a stored model (the canonical bytes beside it are authoritative).
    public init(_ model: Model) {
        self.init()
        id = Data(model.id.bytes)
        name = model.name
        version = model.version
        owner = Data(model.owner.bytes)
        weightsHash = Data(model.weightsHash.bytes)
        sizeBytes = model.sizeBytes
        parameterCount = model.parameterCount
        architecture = model.architecture
        format = model.format
        category = model.category
        license = model.license
        sourceUri = model.sourceURI
        description_p = model.description
        tags = model.tags
        inputShape = AiRegistry_V1_TensorShape(model.inputShape)
        outputShape = AiRegistry_V1_TensorShape(model.outputShape)
        status = model.status.name
        registeredAt = model.registeredAt
        updatedAt = model.updatedAt
        if let activated = model.activatedAt { activatedAt = activated }
        rentPaidThrough = model.rentPaidThrough
        if let grace = model.rentGraceEnds { rentGraceEnds = grace }
        usageCount = model.usageCount
        usageUnits = model.usageUnits
        usageFees = model.usageFees
    }
}
