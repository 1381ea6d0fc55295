import Foundation
import Testing
import ZMQ

/// A fresh directory under /tmp (short, for ipc:// paths), removed when `body` returns or throws.
@discardableResult
func withTemporaryDirectory<R>(_ body: (String) throws -> R) throws -> R {
    let path = "/tmp/zmq-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// Upper bound for waiting on something that should arrive: generous, never a timing assertion.
let arrival: Duration = .seconds(5)
/// How long to wait for something that must NOT arrive.
let silence: Duration = .milliseconds(300)

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A ROUTER bound at `endpoint` (resolved for `*` ports) and a DEALER connected to it.
func routerDealerPair(_ context: Context, bindTo endpoint: String, dealerID: [UInt8] = bytes("dealer-1"))
    throws -> (router: Socket, dealer: Socket, endpoint: String)
{
    let router = try Socket(context, .router)
    try router.bind(endpoint)
    let resolved = try router.lastEndpoint()
    let dealer = try Socket(context, .dealer)
    try dealer.set(.routingID, dealerID)
    try dealer.connect(resolved)
    return (router, dealer, resolved)
}

/// Publishes `probe` until `subscriber` receives a message (subscriptions propagate
/// asynchronously: the "slow joiner"), bounded by `arrival`; returns whether it got through.
func waitForSubscription(publisher: Socket, subscriber: Socket, probe: [[UInt8]]) throws -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: arrival)
    while clock.now < deadline {
        try publisher.send(frames: probe)
        if try subscriber.receiveMultipart(timeout: .milliseconds(20)) != nil { return true }
    }
    return false
}

/// Drains messages already queued on `socket`.
func drain(_ socket: Socket) throws {
    while try socket.receiveMultipart(timeout: .milliseconds(50)) != nil {}
}

/// A thread-safe log the ZAP decision closure writes to.
final class RequestLog: @unchecked Sendable {
    private let lock = NSLock()
    private var requests: [ZAPRequest] = []
    func append(_ request: ZAPRequest) { lock.withLock { requests.append(request) } }
    var all: [ZAPRequest] { lock.withLock { requests } }
}
