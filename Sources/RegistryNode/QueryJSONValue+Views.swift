import Foundation
import Sodium
import SwiftProtobuf
import Wire

/// JSON renderings of query replies and the decoded views in them. Field names are the proto field
/// names; bytes are lower-case hex; absent optional fields are omitted.
extension QueryJSONValue {
    static func hex(_ data: Data) -> QueryJSONValue { .string(Hex.encode(data)) }

    /// The JSON of a whole reply: `{"request_id":…, "<kind>": {…}}` or `{"request_id":…, "error": {…}}`.
    public static func response(_ response: AiRegistry_V1_QueryResponse) -> QueryJSONValue {
        var members: [(String, QueryJSONValue)] = [
            ("protocol_version", .unsigned(UInt64(response.protocolVersion))), ("request_id", .unsigned(response.requestID)),
        ]
        switch response.response {
        case nil: break
        case .error(let e): members.append(("error", error(e)))
        case .getModel(let r):
            members.append(("get_model", .object(
                optional("model", r.hasModel, model(r.model)) + pointRead(r.value, r.hasProof, r.proof, r.round))))
        case .getProposal(let r):
            members.append(("get_proposal", .object(
                optional("proposal", r.hasProposal, proposal(r.proposal)) + pointRead(r.value, r.hasProof, r.proof, r.round))))
        case .getAccount(let r):
            members.append(("get_account", .object(
                optional("account", r.hasAccount, account(r.account)) + pointRead(r.value, r.hasProof, r.proof, r.round))))
        case .getParameters(let r):
            members.append(("get_parameters", .object(
                optional("parameters", r.hasParameters, parameters(r.parameters))
                    + pointRead(r.value, r.hasProof, r.proof, r.round))))
        case .getVote(let r):
            members.append(("get_vote", .object(
                optional("vote", r.hasVote, vote(r.vote)) + pointRead(r.value, r.hasProof, r.proof, r.round))))
        case .getKey(let r):
            members.append(("get_key", .object(
                [("found", .bool(r.found))] + pointRead(r.value, r.hasProof, r.proof, r.round))))
        case .listModels(let r):
            members.append(("list_models", .object([
                ("models", .array(r.models.map(model))), ("next_cursor", hex(r.nextCursor)), ("round", .unsigned(r.round)),
            ])))
        case .listProposals(let r):
            members.append(("list_proposals", .object([
                ("proposals", .array(r.proposals.map(proposal))), ("next_cursor", hex(r.nextCursor)),
                ("round", .unsigned(r.round)),
            ])))
        case .getRoots(let r):
            members.append(("get_roots", .object([
                ("roots", .array(r.roots.map { .object([("round", .unsigned($0.round)), ("root", hex($0.root))]) })),
                ("latest_round", .unsigned(r.latestRound)), ("earliest_retained_round", .unsigned(r.earliestRetainedRound)),
            ])))
        case .getRoundResult(let r):
            // The decoded result; the raw bytes only when they do not decode.
            let body: [(String, QueryJSONValue)]
            if let decoded = try? AiRegistry_V1_RoundResult(serializedBytes: r.roundResult) {
                body = [("round_result", roundResult(decoded))]
            } else {
                body = [("round_result_bytes", hex(r.roundResult))]
            }
            members.append(("get_round_result", .object(body)))
        case .getStatistics(let r):
            members.append(("get_statistics", .object([
                ("registry", registryStatistics(r.registry)), ("fees", feeTotals(r.fees)),
                ("fees_by_operation", .array(r.feesByOperation.map {
                    .object([("operation", .string($0.operation)), ("statistics", feeStatistics($0.statistics))])
                })),
                ("round", .unsigned(r.round)),
            ])))
        case .getFeeStatistics(let r):
            members.append(("get_fee_statistics", .object([
                ("statistics", feeStatistics(r.statistics)), ("round", .unsigned(r.round)),
            ])))
        case .listSnapshots(let r):
            members.append(("list_snapshots", listSnapshots(r)))
        case .getSnapshotChunk(let r):
            members.append(("get_snapshot_chunk", snapshotChunk(r)))
        case .getSchedule(let r):
            members.append(("get_schedule", .object([
                ("entries", .array(r.entries.map {
                    .object([("queue", .string($0.queue)), ("due_round", .unsigned($0.dueRound)), ("item", hex($0.item))])
                })),
                ("round", .unsigned(r.round)),
            ])))
        }
        return .object(members)
    }

