import ArgumentParser

/// `ai-registry audit`: the audit log of rejected requests (Docs/operators/audit-log.md).
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Read the audit log (authentication failures, rate limits, malformed requests, refused rounds).",
        subcommands: [AuditTailCommand.self]
    )
}
