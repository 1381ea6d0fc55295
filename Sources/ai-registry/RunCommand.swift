import ArgumentParser

/// `ai-registry run` (being built).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Not available yet.")

    func run() throws {
        throw ValidationError("ai-registry run is not available in this build")
    }
}
