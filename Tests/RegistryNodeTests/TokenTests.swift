import Foundation
import Sodium
import TestSupport
import Testing
@testable import RegistryNode

struct TokenTests {
    static let key = try! QueryTokenKey(keyID: "k-test", secret: Array(0..<32))
    static let other = try! QueryTokenKey(keyID: "k-test", secret: Array(repeating: 7, count: 32))

    static func token(subject: String = "explorer", scopes: [QueryScope] = [.read, .proofs], issued: UInt64 = 1_000, expires: UInt64 = 2_000) -> QueryToken {
        QueryToken(keyID: "k-test", subject: subject, scopes: QueryScope.Set(scopes), issuedAt: issued, expiresAt: expires)
    }

    @Test func canonicalBytesArePinned() throws {
        let bytes = Self.token().canonicalBytes
        // version 1, key id "k-test", subject "explorer", scopes 0b011, issued 1000, expires 2000.
        #expect(Hex.encode(bytes) == "01" + "06" + Hex.encode(Array("k-test".utf8)) + "0008" + Hex.encode(Array("explorer".utf8))
            + "00000003" + "00000000000003e8" + "00000000000007d0")
        #expect(try QueryToken(canonicalBytes: bytes) == Self.token())
    }

    @Test func signedTokenVerifiesAndCarriesItsFields() throws {
        let text = try Self.token().signed(with: Self.key)
        #expect(text.hasPrefix("ait1."))
        #expect(text.count < 160)
        let verifier = QueryTokenVerifier(keys: [Self.key])
        let token = try verifier.verify(text, now: 1_500).get()
        #expect(token.subject == "explorer")
        #expect(token.scopes.contains(.read) && token.scopes.contains(.proofs) && !token.scopes.contains(.stats))
        // The same token signed twice is the same text (deterministic MAC, canonical encoding).
        #expect(try Self.token().signed(with: Self.key) == text)
    }

    @Test func expiredAndFutureTokensAreRefused() throws {
        let text = try Self.token().signed(with: Self.key)
        let verifier = QueryTokenVerifier(keys: [Self.key], clockSkewSeconds: 60)
        #expect(verifier.verify(text, now: 2_000) == .failure(.expired(expiresAt: 2_000, now: 2_000)))
        #expect(verifier.verify(text, now: 5_000) == .failure(.expired(expiresAt: 2_000, now: 5_000)))
        #expect(verifier.verify(text, now: 940) == .success(Self.token()))
        #expect(verifier.verify(text, now: 939) == .failure(.notYetValid(issuedAt: 1_000, now: 939)))
    }

    @Test func aTokenOfAnotherKeyOrAlteredFailsTheMAC() throws {
        let text = try Self.token().signed(with: Self.other)
        #expect(QueryTokenVerifier(keys: [Self.key]).verify(text, now: 1_500) == .failure(.badSignature(keyID: "k-test")))

        // Change the subject inside a valid token, keep the tag.
        let good = try Self.token().signed(with: Self.key)
        let parts = good.dropFirst(5).split(separator: ".")
        let forged = Self.token(subject: "explorez").canonicalBytes
        let forgedText = "ait1." + Base64URL.encode(forged) + "." + parts[1]
        #expect(QueryTokenVerifier(keys: [Self.key]).verify(forgedText, now: 1_500) == .failure(.badSignature(keyID: "k-test")))
        // Widen the scopes.
        let widened = Self.token(scopes: QueryScope.allCases).canonicalBytes
        #expect(QueryTokenVerifier(keys: [Self.key]).verify("ait1." + Base64URL.encode(widened) + "." + parts[1], now: 1_500)
            == .failure(.badSignature(keyID: "k-test")))
        // Flip one bit of the tag.
        var tag = try #require(Base64URL.decode(parts[1]))
        tag[0] ^= 1
        #expect(QueryTokenVerifier(keys: [Self.key]).verify("ait1." + parts[0] + "." + Base64URL.encode(tag), now: 1_500)
            == .failure(.badSignature(keyID: "k-test")))
    }

    @Test func anUnknownKeyIdIsRefused() throws {
        let key = try QueryTokenKey(keyID: "rotated", secret: Array(repeating: 1, count: 32))
        let text = try QueryToken(keyID: "rotated", subject: "s", scopes: .all, issuedAt: 0, expiresAt: 10).signed(with: key)
        #expect(QueryTokenVerifier(keys: [Self.key]).verify(text, now: 5) == .failure(.unknownKey(keyID: "rotated")))
        #expect((try? QueryTokenVerifier(keys: [Self.key, key]).verify(text, now: 5).get())?.subject == "s")
    }

    @Test(arguments: [
        "", "ait1.", "ait2.AAAA.AAAA", "ait1.AAAA", "ait1.AAAA.AAAA.AAAA", "ait1.A.AAAA", "ait1.AB=.AAAA",
        "ait1.AAAA.AB", "ait1.####.AAAA", "ait1." + String(repeating: "A", count: 600) + ".AAAA", "bearer xyz",
    ])
    func malformedTextsAreRefusedWithoutCrashing(text: String) {
        guard case .failure(let error) = QueryTokenVerifier(keys: [Self.key]).verify(text, now: 1) else {
            Issue.record("accepted \(text)")
            return
        }
        guard case .malformed = error else {
            Issue.record("\(text): \(error)")
            return
        }
    }

    @Test func strictCanonicalDecoding() throws {
        var bytes = Self.token().canonicalBytes
        #expect(throws: QueryTokenError.self) { try QueryToken(canonicalBytes: bytes + [0]) }
        bytes[0] = 2
        #expect(throws: QueryTokenError.self) { try QueryToken(canonicalBytes: bytes) }
        var unknownScope = Self.token().canonicalBytes
        unknownScope[unknownScope.count - 17] = 0x10  // bit 4: no scope (0x08 is `snapshots`)
        #expect(throws: QueryTokenError.self) { try QueryToken(canonicalBytes: unknownScope) }
        for length in 0..<Self.token().canonicalBytes.count {
            #expect(throws: QueryTokenError.self) { try QueryToken(canonicalBytes: Array(Self.token().canonicalBytes.prefix(length))) }
        }
    }

    @Test func issuingValidatesTheFields() {
        #expect(throws: QueryTokenError.self) { try Self.token(subject: "").signed(with: Self.key) }
        #expect(throws: QueryTokenError.self) { try Self.token(subject: String(repeating: "x", count: 129)).signed(with: Self.key) }
        #expect(throws: QueryTokenError.self) { try Self.token(subject: "a\nb").signed(with: Self.key) }
        #expect(throws: QueryTokenError.self) { try Self.token(scopes: []).signed(with: Self.key) }
        #expect(throws: QueryTokenError.self) { try Self.token(issued: 5, expires: 5).signed(with: Self.key) }
        #expect(throws: QueryTokenError.self) { try QueryTokenKey(keyID: "bad id", secret: Array(repeating: 0, count: 32)) }
        #expect(throws: QueryTokenError.self) { try QueryTokenKey(keyID: "ok", secret: Array(repeating: 0, count: 31)) }
    }

    @Test func keyFilesRoundTripAndAreStrict() throws {
        let key = try QueryTokenKey.generate()
        #expect(key.keyID.hasPrefix("k") && key.keyID.count == 9)
        #expect(try QueryTokenKey(fileContents: key.fileContents(), path: "f") == key)
        #expect(!key.description.contains(Hex.encode(key.secret)))
        let bad: [String] = [
            "", "[]", "{\"format\":\"x\",\"version\":1,\"key_id\":\"a\",\"secret\":\"\(String(repeating: "00", count: 32))\"}",
            "{\"format\":\"ai-registry-token-key\",\"version\":2,\"key_id\":\"a\",\"secret\":\"\(String(repeating: "00", count: 32))\"}",
            "{\"format\":\"ai-registry-token-key\",\"version\":1,\"key_id\":\"a\",\"secret\":\"00\"}",
            "{\"format\":\"ai-registry-token-key\",\"version\":1,\"key_id\":\"a\",\"secret\":\"\(String(repeating: "00", count: 32))\",\"extra\":1}",
        ]
        for text in bad {
            #expect(throws: QueryTokenError.self, "\(text)") { try QueryTokenKey(fileContents: Array(text.utf8), path: "f") }
        }
    }

    @Test func scopesParseAndNameUnknownOnes() throws {
        #expect(try QueryScope.Set.parse("read, proofs").get() == QueryScope.Set([.read, .proofs]))
        #expect(try QueryScope.Set.parse("stats").get().description == "stats")
        #expect(QueryScope.Set.parse("read,admin") == .failure(QueryScopeParseError(name: "admin")))
        #expect(QueryScope.Set.parse("") == .failure(QueryScopeParseError(name: "")))
    }

    @Test func base64URLIsCanonical() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = Base64URL.encode(bytes)
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
            #expect(Base64URL.decode(Substring(text)) == bytes)
        }
        #expect(Base64URL.decode("AB") == nil)  // non-zero trailing bits
        #expect(Base64URL.decode("AA") == [0])
        #expect(Base64URL.decode("A") == nil)
        #expect(Base64URL.decode("AA==") == nil)
        #expect(Base64URL.decode("A+AA") == nil)
    }
}

