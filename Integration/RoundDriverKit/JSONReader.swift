import Foundation

/// Why a JSON document (a scenario file) was refused: the path of the offending key and the reason.
public struct JSONReadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key path, e.g. `steps[3].actions[0].units`.
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// A strict reader of one JSON object (from `JSONSerialization`): typed getters that name the key path
/// in their errors, and `rejectUnknown` so a misspelt key is an error rather than silently ignored.
struct JSONReader {
    let object: [String: Any]
    let path: String

    init(_ object: [String: Any], path: String) {
        self.object = object
        self.path = path
    }

    /// Parses `data` as a JSON object.
    static func document(_ data: Data) throws(JSONReadError) -> JSONReader {
        let value: Any
        do { value = try JSONSerialization.jsonObject(with: data, options: []) } catch {
            throw JSONReadError(path: "", message: "not valid JSON: \(error.localizedDescription)")
        }
        guard let object = value as? [String: Any] else { throw JSONReadError(path: "", message: "the document must be a JSON object") }
        return JSONReader(object, path: "")
    }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func error(_ key: String, _ message: String) -> JSONReadError { JSONReadError(path: keyPath(key), message: message) }

    /// Refuses keys not in `known` (sorted, so the first unknown key reported is stable).
    func rejectUnknown(_ known: [String]) throws(JSONReadError) {
        for key in object.keys.sorted() where !known.contains(key) {
            throw error(key, "unknown key (expected one of: \(known.joined(separator: ", ")))")
        }
    }

    func has(_ key: String) -> Bool { object[key] != nil }

    func string(_ key: String) throws(JSONReadError) -> String? {
        guard let value = object[key] else { return nil }
        guard let text = value as? String else { throw error(key, "must be a string") }
        return text
    }

    func requiredString(_ key: String) throws(JSONReadError) -> String {
        guard let text = try string(key) else { throw error(key, "is required") }
        return text
    }

    /// A non-negative integer that fits in UInt64 (JSON numbers with a fraction are refused).
    func uint64(_ key: String) throws(JSONReadError) -> UInt64? {
        guard let value = object[key] else { return nil }
        return try Self.uint64(value, path: keyPath(key))
    }

    func requiredUInt64(_ key: String) throws(JSONReadError) -> UInt64 {
        guard let value = try uint64(key) else { throw error(key, "is required") }
        return value
    }

    static func uint64(_ value: Any, path: String) throws(JSONReadError) -> UInt64 {
        guard let number = value as? NSNumber else {
            throw JSONReadError(path: path, message: "must be a non-negative integer")
        }
        // NSNumber from JSONSerialization: integers keep their exact value; reject fractions and negatives.
        let text = number.stringValue
        guard let parsed = UInt64(text) else {
            throw JSONReadError(path: path, message: "must be a non-negative integer below 2^64 (got \(text))")
        }
        return parsed
    }

    func bool(_ key: String) throws(JSONReadError) -> Bool? {
        guard let value = object[key] else { return nil }
        guard let flag = value as? Bool else { throw error(key, "must be true or false") }
        return flag
    }

    func strings(_ key: String) throws(JSONReadError) -> [String]? {
        guard let value = object[key] else { return nil }
        guard let array = value as? [Any] else { throw error(key, "must be an array of strings") }
        var result: [String] = []
        for (index, item) in array.enumerated() {
            guard let text = item as? String else { throw JSONReadError(path: "\(keyPath(key))[\(index)]", message: "must be a string") }
            result.append(text)
        }
        return result
    }

    func uint64s(_ key: String) throws(JSONReadError) -> [UInt64]? {
        guard let value = object[key] else { return nil }
        guard let array = value as? [Any] else { throw error(key, "must be an array of integers") }
        var result: [UInt64] = []
        for (index, item) in array.enumerated() { result.append(try Self.uint64(item, path: "\(keyPath(key))[\(index)]")) }
        return result
    }

    func objectReader(_ key: String) throws(JSONReadError) -> JSONReader? {
        guard let value = object[key] else { return nil }
        guard let nested = value as? [String: Any] else { throw error(key, "must be an object") }
        return JSONReader(nested, path: keyPath(key))
    }

    func objects(_ key: String) throws(JSONReadError) -> [JSONReader]? {
        guard let value = object[key] else { return nil }
        guard let array = value as? [Any] else { throw error(key, "must be an array of objects") }
        var result: [JSONReader] = []
        for (index, item) in array.enumerated() {
            let itemPath = "\(keyPath(key))[\(index)]"
            guard let nested = item as? [String: Any] else { throw JSONReadError(path: itemPath, message: "must be an object") }
            result.append(JSONReader(nested, path: itemPath))
        }
        return result
    }

    /// The raw value (for keys that accept several types, e.g. `"amount": "all"` or a number).
    func raw(_ key: String) -> Any? { object[key] }
}
