import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client for the tests: one request per TCP connection to 127.0.0.1
/// (`Connection: close`), the response read to EOF, with socket timeouts so nothing hangs.
public struct HTTPProbe: Sendable {
    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: String

        /// The first header named `name` (case-insensitive).
        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    public enum ProbeError: Error { case socket(String), malformed(String) }

    public let port: Int
    public var host = "127.0.0.1"
    public var timeoutSeconds = 5

    public init(port: Int, host: String = "127.0.0.1", timeoutSeconds: Int = 5) {
        self.port = port
        self.host = host
        self.timeoutSeconds = timeoutSeconds
    }

    /// `GET path`.
    public func get(_ path: String, headers: [(String, String)] = []) throws -> Response { try request("GET", path, headers: headers) }

    /// One request with `headers` added to `Host`, `Connection: close` and `Content-Length: 0`.
    public func request(_ method: String, _ path: String, headers: [(String, String)] = []) throws -> Response {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw ProbeError.socket("socket: errno \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw ProbeError.socket("connect 127.0.0.1:\(port): errno \(errno)") }
        let extra = headers.map { "\($0.0): \($0.1)\r\n" }.joined()
        let request = Array("\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\nContent-Length: 0\r\n\(extra)\r\n".utf8)
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw ProbeError.socket("send: errno \(errno)") }
            sent += n
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { break }
            guard n > 0 else { throw ProbeError.socket("recv: errno \(errno) after \(bytes.count) bytes") }
            bytes.append(contentsOf: chunk[..<n])
        }
        return try Self.parse(bytes)
    }

    public static func parse(_ bytes: [UInt8]) throws -> Response {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = (0..<max(0, bytes.count - 3)).first(where: { Array(bytes[$0..<$0 + 4]) == separator }) else {
            throw ProbeError.malformed("no end of headers in \(bytes.count) bytes")
        }
        let head = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusWords = head.first?.split(separator: " ") ?? []
        guard statusWords.count >= 2, let status = Int(statusWords[1]) else { throw ProbeError.malformed("status line \(head.first ?? "")") }
        var headers: [(String, String)] = []
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var body = Array(bytes[(end + 4)...])
        if headers.contains(where: { $0.0.lowercased() == "transfer-encoding" && $0.1.lowercased().contains("chunked") }) {
            body = try dechunk(body)
        }
        return Response(status: status, headers: headers, body: String(decoding: body, as: UTF8.self))
    }

    static func dechunk(_ bytes: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard let lineEnd = (index..<max(index, bytes.count - 1)).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }) else {
                throw ProbeError.malformed("chunk size line")
            }
            let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { throw ProbeError.malformed("chunk size \(sizeText)") }
            index = lineEnd + 2
            if size == 0 { break }
            guard index + size <= bytes.count else { throw ProbeError.malformed("chunk past the end") }
            out.append(contentsOf: bytes[index..<index + size])
            index += size + 2
        }
        return out
    }
}

/// Runs blocking work on a thread of its own and awaits it, so a test never blocks the cooperative
/// pool (on a two-core machine two blocked pool threads would starve the in-process HTTP server).
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
        thread.start()
    }
}

extension HTTPProbe {
    /// `request` off the cooperative pool.
    public func fetch(_ path: String, method: String = "GET", headers: [(String, String)] = []) async throws -> Response {
        let probe = self
        return try await offPool { try probe.request(method, path, headers: headers) }
    }
}
