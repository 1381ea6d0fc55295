import ArgumentParser

/// `ai-registry query` (being built).
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "query", abstract: "Not available yet.")

    func run() throws {
        throw ValidationError("ai-registry query is not available in this build")
    }
}
