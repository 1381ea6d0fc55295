import RegistryCore
import Sodium

/// A per-key comparison of what two replicas hold after a round (D10: the root commits to every key,
/// so two roots differ exactly when some key's value differs).
public enum WriteSetDiff {
    /// What one side has at a key.
    public enum Side: Equatable, Sendable, CustomStringConvertible {
        /// The key holds this value after the round.
        case value([UInt8])
        /// The key is absent after the round (deleted, or never present).
        case absent
        /// The side did not write the key in the round (its value is whatever it was before).
        case notWritten
        /// The side could not be read (query failed, round pruned, proof invalid).
        case unreadable(String)

        public var description: String {
            switch self {
            case .value(let bytes): return KeyDescription.value(bytes)
            case .absent: return "(absent)"
            case .notWritten: return "(not written this round)"
            case .unreadable(let why): return "(unreadable: \(why))"
            }
        }
    }

    /// One key whose sides differ.
    public struct Difference: Equatable, Sendable, CustomStringConvertible {
        public var key: [UInt8]
        public var reference: Side
        public var other: Side

        /// The first byte where two values differ, when both sides hold a value.
        public var firstDifference: Int? {
            guard case .value(let a) = reference, case .value(let b) = other else { return nil }
            return zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        }

        public var description: String {
            var text = "\(KeyDescription.key(key))\n    reference: \(reference)\n    plugin:    \(other)"
            if let offset = firstDifference, offset >= 40, case .value(let a) = reference, case .value(let b) = other {
                text += "\n    first difference at byte \(offset): reference …\(KeyDescription.hex(Array(a.dropFirst(offset).prefix(16))))"
                    + " plugin …\(KeyDescription.hex(Array(b.dropFirst(offset).prefix(16))))"
            }
            return text
        }
    }

    /// The keys where two write sets (each sorted by key, as `RoundOutcome.writes`) differ: a key
    /// written by one side only, or written with different values (a delete is `.absent`).
    public static func compare(reference: [StateWrite], other: [StateWrite]) -> [Difference] {
        var differences: [Difference] = []
        var i = 0, j = 0
        while i < reference.count || j < other.count {
            if j == other.count || (i < reference.count && reference[i].key.lexicographicallyPrecedes(other[j].key)) {
                differences.append(Difference(key: reference[i].key, reference: side(reference[i]), other: .notWritten))
                i += 1
            } else if i == reference.count || other[j].key.lexicographicallyPrecedes(reference[i].key) {
                differences.append(Difference(key: other[j].key, reference: .notWritten, other: side(other[j])))
                j += 1
            } else {
                if reference[i].value != other[j].value {
                    differences.append(Difference(key: reference[i].key, reference: side(reference[i]), other: side(other[j])))
                }
                i += 1
                j += 1
            }
        }
        return differences
    }

    /// The keys of the reference's writes whose value after the round differs from what another replica
    /// holds after the same round (`observed[k]` for `reference[k].key`; nil = absent). This is what the
    /// driver can check on a plugin through proven point reads; keys only the plugin wrote stay invisible.
    public static func compare(reference: [StateWrite], observed: [Side]) -> [Difference] {
        var differences: [Difference] = []
        for (index, write) in reference.enumerated() {
            let mine = side(write)
            let theirs = index < observed.count ? observed[index] : .unreadable("not read")
            if mine != theirs { differences.append(Difference(key: write.key, reference: mine, other: theirs)) }
        }
        return differences
    }

    static func side(_ write: StateWrite) -> Side { write.value.map(Side.value) ?? .absent }
}

/// Human-readable state keys and values for reports.
public enum KeyDescription {
    /// `table 0x02 model 3fa2…` with the rest of the key in hex.
    public static func key(_ key: [UInt8]) -> String {
        guard let first = key.first else { return "(empty key)" }
        let table = StateKey.Table(rawValue: first).map { "\($0)" } ?? "table 0x\(hex([first]))"
        let rest = key.dropFirst()
        return rest.isEmpty ? table : "\(table) \(hex(Array(rest)))"
    }

    /// A value as hex (at most 48 bytes shown) and, for accounts, models and proposals, a decoded summary.
    public static func value(_ bytes: [UInt8]) -> String {
        let shown = bytes.count > 48 ? hex(Array(bytes.prefix(48))) + "…" : hex(bytes)
        var text = "\(bytes.count) bytes \(shown)"
        if let account = try? Account(canonicalBytes: bytes) {
            text += " [account nonce \(account.nonce) balance \(account.balance) stake \(account.stake)]"
        } else if let model = try? Model(canonicalBytes: bytes) {
            text += " [model \(model.name)@\(model.version) \(model.status.name) usage \(model.usageCount)]"
        } else if let proposal = try? Proposal(canonicalBytes: bytes) {
            text += " [proposal \(proposal.id) \(proposal.status.name) yes \(proposal.tally.yes) no \(proposal.tally.no)]"
        } else if let totals = try? FeeTotals(canonicalBytes: bytes) {
            text += " [fee totals collected \(totals.collected) treasury \(totals.treasury) burned \(totals.burned) withdrawn \(totals.withdrawn) deposited \(totals.deposited)]"
        }
        return text
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
