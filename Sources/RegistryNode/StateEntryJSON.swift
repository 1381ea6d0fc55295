import RegistryCore
import Sodium
import Wire

/// JSON descriptions of raw state keys and values by the registry's key layout
/// (Docs/spec/state-layout.md, `StateKey`), for tools that look at the state tree directly
/// (`ai-registry inspect diff`). Values decode through the same views as the query replies
/// (`QueryJSONValue.model`, `.account`, …). Nothing here traps: a key or value that does not follow
/// the layout is described as far as it does, with `"malformed": true`, and the raw hex is always kept
/// by the caller.
public enum StateEntryJSON {
    /// The key's table and fields, e.g. `{"table":"model","model_id":"3fa2…"}`; an unknown table byte
    /// gives `{"table":"0x7f","rest":"…"}`.
    public static func key(_ key: [UInt8]) -> QueryJSONValue {
        guard let first = key.first else { return .object([("table", .string("(empty key)")), ("malformed", .bool(true))]) }
        guard let table = StateKey.Table(rawValue: first) else {
            return .object([("table", .string("0x" + Hex.encode([first]))), ("rest", .string(Hex.encode(key.dropFirst())))])
        }
        var parts = KeyParts(Array(key.dropFirst()))
        var members: [(String, QueryJSONValue)] = [("table", .string("\(table)"))]
        switch table {
        case .parameters, .feeTotals, .registryStatistics:
            break
        case .model, .feeStatsByModel:
            members.append(("model_id", parts.digest()))
        case .account, .feeStatsByAccount, .rateWindow:
            members.append(("account", parts.digest()))
        case .modelByName:
            members.append(("name", parts.text()))
            members.append(("version", parts.rest()))
        case .modelsByStatus:
            members.append(("status", parts.status()))
            members.append(("model_id", parts.digest()))
        case .modelsByOwner:
            members.append(("owner", parts.digest()))
            members.append(("model_id", parts.digest()))
        case .modelsByCategory:
            members.append(("category", parts.text()))
            members.append(("model_id", parts.digest()))
        case .modelsByTag:
            members.append(("tag", parts.text()))
            members.append(("model_id", parts.digest()))
        case .proposal:
            members.append(("proposal_id", parts.u64()))
        case .vote:
            members.append(("proposal_id", parts.u64()))
            members.append(("voter", parts.digest()))
        case .stakeCheckpoint:
            members.append(("account", parts.digest()))
            members.append(("round", parts.u64()))
        case .totalStakeCheckpoint:
            members.append(("round", parts.u64()))
        case .openProposalsByProposer:
            members.append(("proposer", parts.digest()))
            members.append(("proposal_id", parts.u64()))
        case .votingSnapshot:
            members.append(("submitted_at", parts.u64()))
            members.append(("proposal_id", parts.u64()))
        case .dueQueue:
            members.append(("queue", parts.queue()))
            members.append(("round", parts.u64()))
            members.append(("item", parts.rest()))
        case .queueCursor:
            members.append(("queue", parts.queue()))
        case .feeStatsByOperation:
            members.append(("operation", parts.operation()))
        case .counter:
            members.append(("name", parts.rest()))
        }
        if !parts.remaining.isEmpty { members.append(("rest", .string(Hex.encode(parts.remaining)))) }
        if parts.malformed { members.append(("malformed", .bool(true))) }
        return .object(members)
    }

