/// What a query client may do. A token carries a set of scopes; a CURVE client gets the scopes its
/// allow-list entry names; anonymous clients (when allowed) get `QueryServerConfiguration.anonymousScopes`.
/// Raw values are the names used in tokens, configuration and the CLI; bit positions are never reused.
public enum QueryScope: String, Sendable, CaseIterable, Comparable {
    /// Point reads and lists of state (models, proposals, accounts, parameters, votes, schedule,
    /// roots, round results), without proofs.
    case read
    /// Merkle proofs (`read.prove`) and raw key reads (`GetKey`); implies nothing else.
    case proofs
    /// Registry and fee statistics.
    case stats
    /// State-sync snapshots: `list_snapshots` and `get_snapshot_chunk` (whole-state downloads, ADR 0022).
    case snapshots

    /// The scope's bit in `QueryScope.Set`.
    public var bit: UInt32 {
        switch self {
        case .read: return 1 << 0
        case .proofs: return 1 << 1
        case .stats: return 1 << 2
        case .snapshots: return 1 << 3
        }
    }

    public static func < (a: QueryScope, b: QueryScope) -> Bool { a.bit < b.bit }

    /// A set of scopes as a bit mask (the form tokens store).
    public struct Set: Sendable, Hashable, CustomStringConvertible {
        /// The bits, one per `QueryScope`.
        public let mask: UInt32

        /// Every scope known to this build.
        public static let all = Set(QueryScope.allCases)
        /// No scope.
        public static let none = Set(mask: 0)

        public init(_ scopes: [QueryScope]) {
            var mask: UInt32 = 0
            for scope in scopes { mask |= scope.bit }
            self.mask = mask
        }

        /// The set with exactly these bits; nil when a bit names no known scope.
        public init?(validatingMask mask: UInt32) {
            guard mask & ~Set.all.mask == 0 else { return nil }
            self.mask = mask
        }

        private init(mask: UInt32) { self.mask = mask }

        /// Whether `scope` is in the set.
        public func contains(_ scope: QueryScope) -> Bool { mask & scope.bit != 0 }

        /// The scopes, in bit order.
        public var scopes: [QueryScope] { QueryScope.allCases.filter(contains) }

        /// Comma-separated names, e.g. `read,proofs`.
        public var description: String { scopes.map(\.rawValue).joined(separator: ",") }

        /// Parses a comma-separated list (`read,proofs`); an unknown or empty name is an error naming it.
        public static func parse(_ text: String) -> Result<Set, QueryScopeParseError> {
            var scopes: [QueryScope] = []
            for part in text.split(separator: ",", omittingEmptySubsequences: false) {
                let name = trimSpaces(part)
                guard let scope = QueryScope(rawValue: name) else {
                    return .failure(QueryScopeParseError(name: name))
                }
                scopes.append(scope)
            }
            return .success(Set(scopes))
        }
    }
}

/// A scope name that is not one of `QueryScope.allCases`.
public struct QueryScopeParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The offending name.
    public let name: String
    public var description: String {
        "unknown scope \"\(name)\" (known: \(QueryScope.allCases.map(\.rawValue).joined(separator: ", ")))"
    }
}

/// `text` without leading and trailing spaces.
func trimSpaces(_ text: Substring) -> String {
    var slice = text
    while slice.first == " " { slice = slice.dropFirst() }
    while slice.last == " " { slice = slice.dropLast() }
    return String(slice)
}
