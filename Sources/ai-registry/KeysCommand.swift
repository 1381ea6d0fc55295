import ArgumentParser
import Foundation
import RegistryNode
import Sodium
import ZMQ

/// `ai-registry keys`: CURVE and Ed25519 key files for operators (secret files mode 0600).
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create and show CURVE and Ed25519 key files.",
        subcommands: [Curve.self, Ed25519Keys.self, Show.self]
    )

    /// `keys curve --out DIR [--name NAME] [--force]`.
    struct Curve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "curve",
            abstract: "Create CurveZMQ key pairs: NAME.secret (Z85, mode 0600) and NAME.public (Z85).",
            discussion: """
                Without --name, creates two pairs: server.* (for the plugin's consensus.curve.secret_key_file) \
                and client.* (for the host node; put client.public in consensus.curve.allowed_client_keys).
                """
        )

        @Option(name: .long, help: "The directory to write the key files to (created if missing).")
        var out: String

        @Option(name: .long, help: "Create one pair with this file name stem instead of server and client.")
        var name: String?

        @Flag(name: .long, help: "Overwrite existing key files.")
        var force = false

        func run() throws {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let names = name.map { [$0] } ?? ["server", "client"]
            for stem in names {
                guard !stem.isEmpty, !stem.contains("/") else { throw ValidationError("--name must be a plain file name") }
                let pair = try CurveKeyPair.generate()
                let directory = out as NSString
                let secretPath = directory.appendingPathComponent(stem + ".secret")
                let publicPath = directory.appendingPathComponent(stem + ".public")
                try KeysFile.write(pair.secretKeyZ85, to: secretPath, mode: 0o600, overwrite: force)
                try KeysFile.write(pair.publicKeyZ85, to: publicPath, mode: 0o644, overwrite: force)
                print("\(stem): public \(pair.publicKeyZ85) (\(publicPath)); secret in \(secretPath)")
            }
        }
    }

    /// `keys ed25519 --out FILE [--force]`.
    struct Ed25519Keys: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ed25519",
            abstract: "Create an Ed25519 signing key: FILE holds the 32-byte seed as hex (mode 0600), FILE.pub the public key as hex."
        )

        @Option(name: .long, help: "The seed file to create.")
        var out: String

        @Flag(name: .long, help: "Overwrite existing key files.")
        var force = false

        func run() throws {
            let pair = Ed25519.KeyPair.generate()
            try KeysFile.write(Hex.encode(pair.seed), to: out, mode: 0o600, overwrite: force)
            try KeysFile.write(Hex.encode(pair.publicKey), to: out + ".pub", mode: 0o644, overwrite: force)
            print("public \(Hex.encode(pair.publicKey)) (\(out).pub); seed in \(out)")
        }
    }

    /// `keys show FILE [--type curve|ed25519]`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print the public part of a key file (never the secret).",
            discussion: """
                64 hex characters are an Ed25519 seed (or public key when the name ends in .pub); 40 Z85 \
                characters are a CURVE secret key (or public key when the name ends in .public). --type overrides.
                """
        )

        enum KeyType: String, ExpressibleByArgument, CaseIterable { case curve, ed25519 }

        @Argument(help: "The key file.")
        var file: String

        @Option(name: .long, help: "The kind of key: curve or ed25519 (default: from the file's content).")
        var type: KeyType?

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("cannot read \(file)")
            }
            let text = String(decoding: data.prefix(4096), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let isPublicFile = file.hasSuffix(".pub") || file.hasSuffix(".public")
            let kind = type ?? (text.utf8.count == 64 ? .ed25519 : .curve)
            switch kind {
            case .ed25519:
                guard text.utf8.count == 64, let bytes = Hex.decode(text) else {
                    throw ValidationError("\(file) does not hold 64 hex characters")
                }
                let publicKey = isPublicFile ? bytes : try Ed25519.KeyPair(seed: bytes).publicKey
                print("ed25519 public \(Hex.encode(publicKey))")
            case .curve:
                guard let bytes = KeysFile.decodeKey(text) else {
                    throw ValidationError("\(file) does not hold a 32-byte key (40 Z85 or 64 hex characters)")
                }
                let publicKey = isPublicFile ? bytes : try CurveKeyPair(secretKey: bytes).publicKey
                print("curve public \(try Z85.encode(publicKey)) hex \(Hex.encode(publicKey))")
            }
        }
    }
}
