import Foundation
import RegistryCore
import Sodium
import StateStore
import StateTree
import Wire

/// One request's view of the store: the snapshot (through `SnapshotStateReader`), with the round
/// resolution, point reads and proofs every request kind shares. Errors are `WireError`s.
struct QueryContext {
    let reader: SnapshotStateReader
    /// The store the snapshot is of, when known: lets a request for the round in flight wait for it.
    var store: StateStore? = nil

    /// Runs `body` on the snapshot; a store failure is INTERNAL.
    func snapshot<R>(_ body: (borrowing Snapshot) throws(StateStoreError) -> R) throws(WireError) -> R {
        do { return try reader.withSnapshot(body) } catch {
            throw WireError(.internal, "state store: \(error.description)")
        }
    }

    /// The latest committed round; NOT_FOUND on an empty store.
    func latest() throws(WireError) -> UInt64 {
        guard let version = reader.version else {
            throw WireError(.notFound, "no round has been committed yet (the chain is not initialised)")
        }
        return version
    }

    /// The round a read targets: `read.round` when set, else the latest. A round above the latest is
    /// NOT_FOUND, one below the earliest retained ROUND_PRUNED, one never committed NOT_FOUND; each
    /// names `field` and the round.
    func resolve(_ read: AiRegistry_V1_ReadOptions, field: String) throws(WireError) -> UInt64 {
        let latest = try latest()
        guard read.hasRound else { return latest }
        return try retained(read.round, latest: latest, field: field)
    }

    /// `round` if it is retained, else the error naming it.
    func retained(_ round: UInt64, latest: UInt64, field: String) throws(WireError) -> UInt64 {
        guard round <= latest else {
            // The round answered to the host but still being written (write-behind, ADR 0027): wait for
            // that one write, then read from a snapshot that holds it.
            // (A write that ended after this snapshot was taken is seen by reopening it.)
            var latest = latest
            if let store {
                do {
                    if let inFlight = store.versionInFlight, round <= inFlight { try store.awaitCommitted() }
                    try reader.reopen(from: store)
                } catch {
                    throw WireError(.internal, "state store: \(error.description)")
                }
                latest = try self.latest()
                if round <= latest { return try retained(round, latest: latest, field: field) }
            }
            throw WireError(.notFound, "round \(round) is not committed yet (the latest round is \(latest))", field: field)
        }
        let (found, earliest) = try snapshot { snapshot throws(StateStoreError) in
            (try snapshot.retainedVersions(from: round, limit: 1).first,
             try snapshot.retainedVersions(from: 0, limit: 1).first)
        }
        if found == round { return round }
        if let earliest, round < earliest {
            throw WireError(
                .roundPruned, "round \(round) was pruned (the earliest retained round is \(earliest))", field: field)
        }
        throw WireError(.notFound, "round \(round) was never committed", field: field)
    }

    /// The value of `key` at `round` and, with `prove`, the proof of it (or of its absence) against
    /// the round's root. Reads of the latest round without a proof use the flat state.
    func read(_ key: [UInt8], round: UInt64, prove: Bool) throws(WireError) -> (value: [UInt8]?, proof: AiRegistry_V1_Proof?) {
        let latest = try latest()
        return try snapshot { snapshot throws(StateStoreError) in
            if !prove && round == latest { return (try snapshot.value(key), nil) }
            let (value, stateProof) = try snapshot.get(key, version: round)
            guard prove else { return (value, nil) }
            let root = try snapshot.rootHash(version: round)
            var proof = AiRegistry_V1_Proof()
            proof.round = round
            proof.root = Data(root.bytes)
            proof.proof = Data(stateProof.encoded)
            proof.key = Data(key)
            return (value, proof)
        }
    }

    /// A stored object read for a point query: its round, decoded value, canonical bytes and proof.
    struct ObjectRead<T> {
        let round: UInt64
        let object: T?
        let value: [UInt8]?
        let proof: AiRegistry_V1_Proof?
    }

    /// Reads and decodes the object under `key` at the round `read` names (`roundField` names that
    /// option in errors). An absent object is NOT_FOUND with `notFound(round)` and `notFoundField`
    /// unless a proof was asked for: then the reply carries the proof of absence instead.
    func readObject<T: CanonicalDecodable>(
        _ type: T.Type, key: [UInt8], read: AiRegistry_V1_ReadOptions, roundField: String,
        notFoundField: String, notFound: (UInt64) -> String
    ) throws(WireError) -> ObjectRead<T> {
        let round = try resolve(read, field: roundField)
        let (value, proof) = try self.read(key, round: round, prove: read.prove)
        guard let value else {
            if !read.prove { throw WireError(.notFound, notFound(round), field: notFoundField) }
            return ObjectRead(round: round, object: nil, value: nil, proof: proof)
        }
        return ObjectRead(round: round, object: try decode(T.self, value, key: key), value: value, proof: proof)
    }

    /// Decodes a stored value; undecodable bytes in the store are INTERNAL.
    func decode<T: CanonicalDecodable>(_ type: T.Type, _ bytes: [UInt8], key: [UInt8]) throws(WireError) -> T {
        do { return try T(canonicalBytes: bytes) } catch {
            throw WireError(.internal, "the stored \(T.self) under key \(Hex.encode(key)) does not decode: \(error)")
        }
    }

    /// Runs a RegistryCore read; a `StateError` is INTERNAL.
    func core<R>(_ body: () throws(StateError) -> R) throws(WireError) -> R {
        do { return try body() } catch {
            throw WireError(.internal, "state read: \(error.description)")
        }
    }
}
