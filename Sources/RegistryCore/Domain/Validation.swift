/// The validation rules of model fields (LC-4). Each returns nil when valid, else the rejection.
public enum Validation {
    static func isAlnum(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }

    /// `[A-Za-z0-9._-]`, starting alphanumeric, 1…limit bytes.
    public static func isIdentifier(_ s: String, limit: Int) -> Bool {
        withUTF8(s) { u in
            guard !u.isEmpty, u.count <= limit, isAlnum(u[0]) else { return false }
            for byte in u where !(isAlnum(byte) || byte == 0x2E || byte == 0x5F || byte == 0x2D) { return false }
            return true
        }
    }

    /// Runs `body` over the string's UTF-8 bytes: in place when the storage is contiguous (native
    /// strings), else over a copy. The byte rules used to copy every string into an array first.
    @inline(__always)
    static func withUTF8<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = s.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(s.utf8).withUnsafeBufferPointer(body)
    }

    /// No control characters (C0, DEL, C1), at most `limit` bytes, optionally non-empty.
    public static func isText(_ s: String, limit: Int, required: Bool) -> Bool {
        if s.utf8.count > limit || (required && s.isEmpty) { return false }
        // ASCII fast path over the contiguous UTF-8 bytes (the scalar walk was ~2.5 % of execution;
        // iterating `utf8` byte by byte was slower still): a byte below 0x80 is a whole scalar, so a
        // control byte there fails the scalar rule too; C1 controls (U+0080…U+009F) are never ASCII,
        // so only strings with a non-ASCII byte (verdict nil) need the scalar walk.
        let verdict = s.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
            for byte in bytes {
                if byte >= 0x80 { return nil }
                if byte < 0x20 || byte == 0x7F { return false }
            }
            return true
        }
        if let verdict, let known = verdict { return known }
        return s.unicodeScalars.allSatisfy { $0.value >= 0x20 && !($0.value >= 0x7F && $0.value <= 0x9F) }
    }

    /// One of the accepted schemes followed by at least one printable non-space ASCII character.
    public static func isSourceURI(_ s: String) -> Bool {
        withUTF8(s) { u in
            guard u.count <= Limits.maxSourceURILength else { return false }
            for scheme in Limits.uriSchemes {
                // nil: this scheme is not a proper prefix; else the verdict on the rest.
                let verdict: Bool? = withUTF8(scheme) { p in
                    guard u.count > p.count else { return nil }
                    for i in 0..<p.count where u[i] != p[i] { return nil }
                    for i in p.count..<u.count where !(u[i] > 0x20 && u[i] < 0x7F) { return false }
                    return true
                }
                if let verdict { return verdict }
            }
            return false
        }
    }

    /// `[a-z0-9-]` tags, 1…32 bytes, at most 16, no duplicates.
    public static func areTags(_ tags: [String]) -> Bool {
        guard tags.count <= Limits.maxTags else { return false }
        for (i, tag) in tags.enumerated() {
            let valid = withUTF8(tag) { u in
                guard !u.isEmpty, u.count <= Limits.maxTagLength else { return false }
                for byte in u where !((byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D) { return false }
                return true
            }
            guard valid else { return false }
            for j in 0..<i where tags[j] == tag { return false }
        }
        return true
    }

    /// Every registration rule (LC-4), in a fixed order; the first failure wins.
    public static func check(_ r: ModelRegistration) -> (ResultCode, String)? {
        if !isIdentifier(r.name, limit: Limits.maxNameLength) { return (.invalidModelName, "name") }
        if !isIdentifier(r.version, limit: Limits.maxVersionLength) { return (.invalidModelVersion, "version") }
        if r.sizeBytes == 0 || r.sizeBytes > Limits.maxModelSizeBytes { return (.invalidModelSize, "sizeBytes \(r.sizeBytes)") }
        if r.parameterCount == 0 || r.parameterCount > Limits.maxParameterCount {
            return (.invalidParameterCount, "parameterCount \(r.parameterCount)")
        }
        if let f = checkTexts(architecture: r.architecture, format: r.format, category: r.category, license: r.license,
                              description: r.description) { return f }
        if !isSourceURI(r.sourceURI) { return (.invalidSourceURI, "sourceURI") }
        if !areTags(r.tags) { return (.invalidTags, "tags") }
        if !r.inputShape.isValid { return (.invalidShape, "inputShape") }
        if !r.outputShape.isValid { return (.invalidShape, "outputShape") }
        return nil
    }

    static func checkTexts(architecture: String?, format: String?, category: String?, license: String?,
                           description: String?) -> (ResultCode, String)? {
        if let a = architecture, !isText(a, limit: Limits.maxShortTextLength, required: true) { return (.invalidTextField, "architecture") }
        if let f = format, !isText(f, limit: Limits.maxShortTextLength, required: true) { return (.invalidTextField, "format") }
        // Category is an index key: identifier charset.
        if let c = category, !isIdentifier(c, limit: Limits.maxShortTextLength) { return (.invalidTextField, "category") }
        if let l = license, !isText(l, limit: Limits.maxLicenseLength, required: true) { return (.invalidTextField, "license") }
        if let d = description, !isText(d, limit: Limits.maxDescriptionLength, required: false) { return (.invalidTextField, "description") }
        return nil
    }

    /// The rules of a metadata update (LC-4 for each present field).
    public static func check(_ u: MetadataUpdate) -> (ResultCode, String)? {
        if let f = checkTexts(architecture: u.architecture, format: u.format, category: u.category, license: u.license,
                              description: u.description) { return f }
        if let s = u.sourceURI, !isSourceURI(s) { return (.invalidSourceURI, "sourceURI") }
        if let t = u.tags, !areTags(t) { return (.invalidTags, "tags") }
        if let s = u.sizeBytes, s == 0 || s > Limits.maxModelSizeBytes { return (.invalidModelSize, "sizeBytes \(s)") }
        if let p = u.parameterCount, p == 0 || p > Limits.maxParameterCount { return (.invalidParameterCount, "parameterCount \(p)") }
        return nil
    }
}
