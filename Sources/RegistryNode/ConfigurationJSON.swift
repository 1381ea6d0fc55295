import Foundation

/// A JSON object of the configuration file being read, with its key path for error messages. Strict:
/// `rejectUnknown` refuses keys the section does not define; getters refuse values of the wrong type.
struct ConfigurationJSON {
    let object: [String: Any]
    let path: String

    init(_ object: [String: Any], path: String) {
        self.object = object
        self.path = path
    }

    /// The full key path of `key` in this section.
    func key(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    func error(_ key: String, _ message: String) -> ConfigurationError {
        ConfigurationError(key: self.key(key), message: message)
    }

    /// Refuses any key not in `allowed` (the first unknown key in sorted order is named).
    func rejectUnknown(_ allowed: [String]) throws(ConfigurationError) {
        for name in object.keys.sorted() where !allowed.contains(name) {
            throw error(name, "unknown key (allowed here: \(allowed.joined(separator: ", ")))")
        }
    }

    func string(_ name: String) throws(ConfigurationError) -> String? {
        guard let value = object[name], !(value is NSNull) else { return nil }
        guard let text = value as? String else { throw error(name, "must be a string") }
        return text
    }

    func bool(_ name: String) throws(ConfigurationError) -> Bool? {
        guard let value = object[name], !(value is NSNull) else { return nil }
        guard Self.isBoolean(value), let flag = value as? Bool else { throw error(name, "must be true or false") }
        return flag
    }

    /// An integer (a JSON number without fraction that fits in Int64).
    func int(_ name: String) throws(ConfigurationError) -> Int? {
        guard let value = object[name], !(value is NSNull) else { return nil }
        guard !Self.isBoolean(value), let number = value as? NSNumber else { throw error(name, "must be an integer") }
        let double = number.doubleValue
        guard double.isFinite, double == double.rounded(.towardZero) else { throw error(name, "must be an integer") }
        let integer = number.int64Value
        guard Double(integer) == double else { throw error(name, "must be an integer within 64 bits") }
        return Int(integer)
    }

    func object(_ name: String) throws(ConfigurationError) -> ConfigurationJSON? {
        guard let value = object[name], !(value is NSNull) else { return nil }
        guard let inner = value as? [String: Any] else { throw error(name, "must be an object") }
        return ConfigurationJSON(inner, path: key(name))
    }

    /// The raw object of a section owned by another type (`init(json:path:)`).
    func rawObject(_ name: String) throws(ConfigurationError) -> [String: Any]? {
        guard let value = object[name], !(value is NSNull) else { return nil }
        guard let inner = value as? [String: Any] else { throw error(name, "must be an object") }
        return inner
    }

    func strings(_ name: String) throws(ConfigurationError) -> [String]? {
        guard let value = object[name], !(value is NSNull) else { return nil }
        guard let array = value as? [Any] else { throw error(name, "must be an array of strings") }
        var out: [String] = []
        for (index, element) in array.enumerated() {
            guard let text = element as? String else { throw error("\(name)[\(index)]", "must be a string") }
            out.append(text)
        }
        return out
    }

    /// Whether a JSONSerialization value is a JSON boolean (not the number 0 or 1). Foundation on Linux
    /// returns Swift `Bool` or a boolean `NSNumber` (objCType "c"/"B", or the class of `NSNumber(true)`).
    static func isBoolean(_ value: Any) -> Bool {
        if type(of: value) == Bool.self { return true }
        guard let number = value as? NSNumber else { return false }
        if ObjectIdentifier(type(of: number as AnyObject)) == ObjectIdentifier(type(of: NSNumber(value: true) as AnyObject))
            && ObjectIdentifier(type(of: number as AnyObject)) != ObjectIdentifier(type(of: NSNumber(value: 1) as AnyObject)) {
            return true
        }
        let type = String(cString: number.objCType)
        return type == "c" || type == "B"
    }
}
