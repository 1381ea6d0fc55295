import ArgumentParser
import Foundation
import RegistryClient
import RegistryNode
import Sodium
import StateSync
import Wire

/// `ai-registry snapshot fetch`: state sync from a peer's plugin over its query endpoint (ADR 0022).
///
/// Lists the peer's snapshots (`list_snapshots`), takes the newest (or `--round`), checks the manifest
/// bytes against their id and the listed fields, then downloads the chunks in order
/// (`get_snapshot_chunk`), checks each against the manifest's size and BLAKE2b-256 (a chunk that fails
/// is fetched again, up to `--attempts` times) and streams it into a `SnapshotImporter` building the
/// store in a staging directory beside `--data-dir`. Only when the rebuilt root equals the manifest's
/// (and `--trusted-root`, when given) does the store appear at `--data-dir`; any failure leaves
/// nothing there. Progress goes to stderr, one JSON summary line to stdout.
struct SnapshotFetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "State-sync a new data directory from a peer plugin's snapshots (query endpoint).",
        discussion: """
            Example: ai-registry snapshot fetch --from tcp://10.0.0.5:26671 --token $TOKEN \
            --data-dir /var/lib/ai-registry --trusted-root <root of round R from the host chain>. \
            Then `ai-registry run --data-dir /var/lib/ai-registry` starts from round R. The token needs \
            scope `snapshots`. Without --trusted-root the peer is trusted for the root: check the printed \
            root against the host chain before serving.
            """
    )

    @OptionGroup var connection: QueryCommand.Connection

    @Option(name: .long, help: "The peer's query endpoint (overrides --endpoint).")
    var from: String

    @Option(name: .long, help: "The snapshot round to fetch (default: the newest the peer offers).")
    var round: UInt64?

    @Option(name: .long, help: "The new data directory (must not exist or be empty).")
    var dataDir: String

    @Option(name: .long, help: "The state root (64 hex) the operator trusts for the round; the import fails unless it matches.")
    var trustedRoot: String?

    @Option(name: .long, help: "Attempts per chunk (a failed hash check, timeout or transient error is retried).")
    var attempts: Int = 3

    @Option(name: .long, help: "How long to wait for one chunk, in milliseconds.")
    var chunkTimeoutMs: Int = 60_000

    func validate() throws {
        guard (1...100).contains(attempts) else { throw ValidationError("--attempts must be 1…100") }
        guard (1...3_600_000).contains(chunkTimeoutMs) else { throw ValidationError("--chunk-timeout-ms must be 1…3600000") }
        guard !dataDir.isEmpty else { throw ValidationError("--data-dir must not be empty") }
        if let trustedRoot, Hex.decode(trustedRoot).flatMap(Digest256.init(bytes:)) == nil {
            throw ValidationError("--trusted-root must be 64 hex characters")
        }
    }

    func run() throws {
        let trusted = trustedRoot.flatMap(Hex.decode).flatMap(Digest256.init(bytes:))
        var peer = connection
        peer.endpoint = from
        let client = try peer.client()
        defer { client.close() }

        let (info, manifest) = try chooseSnapshot(client)
        progress("fetching snapshot of round \(manifest.round) from \(from): root \(manifest.root.hex), "
            + "\(manifest.entryCount) entries, \(manifest.chunks.count) chunks, \(manifest.totalChunkBytes) bytes")
        var importer: SnapshotImporter
        do { importer = try SnapshotImporter(manifest: manifest, dataDirectory: dataDir, trustedRoot: trusted) } catch {
            throw RunFailure("snapshot fetch: \(error)")
        }
        var received = 0
        for chunk in manifest.chunks {
            let bytes = try fetch(chunk, round: manifest.round, client: client)
            do { try importer.apply(chunkIndex: chunk.index, bytes: bytes) } catch {
                throw RunFailure("snapshot fetch: \(error) (nothing was written to \(dataDir))")
            }
            received += bytes.count
            progress("chunk \(chunk.index + 1)/\(manifest.chunks.count): \(bytes.count) bytes, \(chunk.entryCount) entries "
                + "(\(received) of \(manifest.totalChunkBytes) bytes)")
        }
        let root: Digest256
        do { root = try importer.finish() } catch {
            throw RunFailure("snapshot fetch: \(error) (nothing was written to \(dataDir))")
        }
        progress("imported round \(manifest.round) into \(dataDir): root \(root.hex)")
        let summary = QueryJSONValue.object([
            ("round", .unsigned(manifest.round)), ("root", .string(root.hex)), ("chain_id", .string(manifest.chainID)),
            ("entries", .unsigned(manifest.entryCount)), ("chunks", .unsigned(UInt64(manifest.chunks.count))),
            ("bytes", .unsigned(UInt64(received))), ("manifest_id", .string(Hex.encode(info.manifestID))),
            ("trusted_root_checked", .bool(trusted != nil)), ("data_dir", .string(dataDir)),
        ])
        print(summary.rendered(pretty: false))
    }

    /// The offered snapshot to fetch and its manifest, checked against the listed id and fields.
    private func chooseSnapshot(_ client: QueryClient) throws -> (AiRegistry_V1_SnapshotInfo, SnapshotManifest) {
        let offered: [AiRegistry_V1_SnapshotInfo]
        do { offered = try client.listSnapshots() } catch {
            throw RunFailure("snapshot fetch: list_snapshots on \(from): \(error)")
        }
        let rounds = offered.map { String($0.round) }.joined(separator: ", ")
        let chosen: AiRegistry_V1_SnapshotInfo
        if let round {
            guard let match = offered.first(where: { $0.round == round }) else {
                throw RunFailure("snapshot fetch: \(from) offers no snapshot of round \(round) (offered: \(rounds.isEmpty ? "none" : rounds))")
            }
            chosen = match
        } else {
            guard let newest = offered.max(by: { $0.round < $1.round }) else {
                throw RunFailure("snapshot fetch: \(from) offers no snapshots (enable snapshots.interval_rounds there, or run `ai-registry snapshot export`)")
            }
            chosen = newest
        }
        let bytes = [UInt8](chosen.manifest)
        guard Blake2b.hash256(bytes).bytes == [UInt8](chosen.manifestID) else {
            throw RunFailure("snapshot fetch: the manifest of round \(chosen.round) does not hash to its manifest_id")
        }
        let manifest: SnapshotManifest
        do { manifest = try SnapshotManifest(decoding: bytes) } catch {
            throw RunFailure("snapshot fetch: the manifest of round \(chosen.round) is invalid: \(error)")
        }
        let mismatch: String? =
            manifest.round != chosen.round ? "round \(manifest.round)"
            : [UInt8](chosen.root) != manifest.root.bytes ? "root \(manifest.root.hex)"
            : Int(chosen.chunkCount) != manifest.chunks.count ? "\(manifest.chunks.count) chunks"
            : chosen.entryCount != manifest.entryCount ? "\(manifest.entryCount) entries"
            : nil
        if let mismatch {
            throw RunFailure("snapshot fetch: the manifest says \(mismatch), unlike the listing of round \(chosen.round)")
        }
        return (chosen, manifest)
    }

    /// One chunk, checked against the manifest; retried on a bad hash, a timeout or a transient error.
    private func fetch(_ chunk: SnapshotChunkInfo, round: UInt64, client: QueryClient) throws -> [UInt8] {
        var failures: [String] = []
        for attempt in 1...attempts {
            if attempt > 1 { Thread.sleep(forTimeInterval: min(0.2 * Double(attempt - 1), 2)) }
            let reply: AiRegistry_V1_GetSnapshotChunkResponse
            do {
                reply = try client.snapshotChunk(round: round, index: chunk.index, timeout: .milliseconds(chunkTimeoutMs))
            } catch {
                if let server = error.serverError {
                    // The peer no longer has it (pruned meanwhile) or refuses us: retrying will not help.
                    if server.code == .notFound || server.code == .unauthorized || server.code == .invalidArgument {
                        throw RunFailure("snapshot fetch: chunk \(chunk.index) of round \(round): \(error) (nothing was written to \(dataDir))")
                    }
                    if server.code == .rateLimited {
                        Thread.sleep(forTimeInterval: min(Double(server.retryAfterMillis) / 1000, 10))
                    }
                }
                failures.append("\(error)")
                progress("chunk \(chunk.index): attempt \(attempt)/\(attempts) failed: \(error)")
                continue
            }
            let bytes = [UInt8](reply.chunk)
            let hash = Blake2b.hash256(bytes)
            guard bytes.count == chunk.byteCount, hash == chunk.hash else {
                let reason = bytes.count != chunk.byteCount
                    ? "has \(bytes.count) bytes, the manifest says \(chunk.byteCount)"
                    : "hashes to \(hash.hex), the manifest says \(chunk.hash.hex)"
                failures.append(reason)
                progress("chunk \(chunk.index): attempt \(attempt)/\(attempts) refused: \(reason)")
                continue
            }
            return bytes
        }
        throw RunFailure("snapshot fetch: chunk \(chunk.index) of round \(round) failed \(attempts) attempts "
            + "(last: \(failures.last ?? "?")); nothing was written to \(dataDir)")
    }

    private func progress(_ line: String) {
        FileHandle.standardError.write(Data(("snapshot fetch: " + line + "\n").utf8))
    }
}
