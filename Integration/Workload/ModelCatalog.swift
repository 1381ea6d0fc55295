import RegistryCore
import Sodium

/// Realistic registration content drawn from a seeded generator: families, architectures, formats,
/// licenses, categories, tags and shapes of the kind a model registry holds.
enum ModelCatalog {
    static let families = ["resnet", "bert", "llama", "whisper", "vit", "t5", "gpt-neo", "clip", "yolo", "sam",
                           "mistral", "phi", "gemma", "falcon", "stable-diffusion", "wav2vec", "roberta", "deberta",
                           "efficientnet", "mobilenet", "unet", "detr", "bloom", "qwen"]
    static let architectures = ["ResNet-50", "Transformer encoder", "Transformer decoder", "Encoder-decoder", "ViT-B/16",
                                "CNN", "Diffusion U-Net", "Mixture of experts", "Conformer"]
    static let formats = ["onnx", "safetensors", "gguf", "pytorch", "tflite", "coreml"]
    static let licenses = ["Apache-2.0", "MIT", "BSD-3-Clause", "CC-BY-4.0", "OpenRAIL-M", "Llama-2-Community"]
    static let categories = ["vision", "nlp", "speech", "multimodal", "generative", "detection", "embedding", "tabular"]
    static let tags = ["cnn", "transformer", "quantized", "int8", "fp16", "distilled", "multilingual", "instruct", "chat",
                       "segmentation", "classification", "asr", "tts", "retrieval", "open-weights", "edge", "lora"]
    static let words = ["fast", "accurate", "small", "large", "robust", "fine-tuned", "model", "for", "the", "registry",
                        "trained", "on", "public", "data", "with", "evaluation", "results", "and", "benchmarks"]

    static func pick<T>(_ list: [T], _ rng: inout SplitMix64) -> T { list[Int(rng.below(UInt64(list.count)))] }

    /// Up to `max` distinct tags from the list, in list order.
    static func tagSet(_ rng: inout SplitMix64, max: Int = 4) -> [String] {
        let count = Int(rng.below(UInt64(max + 1)))
        var chosen: [String] = []
        for _ in 0..<count {
            let tag = pick(tags, &rng)
            if !chosen.contains(tag) { chosen.append(tag) }
        }
        return tags.filter { chosen.contains($0) }
    }

    static func sentence(_ rng: inout SplitMix64, words count: Int) -> String {
        (0..<count).map { _ in pick(words, &rng) }.joined(separator: " ")
    }

    /// A valid registration of `name` at `version`.
    static func registration(name: String, version: String, _ rng: inout SplitMix64) -> ModelRegistration {
        let sizeBytes = 1 + rng.below(Limits.maxModelSizeBytes)
        let parameterCount = 1 + rng.below(Limits.maxParameterCount)
        let input: [UInt32] = rng.below(2) == 0 ? [1, 3, 224, 224] : [1, 0, 768]
        let output: [UInt32] = [1, UInt32(1 + rng.below(1_000))]
        return ModelRegistration(
            name: name, version: version, weightsHash: Blake2b.hash256(rng.bytes(16)), sizeBytes: sizeBytes,
            parameterCount: parameterCount, architecture: pick(architectures, &rng), format: pick(formats, &rng),
            category: pick(categories, &rng), license: pick(licenses, &rng),
            sourceURI: "https://models.example.org/\(name)/\(version)",
            description: sentence(&rng, words: 4 + Int(rng.below(16))), tags: tagSet(&rng),
            inputShape: TensorShape(input), outputShape: TensorShape(output))
    }

    /// A non-empty update of fields that may always change.
    static func openUpdate(_ rng: inout SplitMix64) -> MetadataUpdate {
        var update = MetadataUpdate()
        switch rng.below(4) {
        case 0: update.description = sentence(&rng, words: 3 + Int(rng.below(12)))
        case 1: update.tags = tagSet(&rng)
        case 2: update.license = pick(licenses, &rng); update.category = pick(categories, &rng)
        default: update.sourceURI = "ipfs://bafy\(Hex.encode(rng.bytes(12)))"
        }
        return update
    }
}
