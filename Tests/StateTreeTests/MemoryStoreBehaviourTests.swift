import StateTree
import Testing

/// The shared behaviour suite against `MemoryNodeStore`.
@Suite("State tree behaviour · MemoryNodeStore")
struct MemoryStoreBehaviourTests {
    @Test(arguments: StateTreeBehaviourSuite.allCases)
    func behaviour(_ scenario: StateTreeBehaviourSuite) throws {
        try scenario.run { MemoryHarness() }
    }
}
