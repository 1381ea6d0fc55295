import Foundation
import Logging
import StateStore
import TestSupport
import Testing
import ZMQ
@testable import RegistryNode

/// NodeConfiguration: embedded defaults, strict parsing, errors that name the key path.
@Suite struct ConsensusConfigurationTests {
    static func parse(_ json: String) throws(ConfigurationError) -> NodeConfiguration {
        try NodeConfiguration(json: Data(json.utf8))
    }

    static func error(_ json: String) -> ConfigurationError? {
        do { _ = try parse(json); return nil } catch { return error }
    }

    @Test func embeddedDefaults() throws {
        let defaults = NodeConfiguration.defaults
        #expect(defaults.dataDirectory == "./data/ai-registry")
        #expect(defaults.consensus.endpoint == "tcp://127.0.0.1:26670")
        #expect(defaults.query.endpoint == "tcp://127.0.0.1:26671")
        #expect(defaults.events.endpoint == "tcp://127.0.0.1:26672")
        #expect(defaults.metrics.port == 26673)
        #expect(defaults.metrics.host == "127.0.0.1")
        #expect(defaults.storage.durability == .noMetaSync)
        #expect(defaults.storage.retentionRounds == 100_000)
        #expect(defaults.logLevel == .info)
        #expect(defaults.consensus.curve == nil)
        #expect(defaults.auditLogPath == "./data/ai-registry/audit.log")
        try defaults.validate()
        // An empty file is the defaults.
        let empty = try Self.parse("{}")
        #expect(empty.consensus == defaults.consensus)
        #expect(empty.query == defaults.query)
        #expect(empty.metrics == defaults.metrics)
    }

    @Test func fullFile() throws {
        let directory = TemporaryDirectory(prefix: "config")
        let server = try CurveKeyPair.generate()
        let host = try CurveKeyPair.generate()
        try KeysFile.write(server.secretKeyZ85, to: directory.file("server.secret"), mode: 0o600, overwrite: false)
        try KeysFile.write(host.publicKeyZ85, to: directory.file("host.public"), mode: 0o644, overwrite: false)
        let configuration = try Self.parse("""
            {
              "data_dir": "\(directory.path)/data",
              "log_level": "debug",
              "consensus": {
                "endpoint": "ipc://\(directory.path)/consensus.sock",
                "max_frame_bytes": 2048,
                "ip_allow_list": ["10.0.0.0/8", "::1"],
                "curve": { "secret_key_file": "\(directory.file("server.secret"))",
                           "allowed_client_key_files": ["\(directory.file("host.public"))"],
                           "allowed_client_keys": ["\(host.publicKeyZ85)"] }
              },
              "query": { "endpoint": "ipc://\(directory.path)/query.sock", "workers": 3 },
              "events": { "endpoint": "ipc://\(directory.path)/events.sock", "high_water_mark": 50, "enabled": false },
              "metrics": { "port": 0 },
              "storage": { "map_size_bytes": 1073741824, "sync_mode": "full", "max_readers": 64,
                           "retention_rounds": 0, "prune_batch_entries": 500 },
              "audit": { "path": "\(directory.path)/audit.jsonl", "max_bytes": 1048576, "max_files": 2 }
            }
            """)
        #expect(configuration.dataDirectory == directory.path + "/data")
        #expect(configuration.logLevel == .debug)
        #expect(configuration.consensus.maxFrameBytes == 2048)
        #expect(configuration.consensus.ipAllowList == ["10.0.0.0/8", "::1"])
        #expect(configuration.consensus.curve?.secretKey == server.secretKey)
        #expect(configuration.consensus.curve?.allowedClientKeys == [host.publicKey, host.publicKey])
        #expect(configuration.query.workers == 3)
        #expect(configuration.events.enabled == false)
        #expect(configuration.events.highWaterMark == 50)
        #expect(configuration.metrics.port == 0)
        #expect(configuration.storage.durability == .full)
        #expect(configuration.storage.retentionRounds == 0)
        #expect(configuration.storage.storeConfiguration.mapSize == 1 << 30)
        #expect(configuration.auditLogPath == directory.path + "/audit.jsonl")
        #expect(configuration.audit.maxFiles == 2)
    }

