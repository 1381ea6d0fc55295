import Foundation

/// What `/health` reports about the running plugin, produced on demand by a closure the node passes
/// to `MetricsServer` (so the HTTP side never touches consensus state itself).
public struct HealthReport: Sendable, Equatable {
    /// The plugin's state.
    public enum Status: String, Sendable, Equatable, CaseIterable {
        /// Serving; consensus accepts rounds.
        case ok
        /// Consensus stopped after an infrastructure failure (D5): `Info` and queries still answer,
        /// rounds are refused. `/health` answers 503.
        case halted
    }

    public var status: Status
    /// Whether InitChain committed (false on an empty store).
    public var initialized: Bool
    /// The last committed round (nil before InitChain).
    public var lastRound: UInt64?
    /// Seconds since the last commit by this process (nil when it committed nothing yet).
    public var secondsSinceLastCommit: Double?
    /// Bytes of the LMDB environment in use (pages in use × page size).
    public var storeUsedBytes: Int
    /// Why the plugin halted; nil when it is ok.
    public var detail: String?

    public init(status: Status, initialized: Bool, lastRound: UInt64?, secondsSinceLastCommit: Double?,
                storeUsedBytes: Int, detail: String? = nil) {
        self.status = status
        self.initialized = initialized
        self.lastRound = lastRound
        self.secondsSinceLastCommit = secondsSinceLastCommit
        self.storeUsedBytes = storeUsedBytes
        self.detail = detail
    }

    /// The HTTP status `/health` answers with: 200 when ok, 503 when halted.
    public var httpStatus: Int { status == .ok ? 200 : 503 }

    /// The JSON body of `/health`, keys sorted, absent values as `null`:
    /// `{"detail":null,"initialized":true,"last_round":12,"seconds_since_last_commit":0.204,"status":"ok","store_used_bytes":1048576}`.
    public var json: [UInt8] {
        var object: [String: Any] = [
            "status": status.rawValue,
            "initialized": initialized,
            "store_used_bytes": storeUsedBytes,
        ]
        object["last_round"] = lastRound.map { NSNumber(value: $0) } ?? NSNull()
        // Milliseconds precision; a negative age (clock stepped back) reads as 0.
        object["seconds_since_last_commit"] = secondsSinceLastCommit.map {
            NSNumber(value: ($0.isFinite ? max(0, $0) * 1000 : 0).rounded() / 1000)
        } ?? NSNull()
        object["detail"] = detail.map { $0 as Any } ?? NSNull()
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(#"{"status":"error"}"#.utf8)
        return Array(data)
    }
}
