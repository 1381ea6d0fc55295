import ArgumentParser

/// `ai-registry keys` (being built).
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "keys", abstract: "Not available yet.")

    func run() throws {
        throw ValidationError("ai-registry keys is not available in this build")
    }
}
