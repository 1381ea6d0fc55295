import Testing
@testable import RegistryCore

/// The transaction layer (D5) and ordered scans over pending writes (D2, D4).
@Suite struct StateOverlayTests {
    func base() -> MemoryState {
        var s = MemoryState()
        s.apply([StateWrite(key: [0x10, 1], value: [1]), StateWrite(key: [0x10, 3], value: [3]), StateWrite(key: [0x11, 1], value: [9])])
        return s
    }

    @Test func scanMergesPendingWritesAcrossTablesInOrder() throws {
        var o = StateOverlay(base: base())
        o.put([0x10, 2], [2])
        o.delete([0x10, 3])
        o.put([0x11, 0], [8])
        let rows = try o.scan(from: [0x10], to: [0x12], limit: 10)
        #expect(rows.map(\.key) == [[0x10, 1], [0x10, 2], [0x11, 0], [0x11, 1]])
        let reverse = try o.scan(from: [0x10], to: [0x11], reverse: true, limit: 1)
        #expect(reverse.map(\.key) == [[0x10, 2]])
        #expect(o.sortedWrites().map(\.key) == [[0x10, 2], [0x10, 3], [0x11, 0]])
    }

    @Test func discardedTransactionLeavesNothing() throws {
        var o = StateOverlay(base: base())
        o.beginTransaction()
        o.put([0x10, 5], [5])
        o.delete([0x10, 1])
        #expect(try o.value(for: [0x10, 1]) == nil)
        o.discardTransaction()
        #expect(try o.value(for: [0x10, 1]) == [1])
        #expect(o.sortedWrites().isEmpty)
        o.beginTransaction()
        o.put([0x10, 5], [5])
        o.commitTransaction()
        #expect(o.sortedWrites() == [StateWrite(key: [0x10, 5], value: [5])])
    }

    /// D1: the same input over the same state gives byte-identical outcomes.
    @Test func executionIsReproducible() throws {
        var a = TestChain(), b = TestChain()
        for chain in [0, 1] {
            var c = chain == 0 ? a : b
            c.submit(c.tx(TestChain.alice, .registerModel(TestChain.registration())))
            _ = c.passProposal(.approveModel(ModelID(name: "resnet", version: "1.0"), activationRound: 0))
            if chain == 0 { a = c } else { b = c }
        }
        #expect(a.state.pairs == b.state.pairs)
        #expect(a.outcomes.map { $0.canonicalBytes() } == b.outcomes.map { $0.canonicalBytes() })
    }
}
