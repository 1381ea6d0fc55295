import Foundation
import Sodium
import StateTree
import Wire

/// Verification of the Merkle proofs the query endpoint returns: a reply's value (or its absence) is
/// checked against the root the proof names, needing nothing but the reply (rule ST-32). A client that
/// trusts a root (from its own host node, or `Info`) passes it as `trustedRoot`.
public enum ProofCheck {
    /// Why a proof does not verify.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The reply carries no proof (the request did not ask for one, or the server omitted it).
        case missing
        /// `root` is not 32 bytes.
        case badRoot(bytes: Int)
        /// The proof bytes do not decode (StateProof encoding).
        case undecodable(TreeDecodingError)
        /// The proof's root is not the trusted one.
        case rootMismatch(proven: Digest256, trusted: Digest256)
        /// The proof is for another key.
        case keyMismatch
        /// The proof does not prove the value (or absence) against its root.
        case invalid(ProofVerificationError)

        public var description: String {
            switch self {
            case .missing: return "no proof in the reply"
            case .badRoot(let n): return "proof root is \(n) bytes, expected 32"
            case .undecodable(let e): return "proof does not decode: \(e)"
            case .rootMismatch(let proven, let trusted): return "proof is against root \(proven.hex), trusted root is \(trusted.hex)"
            case .keyMismatch: return "proof is for another key"
            case .invalid(let e): return "proof does not verify: \(e)"
            }
        }
    }

    /// Checks that `proof` proves `value` (nil: absence) for the proof's key — or for `key`, when given
    /// — against the proof's root, and that root against `trustedRoot` when given. Returns the root.
    @discardableResult
    public static func verify(_ proof: AiRegistry_V1_Proof, value: [UInt8]?, key: [UInt8]? = nil,
                              trustedRoot: Digest256? = nil) throws(Failure) -> Digest256 {
        guard !proof.proof.isEmpty else { throw .missing }
        guard let root = Digest256(bytes: proof.root) else { throw .badRoot(bytes: proof.root.count) }
        if let trustedRoot, trustedRoot != root { throw .rootMismatch(proven: root, trusted: trustedRoot) }
        let provenKey = [UInt8](proof.key)
        if let key, key != provenKey { throw .keyMismatch }
        let decoded: StateProof
        do { decoded = try StateProof(decoding: [UInt8](proof.proof)) } catch { throw .undecodable(error) }
        do { try StateTree.verify(proof: decoded, root: root, key: provenKey, value: value) } catch { throw .invalid(error) }
        return root
    }

    /// `verify` for replies that return the value as bytes, empty when absent (get_model, get_account, …).
    @discardableResult
    public static func verify(_ proof: AiRegistry_V1_Proof, valueOrEmpty value: Data, key: [UInt8]? = nil,
                              trustedRoot: Digest256? = nil) throws(Failure) -> Digest256 {
        try verify(proof, value: value.isEmpty ? nil : [UInt8](value), key: key, trustedRoot: trustedRoot)
    }
}
