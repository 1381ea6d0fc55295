import ArgumentParser
import Foundation
import RegistryNode
import Sodium

#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// `ai-registry token`: MAC keys and scoped, expiring tokens for the query endpoint (ADR 0013).
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create token keys and issue query tokens.",
        subcommands: [Keygen.self, Issue.self, Inspect.self]
    )

    /// `ai-registry token keygen --out F`: a new MAC key file, mode 0600.
    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token MAC key file (mode 0600); list it in query.token_key_files.")

        @Option(name: .long, help: "The key file to create.")
        var out: String

        @Option(name: .long, help: "The key id tokens will name (1-32 of A-Z a-z 0-9 . _ -); default derived from the key.")
        var keyID: String?

        @Flag(name: .long, help: "Replace an existing file.")
        var force = false

        func run() throws {
            let key = try QueryTokenKey.generate(keyID: keyID)
            try SecretFile.write(key.fileContents(), to: out, replace: force)
            print("{\"key_file\":\(jsonString(out)),\"key_id\":\(jsonString(key.keyID))}")
        }
    }

    /// `ai-registry token issue --key-file F --subject S --scopes read,proofs --ttl 24h`.
    struct Issue: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a token; prints the token text.")

        @Option(name: .long, help: "The MAC key file (token keygen).")
        var keyFile: String

        @Option(name: .long, help: "Who the token is for (1-128 bytes): the client name in audit records and rate limits.")
        var subject: String

        @Option(name: .long, help: "Comma-separated scopes: read, proofs, stats, snapshots.")
        var scopes: String = "read"

        @Option(name: .long, help: "Lifetime: a number with s, m, h or d (e.g. 90s, 15m, 24h, 7d); at most 366d.")
        var ttl: String = "24h"

        @Option(name: .long, help: "Issue time in unix seconds (default: now).")
        var issuedAt: UInt64?

        @Flag(name: .long, help: "Print a JSON object with the token and its fields instead of the bare token.")
        var json = false

        func run() throws {
            let key = try QueryTokenKey.load(path: keyFile)
            let scopeSet: QueryScope.Set
            switch QueryScope.Set.parse(scopes) {
            case .success(let set): scopeSet = set
            case .failure(let error): throw ValidationError("--scopes: \(error)")
            }
            guard let lifetime = Self.parseTTL(ttl) else {
                throw ValidationError("--ttl: \"\(ttl)\" is not a duration like 90s, 15m, 24h or 7d (1s…366d)")
            }
            let now = issuedAt ?? UInt64(max(0, time(nil)))
            let token = QueryToken(
                keyID: key.keyID, subject: subject, scopes: scopeSet, issuedAt: now, expiresAt: now + lifetime)
            let text = try token.signed(with: key)
            if json {
                print(TokenCommand.describe(token, text: text, verified: nil).rendered())
            } else {
                print(text)
            }
        }

        /// Seconds of `90s` / `15m` / `24h` / `7d` / `3600`, 1 s … 366 d; nil otherwise.
        static func parseTTL(_ text: String) -> UInt64? {
            var digits = Substring(text)
            var unit: UInt64 = 1
            switch text.last {
            case "s": unit = 1; digits = digits.dropLast()
            case "m": unit = 60; digits = digits.dropLast()
            case "h": unit = 3600; digits = digits.dropLast()
            case "d": unit = 86_400; digits = digits.dropLast()
            default: break
            }
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let count = UInt64(digits) else { return nil }
            let (seconds, overflow) = count.multipliedReportingOverflow(by: unit)
            guard !overflow, (1...366 * 86_400).contains(seconds) else { return nil }
            return seconds
        }
    }

    /// `ai-registry token inspect TOKEN [--key-file F]`: decodes (and with a key, verifies) a token.
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decode a token and print its fields as JSON; with --key-file also check its MAC and times.")

        @Argument(help: "The token text (ait1.…).")
        var token: String

        @Option(name: .long, help: "A key file to verify the token with.")
        var keyFile: String?

        func run() throws {
            let (decoded, _, _) = try QueryToken.parse(token)
            var verified: (Bool, String)?
            if let keyFile {
                let key = try QueryTokenKey.load(path: keyFile)
                switch QueryTokenVerifier(keys: [key]).verify(token, now: UInt64(max(0, time(nil)))) {
                case .success: verified = (true, "")
                case .failure(let error): verified = (false, error.description)
                }
            }
            print(TokenCommand.describe(decoded, text: token, verified: verified).rendered())
        }
    }

    static func describe(_ token: QueryToken, text: String, verified: (Bool, String)?) -> QueryJSONValue {
        var members: [(String, QueryJSONValue)] = [
            ("token", .string(text)), ("key_id", .string(token.keyID)), ("subject", .string(token.subject)),
            ("scopes", .array(token.scopes.scopes.map { .string($0.rawValue) })),
            ("issued_at", .unsigned(token.issuedAt)), ("expires_at", .unsigned(token.expiresAt)),
        ]
        if let verified {
            members.append(("verified", .bool(verified.0)))
            if !verified.0 { members.append(("reason", .string(verified.1))) }
        }
        return .object(members)
    }
}

/// Secret files: created with mode 0600 (`open(O_CREAT | O_EXCL, 0600)`), never world-readable.
enum SecretFile {
    struct WriteError: Error, CustomStringConvertible {
        let path: String
        let operation: String
        let code: Int32
        var description: String { "\(operation)(\(path)) failed: \(String(cString: strerror(code))) (errno \(code))" }
    }

    static func write(_ bytes: [UInt8], to path: String, replace: Bool) throws {
        var flags = O_WRONLY | O_CREAT | O_CLOEXEC
        flags |= replace ? O_TRUNC : O_EXCL
        let descriptor = open(path, flags, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            if code == EEXIST { throw ValidationError("\(path) exists; pass --force to replace it") }
            throw WriteError(path: path, operation: "open", code: code)
        }
        defer { close(descriptor) }
        // An existing file keeps its mode under O_TRUNC: force 0600.
        guard fchmod(descriptor, 0o600) == 0 else { throw WriteError(path: path, operation: "fchmod", code: errno) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw WriteError(path: path, operation: "write", code: errno)
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else { throw WriteError(path: path, operation: "fsync", code: errno) }
    }
}

/// A JSON string literal.
func jsonString(_ text: String) -> String {
    QueryJSONValue.string(text).rendered(pretty: false)
}
