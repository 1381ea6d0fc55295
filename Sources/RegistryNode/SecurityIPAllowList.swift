#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A list of IPv4/IPv6 addresses and CIDR blocks (`127.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`) that the
/// ZAP handler checks a TCP client's source address against. Addresses are compared as bytes
/// (`inet_pton`); an IPv4-mapped IPv6 address (`::ffff:10.1.2.3`) matches IPv4 entries.
public struct IPAllowList: Sendable, Equatable {
    /// One address or block.
    public struct Entry: Sendable, Equatable {
        /// The network address bytes (4 or 16).
        public let address: [UInt8]
        /// The prefix length in bits.
        public let prefixLength: Int

        /// Parses `a.b.c.d`, `a.b.c.d/n`, an IPv6 literal or `ipv6/n`; nil if malformed.
        public init?(_ text: String) {
            var host = Substring(text)
            var length: Int?
            if let slash = text.firstIndex(of: "/") {
                host = text[..<slash]
                guard let bits = Int(text[text.index(after: slash)...]) else { return nil }
                length = bits
            }
            guard let bytes = IPAllowList.parse(String(host)) else { return nil }
            let maxBits = bytes.count * 8
            let bits = length ?? maxBits
            guard (0...maxBits).contains(bits) else { return nil }
            address = bytes
            prefixLength = bits
        }

        /// Whether `bytes` (same family) lies in the block.
        func contains(_ bytes: [UInt8]) -> Bool {
            guard bytes.count == address.count else { return false }
            var remaining = prefixLength
            for index in 0..<bytes.count where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if bytes[index] & mask != address[index] & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    /// The entries, in configuration order.
    public let entries: [Entry]

    /// The list of `texts`; nil if any is malformed.
    public init?(_ texts: [String]) {
        var parsed: [Entry] = []
        for text in texts {
            guard let entry = Entry(text) else { return nil }
            parsed.append(entry)
        }
        entries = parsed
    }

    /// Whether the list is empty (then every address is allowed).
    public var isEmpty: Bool { entries.isEmpty }

    /// Whether `address` (the ZAP request's address text) is allowed: always for an empty list; never
    /// for an unparsable address.
    public func allows(_ address: String) -> Bool {
        if entries.isEmpty { return true }
        guard var bytes = Self.parse(address) else { return false }
        if bytes.count == 16, bytes.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] {
            let mapped = Array(bytes.suffix(4))
            if entries.contains(where: { $0.contains(mapped) }) { return true }
            bytes = Array(bytes)
        }
        return entries.contains { $0.contains(bytes) }
    }

    /// The bytes of an IPv4 or IPv6 literal (`inet_pton`), nil otherwise.
    static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: v6) { Array($0) } }
        return nil
    }
}