    /// The value decoded by the type its key's table holds, in the query replies' JSON; nil when the
    /// table holds no decodable value (indexes hold empty values) or the bytes do not decode.
    public static func value(key: [UInt8], value: [UInt8]) -> QueryJSONValue? {
        guard let first = key.first, let table = StateKey.Table(rawValue: first) else { return nil }
        let digest = key.count >= 33 ? Digest256(bytes: key[1..<33]) : nil
        switch table {
        case .parameters:
            return (try? Parameters(canonicalBytes: value)).map { QueryJSONValue.parameters(AiRegistry_V1_Parameters($0)) }
        case .model:
            return (try? Model(canonicalBytes: value)).map { QueryJSONValue.model(AiRegistry_V1_Model($0)) }
        case .account:
            guard let digest, let account = try? Account(canonicalBytes: value) else { return nil }
            return QueryJSONValue.account(AiRegistry_V1_Account(id: AccountID(digest), account: account))
        case .modelByName:
            return Digest256(bytes: value).map { .object([("model_id", .string($0.hex))]) }
        case .proposal:
            return (try? Proposal(canonicalBytes: value)).map { QueryJSONValue.proposal(AiRegistry_V1_Proposal($0)) }
        case .vote:
            guard key.count == 41, let voter = Digest256(bytes: key[9..<41]), let vote = try? Vote(canonicalBytes: value) else { return nil }
            var parts = KeyParts(Array(key[1..<9]))
            guard case .unsigned(let proposal) = parts.u64() else { return nil }
            return QueryJSONValue.vote(AiRegistry_V1_Vote(proposalID: proposal, voter: AccountID(voter), vote: vote))
        case .stakeCheckpoint, .totalStakeCheckpoint:
            return (try? StakeCheckpoint(canonicalBytes: value)).map { .object([("amount", .unsigned($0.amount))]) }
        case .feeStatsByOperation, .feeStatsByModel, .feeStatsByAccount:
            return (try? FeeStatistics(canonicalBytes: value)).map { QueryJSONValue.feeStatistics(AiRegistry_V1_FeeStatistics($0)) }
        case .feeTotals:
            return (try? FeeTotals(canonicalBytes: value)).map { QueryJSONValue.feeTotals(AiRegistry_V1_FeeTotals($0)) }
        case .rateWindow:
            return (try? RateWindow(canonicalBytes: value)).map { .object([("window", .unsigned($0.window)), ("count", .unsigned($0.count))]) }
        case .registryStatistics:
            return (try? RegistryStatistics(canonicalBytes: value)).map {
                QueryJSONValue.registryStatistics(AiRegistry_V1_RegistryStatistics($0))
            }
        case .counter:
            return (try? Counter(canonicalBytes: value)).map { .object([("value", .unsigned($0.value))]) }
        case .modelsByStatus, .modelsByOwner, .modelsByCategory, .modelsByTag, .openProposalsByProposer, .votingSnapshot,
             .dueQueue, .queueCursor:
            return nil
        }
    }

    /// A cursor over the bytes of a key after its table byte; a short read marks the key malformed.
    struct KeyParts {
        var remaining: ArraySlice<UInt8>
        var malformed = false

        init(_ bytes: [UInt8]) { remaining = bytes[...] }

        mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
            guard remaining.count >= count else { malformed = true; return nil }
            defer { remaining = remaining.dropFirst(count) }
            return remaining.prefix(count)
        }

        mutating func digest() -> QueryJSONValue { take(32).map { .string(Hex.encode($0)) } ?? .null }

        mutating func u64() -> QueryJSONValue {
            guard let bytes = take(8) else { return .null }
            return .unsigned(bytes.reduce(0) { $0 << 8 | UInt64($1) })
        }

        mutating func byte() -> UInt8? { take(1)?.first }

        /// Text up to the 0x00 separator (consumed).
        mutating func text() -> QueryJSONValue {
            guard let end = remaining.firstIndex(of: 0) else { malformed = true; return .null }
            let bytes = remaining[remaining.startIndex..<end]
            remaining = remaining[(end + 1)...]
            return .string(String(decoding: bytes, as: UTF8.self))
        }

        /// Everything left, as text when it is printable ASCII, else as hex.
        mutating func rest() -> QueryJSONValue {
            let bytes = remaining
            remaining = []
            if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return .string(String(decoding: bytes, as: UTF8.self)) }
            return .string(Hex.encode(bytes))
        }

        mutating func status() -> QueryJSONValue {
            guard let raw = byte() else { return .null }
            return .string(ModelStatus(rawValue: raw)?.name ?? "0x" + Hex.encode([raw]))
        }

        mutating func queue() -> QueryJSONValue {
            guard let raw = byte() else { return .null }
            return .string(DueQueue.Kind(rawValue: raw).map { "\($0)" } ?? "0x" + Hex.encode([raw]))
        }

        mutating func operation() -> QueryJSONValue {
            guard let raw = byte() else { return .null }
            return .string(FeeOperation(rawValue: raw)?.description ?? "0x" + Hex.encode([raw]))
        }
    }
}
