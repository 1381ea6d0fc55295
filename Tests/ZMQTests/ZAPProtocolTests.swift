import Testing
import ZMQ

@Suite("ZAP protocol (RFC 27) encoding")
struct ZAPProtocolTests {
    let key = (0..<32).map { UInt8($0) }

    func curveRequestFrames() -> [[UInt8]] {
        [bytes("1.0"), bytes("req-7"), bytes("consensus"), bytes("192.0.2.1"), bytes("server-id"), bytes("CURVE"), key]
    }

    @Test("a CURVE request parses and re-encodes to the same frames")
    func curveRequest() throws {
        let request = try ZAPRequest.parse(curveRequestFrames())
        #expect(request.requestID == bytes("req-7"))
        #expect(request.domain == "consensus")
        #expect(request.address == "192.0.2.1")
        #expect(request.identity == bytes("server-id"))
        #expect(request.mechanism == .curve)
        #expect(request.clientPublicKey == key)
        #expect(request.encoded() == curveRequestFrames())
    }

    @Test("NULL and PLAIN requests parse")
    func otherMechanisms() throws {
        let null = try ZAPRequest.parse([bytes("1.0"), [9], [], bytes("::1"), [], bytes("NULL")])
        #expect(null.mechanism == .null)
        #expect(null.clientPublicKey == nil)
        #expect(null.domain == "")
        let plain = try ZAPRequest.parse(
            [bytes("1.0"), [9], bytes("d"), bytes("1.2.3.4"), [], bytes("PLAIN"), bytes("user"), bytes("pw")])
        #expect(plain.mechanism == .plain)
        #expect(plain.credentials == [bytes("user"), bytes("pw")])
    }

    @Test("malformed requests are refused with the reason and the request id")
    func malformed() {
        let cases: [([[UInt8]], ZAPProtocolError)] = [
            ([], ZAPProtocolError(reason: .tooFewFrames(count: 0), requestID: nil)),
            ([bytes("1.0"), bytes("r")], ZAPProtocolError(reason: .tooFewFrames(count: 2), requestID: bytes("r"))),
            ([bytes("2.0"), bytes("r"), [], [], [], bytes("NULL")],
             ZAPProtocolError(reason: .unsupportedVersion("2.0"), requestID: bytes("r"))),
            ([bytes("1.0"), bytes("r"), [], [], [], bytes("CURVE"), [1, 2, 3]],
             ZAPProtocolError(reason: .badCredentials(mechanism: "CURVE"), requestID: bytes("r"))),
            ([bytes("1.0"), bytes("r"), [], [], [], bytes("CURVE")],
             ZAPProtocolError(reason: .badCredentials(mechanism: "CURVE"), requestID: bytes("r"))),
            ([bytes("1.0"), bytes("r"), [], [], [], bytes("NULL"), [1]],
             ZAPProtocolError(reason: .badCredentials(mechanism: "NULL"), requestID: bytes("r"))),
            ([bytes("1.0"), bytes("r"), [], [], [], bytes("PLAIN"), [1]],
             ZAPProtocolError(reason: .badCredentials(mechanism: "PLAIN"), requestID: bytes("r"))),
            ([bytes("1.0"), bytes("r"), [], [], [], bytes("GSSAPI")],
             ZAPProtocolError(reason: .unknownMechanism("GSSAPI"), requestID: bytes("r"))),
            ([bytes("1.0"), bytes("r"), [0xFF, 0xFE], [], [], bytes("NULL")],
             ZAPProtocolError(reason: .invalidText(field: "domain"), requestID: bytes("r"))),
        ]
        for (frames, expected) in cases {
            #expect(throws: expected) { _ = try ZAPRequest.parse(frames) }
        }
    }

    @Test("replies encode the decision")
    func replies() throws {
        let request = try ZAPRequest.parse(curveRequestFrames())
        let allow = ZAPReply(answering: request, with: .allow(userID: "host"))
        #expect(allow.encoded() == [bytes("1.0"), bytes("req-7"), bytes("200"), bytes("OK"), bytes("host"), []])
        let deny = ZAPReply(answering: request, with: .deny(reason: "not allowed"))
        #expect(deny.encoded() == [bytes("1.0"), bytes("req-7"), bytes("400"), bytes("not allowed"), [], []])
        #expect(try ZAPReply.parse(deny.encoded()) == deny)

        let malformed = ZAPProtocolError(reason: .tooFewFrames(count: 2), requestID: bytes("r"))
        let error = ZAPReply(answering: malformed)
        #expect(error.status == .internalError)
        #expect(error.requestID == bytes("r"))
        #expect(error.encoded()[2] == bytes("500"))
    }

    @Test("malformed replies are refused")
    func malformedReplies() {
        #expect(throws: ZAPProtocolError(reason: .badStatusCode("201"), requestID: [1])) {
            _ = try ZAPReply.parse([bytes("1.0"), [1], bytes("201"), [], [], []])
        }
        #expect(throws: ZAPProtocolError(reason: .tooFewFrames(count: 5), requestID: [1])) {
            _ = try ZAPReply.parse([bytes("1.0"), [1], bytes("200"), [], []])
        }
    }
}
