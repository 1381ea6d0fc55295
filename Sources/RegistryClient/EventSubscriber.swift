import Foundation
import Wire
import ZMQ

/// A subscriber of the plugin's event endpoint (one SUB socket): receives `[topic, EventEnvelope]`
/// messages whose topic starts with one of `topics` ("" for everything, "round" for round results,
/// "model." for model events) and tracks the envelopes' sequence numbers.
///
/// The publisher numbers every message it publishes, whatever its topic, so only a subscriber of
/// everything can tell a missed message from a filtered one: with `topics == [""]` a jump in the
/// sequence is reported as `missed`; with narrower topics only a restart of the numbering is reported.
/// Like any ZeroMQ subscriber, it sees only messages published after its subscription reached the
/// publisher. Not `Sendable`: one owner thread.
public final class EventSubscriber {
    /// One received message.
    public struct Received: Sendable, Equatable {
        /// The topic frame.
        public var topic: String
        public var envelope: AiRegistry_V1_EventEnvelope
        /// Messages missed just before this one (sequence gap); 0 when none, or when not subscribed to
        /// everything (see the type's documentation).
        public var missed: UInt64
        /// True when the sequence went backwards or did not advance: the publisher restarted.
        public var publisherRestarted: Bool
    }

    /// The endpoint the subscriber is connected to.
    public let endpoint: String
    /// The topic prefixes subscribed to.
    public let topics: [String]
    /// The sequence number of the last envelope received.
    public private(set) var lastSequence: UInt64?
    /// The total of messages missed so far (subscribers of everything only).
    public private(set) var totalMissed: UInt64 = 0
    private let socket: Socket
    private let detectsGaps: Bool

    /// Connects to `endpoint` and subscribes to every prefix in `topics` (`[""]`: everything).
    public init(endpoint: String, topics: [String] = [""], maxMessageBytes: Int64 = 256 << 20,
                context: Context? = nil) throws(RegistryClientError) {
        self.endpoint = endpoint
        self.topics = topics.isEmpty ? [""] : topics
        detectsGaps = self.topics.contains("")
        let context = try SharedContext.resolve(context, endpoint)
        do {
            socket = try Socket(context, .sub)
            try socket.set(.maxMessageSize, maxMessageBytes)
            try socket.set(.reconnectInterval, 50)
            for topic in self.topics { try socket.subscribe(Array(topic.utf8)) }
            try socket.connect(endpoint)
        } catch {
            throw .transport(operation: "subscribe", endpoint: endpoint, error: error)
        }
    }

    /// Closes the socket.
    public func close() { socket.close() }

    /// The next message, waiting at most `timeout` (nil: forever); nil when none arrived in time.
    ///
    /// - Throws: `.malformedReply` for a message that is not two frames or whose envelope does not
    ///   decode (the message is consumed; the next call continues with the next message), `.transport`
    ///   when the socket fails.
    public func next(timeout: Duration?) throws(RegistryClientError) -> Received? {
        let frames: [[UInt8]]?
        do { frames = try socket.receiveMultipart(timeout: timeout) } catch {
            throw .transport(operation: "receive event", endpoint: endpoint, error: error)
        }
        guard let frames else { return nil }
        guard frames.count == 2 else {
            throw .malformedReply(operation: "receive event", reason: "\(frames.count) frames, expected [topic, envelope]")
        }
        let envelope: AiRegistry_V1_EventEnvelope
        do { envelope = try AiRegistry_V1_EventEnvelope(serializedBytes: frames[1]) } catch {
            throw .malformedReply(operation: "receive event", reason: "undecodable EventEnvelope: \(error)")
        }
        var missed: UInt64 = 0
        var restarted = false
        if let last = lastSequence {
            if envelope.sequence <= last {
                restarted = true
            } else if detectsGaps {
                missed = envelope.sequence - last - 1
            }
        }
        let (sum, overflow) = totalMissed.addingReportingOverflow(missed)
        totalMissed = overflow ? .max : sum
        lastSequence = envelope.sequence
        return Received(topic: String(decoding: frames[0], as: UTF8.self), envelope: envelope, missed: missed,
                        publisherRestarted: restarted)
    }
}