    private static func optional(_ key: String, _ present: Bool, _ value: @autoclosure () -> QueryJSONValue) -> [(String, QueryJSONValue)] {
        present ? [(key, value())] : []
    }

    private static func pointRead(_ value: Data, _ hasProof: Bool, _ proof: AiRegistry_V1_Proof, _ round: UInt64) -> [(String, QueryJSONValue)] {
        var members: [(String, QueryJSONValue)] = [("value", hex(value))]
        if hasProof { members.append(("proof", Self.proof(proof))) }
        members.append(("round", .unsigned(round)))
        return members
    }

    public static func error(_ error: AiRegistry_V1_Error) -> QueryJSONValue {
        var members: [(String, QueryJSONValue)] = [("code", .string(error.code.name)), ("message", .string(error.message))]
        if !error.field.isEmpty { members.append(("field", .string(error.field))) }
        if error.expectedRound != 0 { members.append(("expected_round", .unsigned(error.expectedRound))) }
        if error.retryAfterMillis != 0 { members.append(("retry_after_millis", .unsigned(error.retryAfterMillis))) }
        if !error.supportedVersions.isEmpty {
            members.append(("supported_versions", .array(error.supportedVersions.map { .unsigned(UInt64($0)) })))
        }
        return .object(members)
    }

    public static func proof(_ proof: AiRegistry_V1_Proof) -> QueryJSONValue {
        .object([("round", .unsigned(proof.round)), ("root", hex(proof.root)), ("key", hex(proof.key)), ("proof", hex(proof.proof))])
    }

    public static func model(_ m: AiRegistry_V1_Model) -> QueryJSONValue {
        var members: [(String, QueryJSONValue)] = [
            ("id", hex(m.id)), ("name", .string(m.name)), ("version", .string(m.version)), ("owner", hex(m.owner)),
            ("weights_hash", hex(m.weightsHash)), ("size_bytes", .unsigned(m.sizeBytes)),
            ("parameter_count", .unsigned(m.parameterCount)), ("architecture", .string(m.architecture)),
            ("format", .string(m.format)), ("category", .string(m.category)), ("license", .string(m.license)),
            ("source_uri", .string(m.sourceUri)), ("description", .string(m.description_p)),
            ("tags", .array(m.tags.map(QueryJSONValue.string))),
            ("input_shape", .array(m.inputShape.dimensions.map { .unsigned(UInt64($0)) })),
            ("output_shape", .array(m.outputShape.dimensions.map { .unsigned(UInt64($0)) })),
            ("status", .string(m.status)), ("registered_at", .unsigned(m.registeredAt)), ("updated_at", .unsigned(m.updatedAt)),
        ]
        if m.hasActivatedAt { members.append(("activated_at", .unsigned(m.activatedAt))) }
        members.append(("rent_paid_through", .unsigned(m.rentPaidThrough)))
        if m.hasRentGraceEnds { members.append(("rent_grace_ends", .unsigned(m.rentGraceEnds))) }
        members += [
            ("usage_count", .unsigned(m.usageCount)), ("usage_units", .unsigned(m.usageUnits)), ("usage_fees", .unsigned(m.usageFees)),
        ]
        return .object(members)
    }

    public static func proposal(_ p: AiRegistry_V1_Proposal) -> QueryJSONValue {
        var members: [(String, QueryJSONValue)] = [
            ("id", .unsigned(p.id)), ("proposer", hex(p.proposer)), ("kind", .string(p.kind)), ("kind_data", hex(p.kindData)),
        ]
        if p.hasModelID { members.append(("model_id", hex(p.modelID))) }
        members += [
            ("status", .string(p.status)), ("submitted_at", .unsigned(p.submittedAt)), ("voting_end", .unsigned(p.votingEnd)),
            ("execution_deadline", .unsigned(p.executionDeadline)), ("deposit", .unsigned(p.deposit)),
            ("tally", .object([
                ("yes", .unsigned(p.tally.yes)), ("no", .unsigned(p.tally.no)), ("abstain", .unsigned(p.tally.abstain)),
                ("veto", .unsigned(p.tally.veto)),
            ])),
            ("total_eligible", .unsigned(p.totalEligible)),
        ]
        if p.hasDecidedAt { members.append(("decided_at", .unsigned(p.decidedAt))) }
        if p.hasExecutedAt { members.append(("executed_at", .unsigned(p.executedAt))) }
        members.append(("failure_code", .unsigned(UInt64(p.failureCode))))
        if !p.text.isEmpty { members.append(("text", .string(p.text))) }
        return .object(members)
    }

