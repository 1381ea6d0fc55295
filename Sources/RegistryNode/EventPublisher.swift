import Logging
import SwiftProtobuf
import Wire
import ZMQ

/// The event endpoint: a PUB socket, owned by the consensus thread, that publishes each committed
/// round as two-frame messages [topic, EventEnvelope]: first topic `round` with the `RoundResult`, then
/// one message per domain event with the event's topic (e.g. `model.registered`). `sequence` grows by
/// one per message from 1 at process start; subscribers detect drops by a gap. Publishing never blocks
/// consensus: ZeroMQ drops messages for a subscriber whose queue is full.
final class EventPublisher {
    private let socket: Socket
    private let logger: Logger
    private var sequence: UInt64 = 0
    /// The bound endpoint (with the port resolved for `tcp://…:*`).
    let boundEndpoint: String

    /// Binds the PUB socket.
    init(context: Context, configuration: EventsConfiguration, logger: Logger) throws(ZMQError) {
        let socket = try Socket(context, .pub)
        do {
            try socket.set(.linger, 0)
            try socket.set(.sendHighWaterMark, Int32(clamping: configuration.highWaterMark))
            try socket.bind(configuration.endpoint)
            boundEndpoint = try socket.lastEndpoint()
        } catch {
            socket.close()
            throw error
        }
        self.socket = socket
        self.logger = logger
    }

    /// The topic of round results.
    static let roundTopic = "round"

    /// Publishes a committed round: its result, then each event.
    func publish(_ result: AiRegistry_V1_RoundResult) {
        var envelope = AiRegistry_V1_EventEnvelope()
        envelope.protocolVersion = WireProtocol.version
        envelope.round = result.round
        envelope.roundResult = result
        send(topic: Self.roundTopic, envelope)
        for event in result.events {
            var eventEnvelope = AiRegistry_V1_EventEnvelope()
            eventEnvelope.protocolVersion = WireProtocol.version
            eventEnvelope.round = result.round
            eventEnvelope.event = event
            send(topic: event.topic, eventEnvelope)
        }
    }

    private func send(topic: String, _ envelope: AiRegistry_V1_EventEnvelope) {
        sequence += 1
        var envelope = envelope
        envelope.sequence = sequence
        do {
            let payload: [UInt8] = try envelope.serializedBytes()
            try socket.send(frames: [Array(topic.utf8), payload], flags: .dontWait)
        } catch {
            logger.warning("event not published", metadata: ["topic": "\(topic)", "round": "\(envelope.round)", "error": "\(error)"])
        }
    }

    /// Closes the socket.
    func close() { socket.close() }
}
