import ArgumentParser

/// `ai-registry token` (being built).
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Not available yet.")

    func run() throws {
        throw ValidationError("ai-registry token is not available in this build")
    }
}