    @Test func errorsNameTheKeyPath() {
        #expect(Self.error(#"{"consensus": {"max_frame_bytes": 10}}"#)?.description
                == "consensus.max_frame_bytes: must be between 1024 and 268435456 (got 10)")
        #expect(Self.error(#"{"consensus": {"max_frame_bytes": "big"}}"#)?.key == "consensus.max_frame_bytes")
        #expect(Self.error(#"{"consensus": {"max_frame_bytes": 1.5}}"#)?.key == "consensus.max_frame_bytes")
        #expect(Self.error(#"{"consensus": {"max_frame_bytes": true}}"#)?.key == "consensus.max_frame_bytes")
        #expect(Self.error(#"{"consensus": {"endpont": "tcp://x:1"}}"#)?.key == "consensus.endpont")
        #expect(Self.error(#"{"consensus": {"endpoint": "http://x"}}"#)?.key == "consensus.endpoint")
        #expect(Self.error(#"{"consensus": {"ip_allow_list": ["10.0.0.0/8", "nope"]}}"#)?.key == "consensus.ip_allow_list[1]")
        #expect(Self.error(#"{"consensus": {"curve": {}}}"#)?.key == "consensus.curve.secret_key_file")
        #expect(Self.error(#"{"consensus": {"curve": {"secret_key_file": "/nonexistent/key"}}}"#)?.key == "consensus.curve.secret_key_file")
        #expect(Self.error(#"{"consensus": []}"#)?.key == "consensus")
        #expect(Self.error(#"{"storage": {"sync_mode": "sometimes"}}"#)?.key == "storage.sync_mode")
        #expect(Self.error(#"{"storage": {"retention_rounds": -1}}"#)?.key == "storage.retention_rounds")
        #expect(Self.error(#"{"storage": {"map_size_bytes": 5}}"#)?.key == "storage.map_size_bytes")
        #expect(Self.error(#"{"events": {"enabled": 1}}"#)?.key == "events.enabled")
        #expect(Self.error(#"{"audit": {"max_files": 0}}"#)?.key == "audit.max_files")
        #expect(Self.error(#"{"log_level": "loud"}"#)?.key == "log_level")
        #expect(Self.error(#"{"data_dir": 3}"#)?.key == "data_dir")
        #expect(Self.error(#"{"colour": "blue"}"#)?.key == "colour")
        #expect(Self.error(#"{"metrics": {"port": 70000}}"#)?.key == "metrics.port")
        #expect(Self.error(#"{"query": {"workers": 0}}"#)?.key == "query.workers")
        #expect(Self.error("[1]")?.key == "")
        #expect(Self.error("{not json")?.key == "")
        #expect(Self.error(#"{"consensus": {"endpoint": "tcp://127.0.0.1:5"}, "events": {"endpoint": "tcp://127.0.0.1:5"}}"#)?.key == "events.endpoint")
    }

    @Test func curveNeedsAHostKey() throws {
        let directory = TemporaryDirectory(prefix: "config")
        try KeysFile.write(try CurveKeyPair.generate().secretKeyZ85, to: directory.file("s"), mode: 0o600, overwrite: false)
        let error = Self.error(#"{"consensus": {"curve": {"secret_key_file": ""# + directory.file("s") + #""}}}"#)
        #expect(error?.key == "consensus.curve.allowed_client_keys")
        let badKey = Self.error(#"{"consensus": {"curve": {"secret_key_file": ""# + directory.file("s") + #"", "allowed_client_keys": ["xyz"]}}}"#)
        #expect(badKey?.key == "consensus.curve.allowed_client_keys[0]")
    }

    @Test func keyFilesAreSecretAndNotOverwritten() throws {
        let directory = TemporaryDirectory(prefix: "keys")
        let path = directory.file("k.secret")
        let pair = try CurveKeyPair.generate()
        try KeysFile.write(pair.secretKeyZ85, to: path, mode: 0o600, overwrite: false)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(throws: KeysFile.Failure.self) { try KeysFile.write("other", to: path, mode: 0o600, overwrite: false) }
        #expect(try KeysFile.readKey(path: path) == pair.secretKey)
        try KeysFile.write(Hex.encode(pair.publicKey), to: path, mode: 0o600, overwrite: true)
        #expect(try KeysFile.readKey(path: path) == pair.publicKey)
        #expect(throws: KeysFile.Failure.self) { try KeysFile.readKey(path: directory.file("missing")) }
    }
}

import Sodium

/// The audit log: JSON lines, escaping, rotation by size.
@Suite struct ConsensusAuditLogTests {
    @Test func recordsAreJSONLines() throws {
        let directory = TemporaryDirectory(prefix: "audit")
        let path = directory.file("audit.log")
        let log = try AuditLog(path: path, logger: Logger(label: "audit-test"))
        log.record(.frameTooLarge, endpoint: "consensus", client: "ip=ipc", detail: "quote \" backslash \\ newline \n tab \t bell \u{07}")
        log.record(.handshakeRefused, endpoint: "query", client: "key=abc", detail: "ünïcode")
        let text = String(decoding: try #require(FileManager.default.contents(atPath: path)), as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: String])
        #expect(first["kind"] == "frameTooLarge")
        #expect(first["endpoint"] == "consensus")
        #expect(first["client"] == "ip=ipc")
        #expect(first["detail"] == "quote \" backslash \\ newline \n tab \t bell \u{07}")
        #expect(first["time"]?.count == 24)
        let second = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: String])
        #expect(second["detail"] == "ünïcode")
    }

    @Test func rotatesBySize() throws {
        let directory = TemporaryDirectory(prefix: "audit")
        let path = directory.file("audit.log")
        let log = try AuditLog(path: path, maxBytes: 4096, maxFiles: 2, logger: Logger(label: "audit-test"))
        let detail = String(repeating: "x", count: 400)
        for _ in 0..<40 { log.record(.malformedRequest, endpoint: "consensus", client: "c", detail: detail) }
        let manager = FileManager.default
        #expect(manager.fileExists(atPath: path + ".1"))
        #expect(manager.fileExists(atPath: path + ".2"))
        #expect(!manager.fileExists(atPath: path + ".3"))
        for file in [path, path + ".1", path + ".2"] {
            let size = try #require(manager.attributesOfItem(atPath: file)[.size] as? NSNumber).intValue
            #expect(size <= 4096)
        }
    }

    @Test func nilPathLogsOnly() throws {
        let log = try AuditLog(path: nil, logger: Logger(label: "audit-test"))
        log.record(.internalError, endpoint: "consensus", client: "c", detail: "d")
        #expect(log.path == nil)
    }

    @Test func unwritablePathIsATypedError() {
        #expect(throws: AuditLogError.self) {
            _ = try AuditLog(path: "/nonexistent-dir/audit.log", logger: Logger(label: "audit-test"))
        }
    }
}
