import ArgumentParser

/// `ai-registry inspect` (being built).
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Not available yet.")

    func run() throws {
        throw ValidationError("ai-registry inspect is not available in this build")
    }
}
