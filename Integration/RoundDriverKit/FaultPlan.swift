import RegistryCore
import RegistryWorkload

/// How many faults of each kind a run injects (placed at seeded random rounds by `FaultPlan`).
public struct FaultOptions: Sendable, Equatable {
    /// SIGKILL a replica while it applies a round, leave it down 0–2 rounds, restart it; it recovers
    /// through Info and the driver replays the rounds it missed.
    public var crashes: Int
    /// Re-send an already committed round: the reply must be `replayed` and identical to the original.
    public var duplicates: Int
    /// Send round R+2 before R+1: the reply must be ROUND_GAP naming R+1; then the rounds in order.
    public var outOfOrder: Int
    /// SIGSTOP a replica for `slowRounds` rounds (requests pile up on its socket), then SIGCONT.
    public var slow: Int
    public var slowRounds: Int

    public init(crashes: Int = 0, duplicates: Int = 0, outOfOrder: Int = 0, slow: Int = 0, slowRounds: Int = 3) {
        self.crashes = crashes
        self.duplicates = duplicates
        self.outOfOrder = outOfOrder
        self.slow = slow
        self.slowRounds = slowRounds
    }

    public var total: Int { crashes + duplicates + outOfOrder + slow }
}

/// One injected fault.
public enum Fault: Sendable, Equatable, CustomStringConvertible {
    /// SIGKILL `replica` `killAfterMicros` after sending it the round; restart after `downRounds` rounds.
    case crash(replica: Int, killAfterMicros: UInt64, downRounds: Round)
    /// Re-send the round `roundsBack` rounds before the current one (0 = the round just committed).
    case duplicate(replica: Int, roundsBack: Round)
    /// Send the round after the current one first.
    case outOfOrder(replica: Int)
    /// SIGSTOP for `rounds` rounds.
    case slow(replica: Int, rounds: Round)

    public var replica: Int {
        switch self {
        case .crash(let r, _, _), .duplicate(let r, _), .outOfOrder(let r), .slow(let r, _): return r
        }
    }

    /// The rounds the fault keeps its replica busy (faults never overlap).
    var span: Round {
        switch self {
        case .crash(_, _, let down): return down + 2
        case .duplicate: return 1
        case .outOfOrder: return 2
        case .slow(_, let rounds): return rounds + 1
        }
    }

    public var description: String {
        switch self {
        case .crash(let r, let micros, let down): return "crash replica \(r) (SIGKILL \(micros) µs into the round, down \(down) round(s))"
        case .duplicate(let r, let back): return "duplicate delivery to replica \(r) (round R-\(back))"
        case .outOfOrder(let r): return "out-of-order delivery to replica \(r) (R+1 before R)"
        case .slow(let r, let rounds): return "slow replica \(r) (SIGSTOP for \(rounds) rounds)"
        }
    }
}

/// The seeded schedule of faults: at most one fault per round, spread over the run, never two at once.
public struct FaultPlan: Sendable, Equatable {
    /// (round, fault), ascending by round.
    public let faults: [(round: Round, fault: Fault)]

    /// Places `options` over rounds `firstRound...lastRound` for `replicas` replicas, from `seed`.
    public init(options: FaultOptions, replicas: Int, firstRound: Round, lastRound: Round, seed: UInt64) throws(DriverError) {
        guard options.total > 0, replicas > 0 else { faults = []; return }
        var rng = SplitMix64(seed: seed ^ 0xFA17_5EED)
        var pending: [Fault] = []
        for _ in 0..<options.crashes {
            pending.append(.crash(replica: 0, killAfterMicros: rng.below(3_000), downRounds: rng.below(3)))
        }
        for _ in 0..<options.duplicates { pending.append(.duplicate(replica: 0, roundsBack: rng.below(3))) }
        for _ in 0..<options.outOfOrder { pending.append(.outOfOrder(replica: 0)) }
        for _ in 0..<options.slow { pending.append(.slow(replica: 0, rounds: Round(max(options.slowRounds, 1)))) }
        // Shuffle (Fisher-Yates with the seeded generator) and assign replicas.
        for index in stride(from: pending.count - 1, to: 0, by: -1) {
            pending.swapAt(index, Int(rng.below(UInt64(index + 1))))
        }
        pending = pending.map { fault in
            let replica = Int(rng.below(UInt64(replicas)))
            switch fault {
            case .crash(_, let micros, let down): return .crash(replica: replica, killAfterMicros: micros, downRounds: down)
            case .duplicate(_, let back): return .duplicate(replica: replica, roundsBack: back)
            case .outOfOrder: return .outOfOrder(replica: replica)
            case .slow(_, let rounds): return .slow(replica: replica, rounds: rounds)
            }
        }
        let needed = pending.reduce(Round(0)) { $0 + $1.span }
        guard lastRound >= firstRound, lastRound - firstRound + 1 >= needed else {
            throw .options("\(options.total) faults need at least \(needed) rounds between rounds \(firstRound) and \(lastRound); run more rounds")
        }
        // Each fault gets an equal slot of the range; it starts at a random round of its slot where it fits.
        var placed: [(round: Round, fault: Fault)] = []
        var cursor = firstRound
        var remaining = needed
        for (index, fault) in pending.enumerated() {
            let slotsLeft = Round(pending.count - index)
            let budget = (lastRound + 1 - cursor - remaining) / slotsLeft
            let start = cursor + rng.below(budget + 1)
            placed.append((start, fault))
            cursor = start + fault.span
            remaining -= fault.span
        }
        faults = placed
    }

    public static func == (a: FaultPlan, b: FaultPlan) -> Bool {
        a.faults.map(\.round) == b.faults.map(\.round) && a.faults.map(\.fault) == b.faults.map(\.fault)
    }

    /// The faults starting at `round`.
    public func faults(at round: Round) -> [Fault] { faults.filter { $0.round == round }.map(\.fault) }
}
