// The mapping between the generated protobuf types and RegistryCore lands here.