    public static func account(_ a: AiRegistry_V1_Account) -> QueryJSONValue {
        .object([("id", hex(a.id)), ("nonce", .unsigned(a.nonce)), ("balance", .unsigned(a.balance)), ("stake", .unsigned(a.stake))])
    }

    public static func parameters(_ p: AiRegistry_V1_Parameters) -> QueryJSONValue {
        .object([
            ("values", .object(p.values.map { ($0.name, .unsigned($0.value)) })),
            ("fees", .array(p.fees.map {
                .object([("operation", .string($0.operation)), ("description", .string($0.description_p)), ("schedule", hex($0.schedule))])
            })),
        ])
    }

    public static func vote(_ v: AiRegistry_V1_Vote) -> QueryJSONValue {
        .object([
            ("proposal_id", .unsigned(v.proposalID)), ("voter", hex(v.voter)), ("choice", .string(v.choice)),
            ("weight", .unsigned(v.weight)), ("round", .unsigned(v.round)),
        ])
    }

    public static func registryStatistics(_ s: AiRegistry_V1_RegistryStatistics) -> QueryJSONValue {
        .object([
            ("models_by_status", .object(s.modelsByStatus.keys.sorted().map { ($0, .unsigned(s.modelsByStatus[$0] ?? 0)) })),
            ("total_size_bytes", .unsigned(s.totalSizeBytes)), ("total_parameters", .unsigned(s.totalParameters)),
            ("registrations", .unsigned(s.registrations)), ("usage_count", .unsigned(s.usageCount)),
            ("usage_units", .unsigned(s.usageUnits)), ("usage_fees", .unsigned(s.usageFees)),
        ])
    }

    public static func feeTotals(_ f: AiRegistry_V1_FeeTotals) -> QueryJSONValue {
        .object([
            ("collected", .unsigned(f.collected)), ("treasury", .unsigned(f.treasury)), ("burned", .unsigned(f.burned)),
            ("owner_shares", .unsigned(f.ownerShares)), ("deposits_held", .unsigned(f.depositsHeld)),
            ("withdrawn", .unsigned(f.withdrawn)), ("deposited", .unsigned(f.deposited)),
        ])
    }

    public static func feeStatistics(_ f: AiRegistry_V1_FeeStatistics) -> QueryJSONValue {
        .object([("count", .unsigned(f.count)), ("total", .unsigned(f.total))])
    }

    public static func roundResult(_ r: AiRegistry_V1_RoundResult) -> QueryJSONValue {
        .object([
            ("round", .unsigned(r.round)), ("root", hex(r.root)), ("replayed", .bool(r.replayed)),
            ("write_count", .unsigned(UInt64(r.writeCount))),
            ("results", .array(r.results.map {
                .object([
                    ("tx_id", hex($0.txID)), ("code", .unsigned(UInt64($0.code))), ("code_name", .string($0.codeName)),
                    ("fee_charged", .unsigned($0.feeCharged)), ("log", .string($0.log)),
                    ("first_event", .unsigned(UInt64($0.firstEvent))), ("event_count", .unsigned(UInt64($0.eventCount))),
                ])
            })),
            ("events", .array(r.events.map {
                .object([("index", .unsigned(UInt64($0.index))), ("topic", .string($0.topic)), ("data", hex($0.data))])
            })),
            ("fees", .object([
                ("collected", .unsigned(r.fees.collected)), ("treasury", .unsigned(r.fees.treasury)),
                ("owner_shares", .unsigned(r.fees.ownerShares)), ("burned", .unsigned(r.fees.burned)),
                ("withdrawn", .unsigned(r.fees.withdrawn)), ("deposited", .unsigned(r.fees.deposited)),
            ])),
        ])
    }
}
