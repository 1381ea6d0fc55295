import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client for the tests: one request per TCP connection to 127.0.0.1
/// (`Connection: close`), the response read to EOF, with socket timeouts so nothing hangs.
struct HTTPProbe {
    struct Response {
        var status: Int
        var headers: [(String, String)]
        var body: String

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    enum ProbeError: Error { case socket(String), malformed(String) }

    let port: Int
    var host = "127.0.0.1"
    var timeoutSeconds = 5

    func get(_ path: String) throws -> Response { try request("GET", path) }

    func request(_ method: String, _ path: String) throws -> Response {
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
        let request = Array("\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\nContent-Length: 0\r\n\r\n".utf8)
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

    static func parse(_ bytes: [UInt8]) throws -> Response {
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

extension HTTPProbe.Response {
    /// The value of an unlabelled or labelled Prometheus sample, e.g. `ai_registry_rounds_applied_total`
    /// or `ai_registry_transactions_total{code="ok"}` (labels as printed); nil when absent.
    func sample(_ series: String) -> Double? {
        for line in body.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            guard parts.count >= 2 else { continue }
            if parts[0] == series { return Double(parts[1]) }
        }
        return nil
    }

    /// The sum of every sample of a metric family (all label sets), e.g. all transactions by code.
    func sum(_ name: String) -> Double {
        var total = 0.0
        for line in body.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            guard parts.count >= 2 else { continue }
            let series = parts[0]
            if series == name || series.hasPrefix(name + "{") { total += Double(parts[1]) ?? 0 }
        }
        return total
    }
}

/// Runs blocking work on a thread of its own and awaits it, so a test never blocks the cooperative
/// pool (on a two-core machine two blocked pool threads would starve the in-process HTTP server).
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
        thread.start()
    }
}

extension HTTPProbe {
    /// `request` off the cooperative pool.
    func fetch(_ path: String, method: String = "GET") async throws -> Response {
        let probe = self
        return try await offPool { try probe.request(method, path) }
    }
}
