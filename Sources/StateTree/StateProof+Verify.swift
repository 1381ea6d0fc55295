import Sodium

extension StateTree {
    /// Checks that `proof` proves `key ↦ value` (or the absence of `key` when `value` is nil) in the
    /// tree whose root is `root` (rule ST-32). Needs nothing but its arguments.
    public static func verify(
        proof: StateProof, root: Digest256, key: [UInt8], value: [UInt8]?
    ) throws(ProofVerificationError) {
        let keyHash = TreeHash.keyHash(key)
        let levels = proof.levels
        guard levels.count <= NibblePath.maxCount else { throw .malformed(.tooManyLevels(levels.count)) }

        // 1. The terminal against the claim.
        var current: Digest256?
        switch proof.terminal {
        case .empty:
            if value != nil { throw .keyAbsent }
            current = nil
        case .leaf(let leafKeyHash, let valueHash):
            if leafKeyHash == keyHash {
                guard let value else { throw .keyPresent(valueHash: valueHash) }
                let claimed = TreeHash.valueHash(value)
                guard claimed == valueHash else { throw .valueMismatch(claimed: claimed, proven: valueHash) }
            } else {
                if value != nil { throw .leafKeyMismatch(keyHash: keyHash, leafKeyHash: leafKeyHash) }
                guard NibblePath(prefixOf: keyHash, count: levels.count).isPrefix(of: leafKeyHash) else {
                    throw .malformed(.leafNotOnPath(depth: levels.count))
                }
            }
            current = TreeHash.leaf(keyHash: leafKeyHash, valueHash: valueHash)
        }

        // 2. Up the levels, deepest first.
        var hashes = [Digest256](repeating: .zero, count: 16)
        for level in stride(from: levels.count - 1, through: 0, by: -1) {
            let nibble = keyHash.nibble(at: level)
            let bitmap = levels[level].bitmap
            let siblings = levels[level].siblings
            let onPath = bitmap & InternalNode.bit(nibble) != 0
            if current != nil && !onPath { throw .malformed(.pathNotInBitmap(level: level, nibble: nibble)) }
            if current == nil && onPath { throw .malformed(.emptySlotInBitmap(level: level, nibble: nibble)) }
            let expected = bitmap.nonzeroBitCount - (onPath ? 1 : 0)
            guard siblings.count == expected else {
                throw .siblingCountMismatch(level: level, expected: expected, actual: siblings.count)
            }
            if bitmap == 0 { throw .malformed(.nodeWithoutChildren(level: level)) }
            if level == levels.count - 1, case .leaf = proof.terminal, bitmap.nonzeroBitCount == 1 {
                throw .malformed(.leafNotCollapsed(level: level))
            }
            var count = 0
            var next = 0
            for n in 0..<16 where bitmap & InternalNode.bit(n) != 0 {
                if n == nibble, let current {
                    hashes[count] = current
                } else {
                    hashes[count] = siblings[next]
                    next += 1
                }
                count += 1
            }
            current = hashes.withUnsafeBufferPointer {
                TreeHash.internal(bitmap: bitmap, hashes: UnsafeBufferPointer(rebasing: $0[0..<count]))
            }
        }

        // 3. The computed root against the expected one.
        let computed = current ?? TreeHash.emptyRoot
        guard computed == root else { throw .rootMismatch(expected: root, computed: computed) }
    }
}
