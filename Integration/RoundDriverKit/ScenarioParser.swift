import Foundation
import RegistryCore
import Sodium

/// Reads a scenario file (format in Integration/README.md). Strict: unknown keys, unknown action words,
/// unknown names (accounts, models, proposals, codes, statuses, parameters) and rounds out of order are
/// errors naming the key path.
public enum ScenarioParser {
    /// The action words (`"do"`).
    public static let actionWords = ["register", "updateMetadata", "transfer", "propose", "vote", "execute", "usage",
                                     "withdraw", "deprecate", "resume", "setStake", "deposit"]
    /// The proposal kinds (`"kind"` of `propose`).
    public static let proposalKinds = ["approve", "reject", "deprecate", "revoke", "feeSchedule", "parameter", "text"]
    /// The default `maxFee` of a scenario transaction.
    public static let defaultMaxFee: Amount = 10_000_000_000

    /// Parses the scenario file at `path`.
    public static func load(path: String) throws(JSONReadError) -> Scenario {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JSONReadError(path: "", message: "cannot read \(path)")
        }
        return try parse(data)
    }

    /// Parses a scenario document.
    public static func parse(_ data: Data) throws(JSONReadError) -> Scenario {
        let root = try JSONReader.document(data)
        try root.rejectUnknown(["name", "description", "seed", "parameters", "accounts", "steps"])
        let name = try root.requiredString("name")
        let description = try root.string("description") ?? ""
        let seed = try root.uint64("seed") ?? 0x5CE7_A810

        var overrides: [(ParameterID, UInt64)] = []
        if let parameters = try root.objectReader("parameters") {
            for key in parameters.object.keys.sorted() {
                guard let id = ParameterID.allCases.first(where: { $0.name == key }) else {
                    throw parameters.error(key, "unknown parameter (expected one of: \(ParameterID.allCases.map(\.name).joined(separator: ", ")))")
                }
                let value = try parameters.requiredUInt64(key)
                guard id.bounds.contains(value) else { throw parameters.error(key, "\(value) is outside \(id.bounds)") }
                overrides.append((id, value))
            }
        }

        var accounts: [Scenario.Account] = []
        for entry in try root.objects("accounts") ?? [] {
            try entry.rejectUnknown(["name", "stake", "balance"])
            let accountName = try entry.requiredString("name")
            guard !accounts.contains(where: { $0.name == accountName }) else { throw entry.error("name", "duplicate account \"\(accountName)\"") }
            accounts.append(.init(name: accountName, stake: try entry.uint64("stake") ?? 0, balance: try entry.uint64("balance") ?? 0))
        }
        guard !accounts.isEmpty else { throw root.error("accounts", "at least one account is required") }

        var context = Context(accounts: accounts.map(\.name))
        var steps: [Scenario.Step] = []
        guard let stepReaders = try root.objects("steps"), !stepReaders.isEmpty else { throw root.error("steps", "at least one step is required") }
        for reader in stepReaders {
            try reader.rejectUnknown(["round", "note", "actions", "expect"])
            let round = try reader.requiredUInt64("round")
            if round == 0 { throw reader.error("round", "rounds start at 1 (relative to the scenario's start)") }
            if let last = steps.last, round <= last.round {
                throw reader.error("round", "steps must be in increasing round order (\(round) after \(last.round))")
            }
            var actions: [ScenarioAction] = []
            for action in try reader.objects("actions") ?? [] {
                actions.append(contentsOf: try parseAction(action, context: &context))
            }
            var expectations: [ScenarioExpectation] = []
            for check in try reader.objects("expect") ?? [] {
                expectations.append(try parseExpectation(check, context: context))
            }
            steps.append(.init(round: round, note: try reader.string("note") ?? "", actions: actions, expectations: expectations))
        }
        return Scenario(name: name, description: description, seed: seed, parameterOverrides: overrides, accounts: accounts, steps: steps)
    }

    /// Names declared so far (accounts up front; models and proposals by the actions that create them).
    struct Context {
        var accounts: [String]
        var models: [String] = []
        var proposals: [String] = []

        func account(_ reader: JSONReader, _ key: String) throws(JSONReadError) -> String {
            let name = try reader.requiredString(key)
            guard accounts.contains(name) else { throw reader.error(key, "unknown account \"\(name)\"") }
            return name
        }

        func model(_ reader: JSONReader, _ key: String = "model") throws(JSONReadError) -> String {
            let name = try reader.requiredString(key)
            guard models.contains(name) else { throw reader.error(key, "unknown model \"\(name)\" (register it in an earlier action)") }
            return name
        }

        func proposal(_ reader: JSONReader, _ key: String = "proposal") throws(JSONReadError) -> String {
            let name = try reader.requiredString(key)
            guard proposals.contains(name) else { throw reader.error(key, "unknown proposal \"\(name)\" (propose it in an earlier action)") }
            return name
        }
    }

    static let transactionKeys = ["do", "from", "expect", "expectFee", "maxFee", "corrupt"]

    static func parseAction(_ reader: JSONReader, context: inout Context) throws(JSONReadError) -> [ScenarioAction] {
        let word = try reader.requiredString("do")
        switch word {
        case "setStake":
            try reader.rejectUnknown(["do", "account", "amount"])
            return [.setStake(account: try context.account(reader, "account"), amount: try reader.requiredUInt64("amount"))]
        case "deposit":
            try reader.rejectUnknown(["do", "account", "amount"])
            return [.deposit(account: try context.account(reader, "account"), amount: try reader.requiredUInt64("amount"))]
        case "vote":
            // `from` (one voter) or `voters` (one transaction each, in order).
            try reader.rejectUnknown(transactionKeys + ["voters", "proposal", "choice"])
            let proposal = try context.proposal(reader)
            let choiceName = try reader.requiredString("choice")
            guard let choice = VoteChoice.named(choiceName) else { throw reader.error("choice", "must be yes, no, abstain or veto") }
            var voters: [String] = []
            if reader.has("voters") {
                for (index, name) in (try reader.strings("voters") ?? []).enumerated() {
                    guard context.accounts.contains(name) else { throw reader.error("voters[\(index)]", "unknown account \"\(name)\"") }
                    voters.append(name)
                }
                if reader.has("from") { throw reader.error("from", "give either from or voters") }
            } else {
                voters = [try context.account(reader, "from")]
            }
            let common = try envelope(reader)
            return voters.map { .transaction(from: $0, .vote(proposal: proposal, choice), expect: common.expect, maxFee: common.maxFee, corrupt: common.corrupt) }
        default:
            break
        }
        guard actionWords.contains(word) else {
            throw reader.error("do", "unknown action \"\(word)\" (expected one of: \(actionWords.joined(separator: ", ")))")
        }
        let from = try context.account(reader, "from")
        let transaction: ScenarioTransaction
        switch word {
        case "register":
            try reader.rejectUnknown(transactionKeys + ["model", "name", "version", "sizeBytes", "parameterCount", "architecture",
                                                        "format", "category", "license", "sourceURI", "description", "tags",
                                                        "inputShape", "outputShape"])
            let alias = try reader.requiredString("model")
            let name = try reader.string("name") ?? alias
            let registration = ModelRegistration(
                name: name, version: try reader.string("version") ?? "1.0.0",
                weightsHash: Blake2b.hash256(Array("weights/\(name)".utf8)),
                sizeBytes: try reader.uint64("sizeBytes") ?? 8 << 20, parameterCount: try reader.uint64("parameterCount") ?? 1_000_000,
                architecture: try reader.string("architecture") ?? "transformer", format: try reader.string("format") ?? "onnx",
                category: try reader.string("category") ?? "vision", license: try reader.string("license") ?? "apache-2.0",
                sourceURI: try reader.string("sourceURI") ?? "https://models.example.org/\(name)",
                description: try reader.string("description") ?? "Scenario model \(name)", tags: try reader.strings("tags") ?? ["scenario"],
                inputShape: TensorShape(try shape(reader, "inputShape") ?? [1, 3, 224, 224]),
                outputShape: TensorShape(try shape(reader, "outputShape") ?? [1, 1000]))
            if !context.models.contains(alias) { context.models.append(alias) }
            transaction = .register(model: alias, registration)
        case "updateMetadata":
            try reader.rejectUnknown(transactionKeys + ["model", "description", "license", "sourceURI", "tags", "category", "architecture",
                                                        "format", "sizeBytes", "parameterCount"])
            let update = MetadataUpdate(
                description: try reader.string("description"), license: try reader.string("license"), sourceURI: try reader.string("sourceURI"),
                tags: try reader.strings("tags"), category: try reader.string("category"), architecture: try reader.string("architecture"),
                format: try reader.string("format"), sizeBytes: try reader.uint64("sizeBytes"), parameterCount: try reader.uint64("parameterCount"))
            transaction = .updateMetadata(model: try context.model(reader), update)
        case "transfer":
            try reader.rejectUnknown(transactionKeys + ["model", "to"])
            transaction = .transfer(model: try context.model(reader), to: try context.account(reader, "to"))
        case "propose":
            try reader.rejectUnknown(transactionKeys + ["proposal", "kind", "model", "activationRound", "round", "operation", "schedule",
                                                        "parameter", "value", "text"])
            let alias = try reader.requiredString("proposal")
            guard !context.proposals.contains(alias) else { throw reader.error("proposal", "proposal \"\(alias)\" already used") }
            let proposal = try parseProposal(reader, context: context)
            context.proposals.append(alias)
            transaction = .propose(proposal: alias, proposal)
        case "execute":
            try reader.rejectUnknown(transactionKeys + ["proposal"])
            transaction = .execute(proposal: try context.proposal(reader))
        case "usage":
            try reader.rejectUnknown(transactionKeys + ["model", "units"])
            transaction = .usage(model: try context.model(reader), units: try reader.uint64("units") ?? 1)
        case "withdraw":
            try reader.rejectUnknown(transactionKeys + ["amount"])
            if let text = reader.raw("amount") as? String {
                guard text == "all" else { throw reader.error("amount", "must be an integer or \"all\"") }
                transaction = .withdraw(amount: nil)
            } else {
                transaction = .withdraw(amount: try reader.requiredUInt64("amount"))
            }
        case "deprecate":
            try reader.rejectUnknown(transactionKeys + ["model"])
            transaction = .deprecate(model: try context.model(reader))
        default:  // "resume"
            try reader.rejectUnknown(transactionKeys + ["model"])
            transaction = .resume(model: try context.model(reader))
        }
        let common = try envelope(reader)
        return [.transaction(from: from, transaction, expect: common.expect, maxFee: common.maxFee, corrupt: common.corrupt)]
    }

    static func envelope(_ reader: JSONReader) throws(JSONReadError) -> (expect: TransactionOutcomeExpectation, maxFee: Amount?, corrupt: Corruption?) {
        var expect = TransactionOutcomeExpectation()
        if let raw = reader.raw("expect") { expect.code = try resultCode(raw, path: reader.keyPath("expect")) }
        expect.fee = try reader.uint64("expectFee")
        var corrupt: Corruption? = nil
        if let text = try reader.string("corrupt") {
            guard let value = Corruption(rawValue: text) else {
                throw reader.error("corrupt", "must be one of \(Corruption.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            corrupt = value
        }
        return (expect, try reader.uint64("maxFee"), corrupt)
    }

    /// A result code by name (`"notModelOwner"`) or number (`102`).
    static func resultCode(_ raw: Any, path: String) throws(JSONReadError) -> ResultCode {
        if let name = raw as? String {
            guard let code = ResultCode.allCases.first(where: { $0.name == name }) else {
                throw JSONReadError(path: path, message: "unknown result code \"\(name)\" (Docs/spec/result-codes.md)")
            }
            return code
        }
        let number = try JSONReader.uint64(raw, path: path)
        guard number <= UInt64(UInt32.max), let code = ResultCode(rawValue: UInt32(number)) else {
            throw JSONReadError(path: path, message: "unknown result code \(number)")
        }
        return code
    }

    static func shape(_ reader: JSONReader, _ key: String) throws(JSONReadError) -> [UInt32]? {
        guard let dims = try reader.uint64s(key) else { return nil }
        var result: [UInt32] = []
        for (index, dim) in dims.enumerated() {
            guard dim <= UInt64(UInt32.max) else { throw reader.error("\(key)[\(index)]", "must fit in 32 bits") }
            result.append(UInt32(dim))
        }
        return result
    }

    static func parseProposal(_ reader: JSONReader, context: Context) throws(JSONReadError) -> ScenarioProposal {
        let kind = try reader.requiredString("kind")
        switch kind {
        case "approve": return .approve(model: try context.model(reader), activationRound: try reader.requiredUInt64("activationRound"))
        case "reject": return .reject(model: try context.model(reader))
        case "deprecate": return .deprecate(model: try context.model(reader), round: try reader.requiredUInt64("round"))
        case "revoke": return .revoke(model: try context.model(reader))
        case "feeSchedule":
            let operation = try feeOperation(reader, "operation")
            guard let schedule = try reader.objectReader("schedule") else { throw reader.error("schedule", "is required") }
            return .feeSchedule(operation, try feeSchedule(schedule))
        case "parameter":
            return .parameter(try parameterID(reader, "parameter"), try reader.requiredUInt64("value"))
        case "text":
            return .text(try reader.requiredString("text"))
        default:
            throw reader.error("kind", "unknown proposal kind \"\(kind)\" (expected one of: \(proposalKinds.joined(separator: ", ")))")
        }
    }

    static func feeOperation(_ reader: JSONReader, _ key: String) throws(JSONReadError) -> FeeOperation {
        let name = try reader.requiredString(key)
        guard let operation = FeeOperation.allCases.first(where: { $0.description == name }) else {
            throw reader.error(key, "unknown fee operation \"\(name)\" (expected one of: \(FeeOperation.allCases.map(\.description).joined(separator: ", ")))")
        }
        return operation
    }

    static func parameterID(_ reader: JSONReader, _ key: String) throws(JSONReadError) -> ParameterID {
        let name = try reader.requiredString(key)
        guard let id = ParameterID.allCases.first(where: { $0.name == name }) else {
            throw reader.error(key, "unknown parameter \"\(name)\"")
        }
        return id
    }

    /// `{"method": "fixed", "amount": N, "minimum": N, "maximum": N}`; linear: `base`, `perUnit`;
    /// logarithmic: `base`, `coefficient`; step: `tiers: [{"upTo": N, "amount": N}]`.
    static func feeSchedule(_ reader: JSONReader) throws(JSONReadError) -> FeeSchedule {
        let method = try reader.requiredString("method")
        let bounds = ["method", "minimum", "maximum"]
        let feeMethod: FeeMethod
        switch method {
        case "fixed":
            try reader.rejectUnknown(bounds + ["amount"])
            feeMethod = .fixed(try reader.requiredUInt64("amount"))
        case "linear":
            try reader.rejectUnknown(bounds + ["base", "perUnit"])
            feeMethod = .linear(base: try reader.requiredUInt64("base"), perUnit: try reader.requiredUInt64("perUnit"))
        case "logarithmic":
            try reader.rejectUnknown(bounds + ["base", "coefficient"])
            feeMethod = .logarithmic(base: try reader.requiredUInt64("base"), coefficient: try reader.requiredUInt64("coefficient"))
        case "step":
            try reader.rejectUnknown(bounds + ["tiers"])
            var tiers: [FeeTier] = []
            for tier in try reader.objects("tiers") ?? [] {
                try tier.rejectUnknown(["upTo", "amount"])
                tiers.append(FeeTier(upToUnits: try tier.requiredUInt64("upTo"), amount: try tier.requiredUInt64("amount")))
            }
            feeMethod = .step(tiers: tiers)
        default:
            throw reader.error("method", "must be fixed, linear, logarithmic or step")
        }
        let schedule = FeeSchedule(method: feeMethod, minimum: try reader.requiredUInt64("minimum"), maximum: try reader.requiredUInt64("maximum"))
        if let problem = schedule.validate() { throw JSONReadError(path: reader.path, message: "invalid fee schedule: \(problem)") }
        return schedule
    }

    static func parseExpectation(_ reader: JSONReader, context: Context) throws(JSONReadError) -> ScenarioExpectation {
        if reader.has("model") {
            try reader.rejectUnknown(["model", "status", "absent"])
            let model = try context.model(reader)
            if try reader.bool("absent") == true { return .modelAbsent(model: model) }
            let name = try reader.requiredString("status")
            guard let status = ModelStatus.allCases.first(where: { $0.name == name }) else {
                throw reader.error("status", "unknown model status \"\(name)\" (expected one of: \(ModelStatus.allCases.map(\.name).joined(separator: ", ")))")
            }
            return .modelStatus(model: model, status)
        }
        if reader.has("proposal") {
            try reader.rejectUnknown(["proposal", "status"])
            let proposal = try context.proposal(reader)
            let name = try reader.requiredString("status")
            guard let status = ProposalStatus.allCases.first(where: { $0.name == name }) else {
                throw reader.error("status", "unknown proposal status \"\(name)\" (expected one of: \(ProposalStatus.allCases.map(\.name).joined(separator: ", ")))")
            }
            return .proposalStatus(proposal: proposal, status)
        }
        if reader.has("account") {
            try reader.rejectUnknown(["account", "balance", "minBalance", "maxBalance", "stake"])
            let account = try context.account(reader, "account")
            if let stake = try reader.uint64("stake") { return .stake(account: account, stake) }
            if let value = try reader.uint64("balance") { return .balance(account: account, .equal(value)) }
            if let value = try reader.uint64("minBalance") { return .balance(account: account, .atLeast(value)) }
            if let value = try reader.uint64("maxBalance") { return .balance(account: account, .atMost(value)) }
            throw reader.error("account", "needs one of balance, minBalance, maxBalance, stake")
        }
        if reader.has("parameter") {
            try reader.rejectUnknown(["parameter", "value"])
            return .parameter(try parameterID(reader, "parameter"), try reader.requiredUInt64("value"))
        }
        if reader.has("feeSchedule") {
            try reader.rejectUnknown(["feeSchedule", "schedule"])
            guard let schedule = try reader.objectReader("schedule") else { throw reader.error("schedule", "is required") }
            return .feeSchedule(try feeOperation(reader, "feeSchedule"), try feeSchedule(schedule))
        }
        if reader.has("event") {
            try reader.rejectUnknown(["event", "count"])
            return .event(topic: try reader.requiredString("event"), count: try reader.uint64("count").map { Int(clamping: $0) })
        }
        throw JSONReadError(path: reader.path, message: "an expectation needs one of model, proposal, account, parameter, feeSchedule, event")
    }
}
