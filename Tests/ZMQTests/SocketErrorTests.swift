import Foundation
import Testing
import ZMQ

@Suite("ZMQ errors and options")
struct SocketErrorTests {
    @Test("bad endpoints fail with the errno and the operation")
    func badEndpoints() throws {
        let context = try Context()
        let socket = try Socket(context, .router)
        #expect(throws: ZMQError(code: .protocolNotSupported, operation: "zmq_bind")) {
            try socket.bind("bogus://127.0.0.1:1")
        }
        #expect(throws: ZMQError(code: .invalidArgument, operation: "zmq_connect")) {
            try socket.connect("tcp://")
        }
        #expect(throws: ZMQError(code: .noEntry, operation: "zmq_unbind")) {
            try socket.unbind("tcp://127.0.0.1:1")
        }
        try socket.bind("inproc://taken")
        let other = try Socket(context, .router)
        #expect(throws: ZMQError(code: .addressInUse, operation: "zmq_bind")) {
            try other.bind("inproc://taken")
        }
        try socket.unbind("inproc://taken")
        try other.bind("inproc://taken")
    }

    @Test("ROUTER mandatory refuses an unknown peer with EHOSTUNREACH")
    func routerMandatory() throws {
        let context = try Context()
        let router = try Socket(context, .router)
        try router.set(.routerMandatory, true)
        try router.bind("inproc://mandatory")
        #expect(throws: ZMQError(code: .hostUnreachable, operation: "zmq_msg_send")) {
            try router.send(frames: [bytes("nobody"), bytes("hello")])
        }
    }

    @Test("REQ sending twice is EFSM")
    func requestStateMachine() throws {
        let context = try Context()
        let rep = try Socket(context, .rep)
        try rep.bind("inproc://fsm")
        let req = try Socket(context, .req)
        try req.connect("inproc://fsm")
        try req.send(bytes("first"))
        do throws(ZMQError) {
            try req.send(bytes("second"))
            Issue.record("a second send on REQ succeeded")
        } catch {
            #expect(error.code == .invalidState)
            #expect(error.operation == "zmq_msg_send")
            #expect(error.description.hasPrefix("zmq_msg_send: Operation cannot be accomplished in current state"))
        }
        #expect(try rep.receiveMultipart(timeout: arrival) == [bytes("first")])
    }

    @Test("a closed socket reports ENOTSOCK")
    func closedSocket() throws {
        let context = try Context()
        let socket = try Socket(context, .dealer)
        socket.close()
        socket.close()
        #expect(throws: ZMQError(code: .notSocket, operation: "zmq_msg_send")) { try socket.send([1]) }
        #expect(throws: ZMQError(code: .notSocket, operation: "zmq_bind")) { try socket.bind("inproc://x") }
        #expect(throws: ZMQError(code: .notSocket, operation: "zmq_setsockopt")) { try socket.set(.linger, 1) }
    }

    @Test("sending no frames is refused")
    func noFrames() throws {
        let context = try Context()
        let socket = try Socket(context, .dealer)
        #expect(throws: ZMQError(code: .invalidArgument, operation: "zmq_msg_send")) { try socket.send(frames: []) }
    }

    @Test("options round trip")
    func options() throws {
        let context = try Context()
        let socket = try Socket(context, .dealer)
        #expect(try socket.get(.linger) == 0)
        try socket.set(.linger, 250)
        #expect(try socket.get(.linger) == 250)
        try socket.set(.sendTimeout, 10)
        #expect(try socket.get(.sendTimeout) == 10)
        try socket.set(.sendHighWaterMark, 77)
        try socket.set(.receiveHighWaterMark, 88)
        #expect(try socket.get(.sendHighWaterMark) == 77)
        #expect(try socket.get(.receiveHighWaterMark) == 88)
        #expect(try socket.get(.maxMessageSize) == -1)
        try socket.set(.maxMessageSize, 1 << 20)
        #expect(try socket.get(.maxMessageSize) == 1 << 20)
        try socket.set(.routingID, bytes("plugin"))
        #expect(try socket.get(.routingID) == bytes("plugin"))
        try socket.set(.immediate, true)
        #expect(try socket.get(.immediate))
        try socket.set(.zapDomain, "consensus")
        #expect(try socket.get(.zapDomain) == "consensus")
        #expect(throws: ZMQError(code: .invalidArgument, operation: "zmq_setsockopt")) {
            try socket.set(.routingID, [UInt8](repeating: 1, count: 256))
        }
    }

    @Test("error codes carry zmq_strerror messages")
    func messages() {
        #expect(ZMQError.Code.terminated.description == "Context was terminated")
        #expect(ZMQError.Code.invalidState.description == "Operation cannot be accomplished in current state")
        #expect(ZMQError(code: .again, operation: "zmq_msg_send").description
            == "zmq_msg_send: Resource temporarily unavailable (\(EAGAIN))")
        #expect(ZMQError.Code.hostUnreachable.rawValue == EHOSTUNREACH)
    }

    @Test("the library reports its version and capabilities")
    func capabilities() {
        #expect(Context.libraryVersion.major == 4)
        #expect(Context.has("ipc"))
        #expect(!Context.has("no-such-capability"))
    }
}
