import Foundation
import RegistryCore
import StateStore
import SwiftProtobuf
import Wire

/// Statistics, fee statistics and stored round results.
extension QueryService {
    func getStatistics(_ context: QueryContext) throws(WireError) -> AiRegistry_V1_GetStatisticsResponse {
        let round = try context.latest()
        let query = ModelQuery(state: context.reader)
        var response = AiRegistry_V1_GetStatisticsResponse()
        response.registry = AiRegistry_V1_RegistryStatistics(try context.core { () throws(StateError) in try query.statistics() })
        response.fees = AiRegistry_V1_FeeTotals(try context.core { () throws(StateError) in try query.feeTotals() })
        for operation in FeeOperation.allCases {
            let statistics = try context.core { () throws(StateError) in try query.feeStatistics(operation: operation) }
            response.feesByOperation.append(AiRegistry_V1_OperationFeeStatistics(operation: operation, statistics: statistics))
        }
        response.round = round
        return response
    }

    func getFeeStatistics(_ request: AiRegistry_V1_GetFeeStatisticsRequest, _ context: QueryContext) throws(WireError) -> AiRegistry_V1_GetFeeStatisticsResponse {
        let query = ModelQuery(state: context.reader)
        let statistics: FeeStatistics
        switch request.subject {
        case .model(let data):
            let id = ModelID(try WireValidation.digest(data, field: "get_fee_statistics.model"))
            _ = try context.latest()
            statistics = try context.core { () throws(StateError) in try query.feeStatistics(model: id) }
        case .account(let data):
            let account = try WireValidation.account(data, field: "get_fee_statistics.account")
            _ = try context.latest()
            statistics = try context.core { () throws(StateError) in try query.feeStatistics(account: account) }
        case nil:
            throw .malformed("get_fee_statistics.subject: set model or account", field: "get_fee_statistics.subject")
        }
        var response = AiRegistry_V1_GetFeeStatisticsResponse()
        response.statistics = AiRegistry_V1_FeeStatistics(statistics)
        response.round = try context.latest()
        return response
    }

    /// The stored result of a round, as ApplyRound answered it (`RoundResult` bytes, `replayed` false),
    /// rebuilt from the round record the consensus side stored and the round's root.
    func getRoundResult(_ request: AiRegistry_V1_GetRoundResultRequest, _ context: QueryContext) throws(WireError) -> AiRegistry_V1_GetRoundResultResponse {
        let latest = try context.latest()
        let round = try context.retained(request.round, latest: latest, field: "get_round_result.round")
        let (bytes, root) = try context.snapshot { snapshot throws(StateStoreError) in
            (try snapshot.roundRecord(version: round), try snapshot.rootHash(version: round))
        }
        guard let bytes else {
            throw WireError(
                .notFound, "round \(round) has no stored result (the genesis round has none)", field: "get_round_result.round")
        }
        let record: RoundRecord
        do { record = try RoundRecord(canonicalBytes: bytes) } catch {
            throw WireError(.internal, "the stored record of round \(round) does not decode: \(error)")
        }
        let result = AiRegistry_V1_RoundResult(record, root: root, replayed: false)
        var response = AiRegistry_V1_GetRoundResultResponse()
        do { response.roundResult = try result.serializedBytes() } catch {
            throw WireError(.internal, "encoding the result of round \(round) failed: \(error)")
        }
        return response
    }
}
