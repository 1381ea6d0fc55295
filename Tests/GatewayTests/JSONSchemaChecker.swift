import Foundation
@testable import RegistryNode

/// A JSON-schema checker for the subset Docs/openapi.json uses: `$ref` (to `#/…` in the document),
/// `type` (object, array, string, integer, boolean), `required`, `properties`,
/// `additionalProperties` (false or a schema), `items`, `enum`, `pattern`, `minimum`. Values are
/// `JSONSerialization` output. Returns every violation with its JSON path (empty when valid).
struct JSONSchemaChecker {
    /// The document `$ref`s resolve in.
    let document: [String: Any]

    func violations(_ value: Any, _ schema: [String: Any], path: String = "$") -> [String] {
        if let reference = schema["$ref"] as? String {
            guard let target = resolve(reference) else { return ["\(path): unresolvable $ref \(reference)"] }
            return violations(value, target, path: path)
        }
        var found: [String] = []
        if let type = schema["type"] as? String, !Self.has(type: type, value) {
            return ["\(path): expected \(type), got \(Self.describe(value))"]
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { Self.equal($0, value) }) {
            found.append("\(path): \(Self.describe(value)) is not one of \(options)")
        }
        if let pattern = schema["pattern"] as? String, let text = value as? String {
            let regex = try? NSRegularExpression(pattern: pattern)
            let range = NSRange(text.startIndex..., in: text)
            if regex?.firstMatch(in: text, range: range) == nil { found.append("\(path): \"\(text)\" does not match \(pattern)") }
        }
        if let minimum = schema["minimum"] as? NSNumber, let number = value as? NSNumber, !ConfigurationJSON.isBoolean(value),
           number.doubleValue < minimum.doubleValue {
            found.append("\(path): \(number) is below the minimum \(minimum)")
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for name in (schema["required"] as? [String] ?? []) where object[name] == nil {
                found.append("\(path): missing required property \"\(name)\"")
            }
            for name in object.keys.sorted() {
                let member = object[name] as Any
                if let property = properties[name] as? [String: Any] {
                    found += violations(member, property, path: path + "." + name)
                } else if let extra = schema["additionalProperties"] {
                    if let allowed = extra as? [String: Any] {
                        found += violations(member, allowed, path: path + "." + name)
                    } else if ConfigurationJSON.isBoolean(extra), (extra as? Bool) == false {
                        found.append("\(path): property \"\(name)\" is not allowed")
                    }
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, element) in array.enumerated() { found += violations(element, items, path: "\(path)[\(index)]") }
        }
        return found
    }

    /// The object a `#/a/b/c` reference names.
    func resolve(_ reference: String) -> [String: Any]? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: Any = document
        for part in reference.dropFirst(2).split(separator: "/") {
            guard let object = node as? [String: Any], let next = object[String(part)] else { return nil }
            node = next
        }
        return node as? [String: Any]
    }

    static func has(type: String, _ value: Any) -> Bool {
        switch type {
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "boolean": return ConfigurationJSON.isBoolean(value)
        case "integer":
            guard !ConfigurationJSON.isBoolean(value), let number = value as? NSNumber, !(value is String) else { return false }
            let double = number.doubleValue
            return double.isFinite && double == double.rounded(.towardZero)
        default: return false
        }
    }

    static func equal(_ a: Any, _ b: Any) -> Bool {
        if let x = a as? String, let y = b as? String { return x == y }
        if let x = a as? NSNumber, let y = b as? NSNumber, !(a is String), !(b is String) { return x == y }
        return false
    }

    static func describe(_ value: Any) -> String {
        if value is [String: Any] { return "an object" }
        if value is [Any] { return "an array" }
        if let text = value as? String { return "\"\(text)\"" }
        return "\(value)"
    }
}

/// Docs/openapi.json, read from the repository.
struct OpenAPIDocument {
    let root: [String: Any]

    static func load() throws -> OpenAPIDocument {
        // Tests/GatewayTests/<this file> → repository root.
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let data = try Data(contentsOf: repository.appendingPathComponent("Docs/openapi.json"))
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return OpenAPIDocument(root: root)
    }

    var checker: JSONSchemaChecker { JSONSchemaChecker(document: root) }

    var paths: [String: Any] { root["paths"] as? [String: Any] ?? [:] }

    /// The `get` operation of `path`.
    func operation(_ path: String) -> [String: Any]? { (paths[path] as? [String: Any])?["get"] as? [String: Any] }

    /// The parameters of `path`'s GET (references resolved): (name, in).
    func parameters(_ path: String) -> [(name: String, location: String)] {
        let list = operation(path)?["parameters"] as? [[String: Any]] ?? []
        return list.compactMap { entry in
            let resolved = (entry["$ref"] as? String).flatMap(checker.resolve) ?? entry
            guard let name = resolved["name"] as? String, let location = resolved["in"] as? String else { return nil }
            return (name, location)
        }
    }

    /// The JSON schema of `path`'s `status` response (references resolved), nil when undocumented.
    func schema(_ path: String, status: Int) -> [String: Any]? {
        guard var response = (operation(path)?["responses"] as? [String: Any])?[String(status)] as? [String: Any] else { return nil }
        if let reference = response["$ref"] as? String { response = checker.resolve(reference) ?? [:] }
        return ((response["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
    }

    /// The violations of a response on `path` with `status`; one violation when the status is undocumented.
    func violations(path: String, status: Int, body: String) -> [String] {
        guard let schema = schema(path, status: status) else { return ["\(path): status \(status) is not documented"] }
        guard let value = try? JSONSerialization.jsonObject(with: Data(body.utf8)) else { return ["\(path): body is not JSON: \(body.prefix(200))"] }
        return checker.violations(value, schema)
    }
}
