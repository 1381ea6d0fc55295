import Foundation
import ZMQ

/// The `consensus` section: where the host connects, the frame limit and the endpoint's security.
public struct ConsensusEndpointConfiguration: Sendable, Equatable {
    /// CurveZMQ on the consensus endpoint: the plugin's secret key and the host keys allowed to connect.
    public struct Curve: Sendable, Equatable {
        /// The server's 32-byte CURVE secret key (the public key is derived; give it to the host).
        public var secretKey: [UInt8]
        /// The 32-byte public keys of the hosts allowed to connect; any other key is refused at the
        /// handshake and audited.
        public var allowedClientKeys: [[UInt8]]

        public init(secretKey: [UInt8], allowedClientKeys: [[UInt8]]) {
            self.secretKey = secretKey
            self.allowedClientKeys = allowedClientKeys
        }
    }

    /// The ZeroMQ endpoint the ROUTER socket binds (`ipc://path` or `tcp://host:port`).
    public var endpoint: String
    /// The largest request frame in bytes (1024…268435456). Default 16 MiB. Larger frames up to
    /// `transportFrameLimit` get a FRAME_TOO_LARGE reply; beyond it ZeroMQ drops the frame and the connection.
    public var maxFrameBytes: Int
    /// CurveZMQ settings, or nil for the NULL mechanism (no encryption: use only on ipc or loopback).
    public var curve: Curve?
    /// Source addresses allowed to connect over TCP (IPv4/IPv6 addresses or CIDR blocks); empty allows
    /// any. Checked by the ZAP handler. ipc connections carry no address and are governed by the socket
    /// file's permissions instead.
    public var ipAllowList: [String]

    public init(endpoint: String = "tcp://127.0.0.1:26670", maxFrameBytes: Int = 16 << 20, curve: Curve? = nil,
                ipAllowList: [String] = []) {
        self.endpoint = endpoint
        self.maxFrameBytes = maxFrameBytes
        self.curve = curve
        self.ipAllowList = ipAllowList
    }

    /// The defaults: `tcp://127.0.0.1:26670`, 16 MiB frames, no CURVE, any source address.
    public static let defaults = ConsensusEndpointConfiguration()

    /// The keys of the section.
    public static let keys = ["endpoint", "max_frame_bytes", "curve", "ip_allow_list"]

    /// The size above which ZeroMQ drops a frame (`ZMQ_MAXMSGSIZE`): twice `maxFrameBytes` (at most 512 MiB).
    public var transportFrameLimit: Int { min(maxFrameBytes.multipliedReportingOverflow(by: 2).partialValue, 512 << 20) }

    /// Whether the ZAP handler must run (CURVE or an IP allow-list).
    public var needsZAP: Bool { curve != nil || !ipAllowList.isEmpty }

    /// Parses the section (defaults for missing keys) and validates it; errors name the key path.
    public init(json: [String: Any], path: String = "consensus") throws(ConfigurationError) {
        let section = ConfigurationJSON(json, path: path)
        try section.rejectUnknown(Self.keys)
        self = .defaults
        if let value = try section.string("endpoint") { endpoint = value }
        if let value = try section.int("max_frame_bytes") { maxFrameBytes = value }
        if let value = try section.strings("ip_allow_list") { ipAllowList = value }
        if let curveSection = try section.object("curve") {
            try curveSection.rejectUnknown(["secret_key_file", "allowed_client_keys", "allowed_client_key_files"])
            guard let file = try curveSection.string("secret_key_file") else {
                throw curveSection.error("secret_key_file", "is required when consensus.curve is set")
            }
            let secret: [UInt8]
            do { secret = try KeysFile.readKey(path: file) } catch {
                throw curveSection.error("secret_key_file", error.description)
            }
            var keys: [[UInt8]] = []
            for (index, text) in (try curveSection.strings("allowed_client_keys") ?? []).enumerated() {
                guard let key = KeysFile.decodeKey(text) else {
                    throw curveSection.error("allowed_client_keys[\(index)]", "must be a 32-byte key as 40 Z85 or 64 hex characters")
                }
                keys.append(key)
            }
            for (index, file) in (try curveSection.strings("allowed_client_key_files") ?? []).enumerated() {
                do { keys.append(try KeysFile.readKey(path: file)) } catch {
                    throw curveSection.error("allowed_client_key_files[\(index)]", error.description)
                }
            }
            curve = Curve(secretKey: secret, allowedClientKeys: keys)
        }
        try validate(path: path)
    }

    /// Checks every value; errors name the key under `path`.
    public func validate(path: String = "consensus") throws(ConfigurationError) {
        func fail(_ key: String, _ message: String) -> ConfigurationError { ConfigurationError(key: path + "." + key, message: message) }
        guard endpoint.hasPrefix("tcp://") || endpoint.hasPrefix("ipc://") || endpoint.hasPrefix("inproc://") else {
            throw fail("endpoint", "must start with ipc:// or tcp:// (got \"\(endpoint)\")")
        }
        guard endpoint.utf8.count <= 1000 else { throw fail("endpoint", "must be at most 1000 bytes") }
        guard (1024...(256 << 20)).contains(maxFrameBytes) else {
            throw fail("max_frame_bytes", "must be between 1024 and 268435456 (got \(maxFrameBytes))")
        }
        for (index, entry) in ipAllowList.enumerated() where IPAllowList.Entry(entry) == nil {
            throw fail("ip_allow_list[\(index)]", "must be an IPv4 or IPv6 address or CIDR block like 10.0.0.0/8 (got \"\(entry)\")")
        }
        if let curve {
            guard curve.secretKey.count == 32 else { throw fail("curve.secret_key_file", "must hold a 32-byte CURVE secret key") }
            guard !curve.allowedClientKeys.isEmpty else {
                throw fail("curve.allowed_client_keys", "at least one host key is required when consensus.curve is set (no host could connect)")
            }
            for (index, key) in curve.allowedClientKeys.enumerated() where key.count != 32 {
                throw fail("curve.allowed_client_keys[\(index)]", "must be 32 bytes")
            }
        }
    }
}
