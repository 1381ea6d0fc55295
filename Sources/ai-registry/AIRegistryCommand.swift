import ArgumentParser

/// `ai-registry`: the AI model registry consensus plugin and its operator tools.
@main
struct AIRegistryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ai-registry",
        abstract: "The AI model registry consensus plugin for IPPAN validators.",
        subcommands: [RunCommand.self, KeysCommand.self, TokenCommand.self, QueryCommand.self, InspectCommand.self, AuditCommand.self, MigrateCommand.self, SnapshotCommand.self]
    )
}