struct RateLimiterTests {
    @Test func aBurstThenOneRequestPerRefill() {
        let limiter = RateLimiter(requestsPerSecond: 2, burst: 3, maxClients: 16)
        for _ in 0..<3 { #expect(limiter.acquire(client: "a", now: 0) == .allowed) }
        #expect(limiter.acquire(client: "a", now: 0) == .limited(retryAfterMillis: 500))
        #expect(limiter.acquire(client: "a", now: 250_000_000) == .limited(retryAfterMillis: 250))
        #expect(limiter.acquire(client: "a", now: 500_000_000) == .allowed)
        #expect(limiter.acquire(client: "a", now: 500_000_000) == .limited(retryAfterMillis: 500))
        // Other clients have their own buckets.
        #expect(limiter.acquire(client: "b", now: 500_000_000) == .allowed)
        // A long pause refills to the burst, no more.
        for _ in 0..<3 { #expect(limiter.acquire(client: "a", now: 100_000_000_000) == .allowed) }
        #expect(limiter.acquire(client: "a", now: 100_000_000_000) != .allowed)
    }

    @Test func hugeTimeJumpsAndRatesSaturate() {
        let limiter = RateLimiter(requestsPerSecond: 1_000_000, burst: 1_000_000, maxClients: 16)
        #expect(limiter.acquire(client: "a", now: 0) == .allowed)
        #expect(limiter.acquire(client: "a", now: UInt64.max) == .allowed)
        #expect(limiter.acquire(client: "a", now: 5) == .allowed)  // time going backwards does not refill or trap
    }

    @Test func theTableIsBoundedAndEvictsIdleBucketsFirst() {
        let limiter = RateLimiter(requestsPerSecond: 1, burst: 2, maxClients: 16)
        // A client that used its burst.
        #expect(limiter.acquire(client: "busy", now: 0) == .allowed)
        #expect(limiter.acquire(client: "busy", now: 0) == .allowed)
        for index in 0..<100 { _ = limiter.acquire(client: "c\(index)", now: 10) }
        #expect(limiter.trackedClients <= 16)
    }
}

struct QueryAuditThrottleTests {
    @Test func recordsPerMinuteThenASummary() {
        let throttle = QueryAuditThrottle(perMinute: 3)
        let verdicts = (0..<10).map { throttle.admit(client: "x", kind: .rateLimited, now: UInt64($0)) }
        #expect(verdicts.filter(\.record).count == 3)
        // Another kind and another client are counted apart.
        #expect(throttle.admit(client: "x", kind: .malformedRequest, now: 11).record)
        #expect(throttle.admit(client: "y", kind: .rateLimited, now: 11).record)
        // The next minute starts with a summary of the 7 suppressed records.
        #expect(throttle.admit(client: "x", kind: .rateLimited, now: 60_000_000_001) == .init(record: true, suppressedBefore: 7))
    }
}
