/// The lifecycle status of a model (Docs/spec/lifecycle.md). Raw values are stored and never renumbered.
public enum ModelStatus: UInt8, Sendable, CaseIterable, Comparable, CanonicalCodable {
    case pending = 1
    case approved = 2
    case active = 3
    case deprecated = 4
    case rejected = 5
    case suspended = 6
    case revoked = 7

    /// The explicit transition table (LC-2). Every status change goes through it.
    public static let transitions: [(from: ModelStatus, to: ModelStatus)] = [
        (.pending, .approved), (.pending, .rejected),
        (.approved, .active),
        (.active, .deprecated), (.active, .suspended),
        (.suspended, .active), (.suspended, .deprecated),
        (.pending, .revoked), (.approved, .revoked), (.active, .revoked),
        (.suspended, .revoked), (.deprecated, .revoked), (.rejected, .revoked),
    ]

    /// Whether `self → next` is in the table.
    public func canTransition(to next: ModelStatus) -> Bool {
        ModelStatus.transitions.contains { $0.from == self && $0.to == next }
    }

    public var name: String { String(describing: self) }
    public static func < (a: ModelStatus, b: ModelStatus) -> Bool { a.rawValue < b.rawValue }

    public func encode(to writer: inout CanonicalWriter) { writer.write(rawValue) }
    public init(from reader: inout CanonicalReader) throws(CodecError) {
        let raw = try reader.readUInt8("model status")
        guard let status = ModelStatus(rawValue: raw) else { throw .unknownDiscriminant(field: "model status", value: UInt64(raw)) }
        self = status
    }
}
